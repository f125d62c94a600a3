#include "core/metrics.h"

#include "core/gemm.h"

namespace aelab {

namespace {
constexpr int kTrainLossSamples = 10000;  // train_loss: objective over this many training samples

nlohmann::json terms_json(const Terms& t) {
    return {{"recon", t.recon},
            {"l2", t.l2},
            {"sparsity", t.sparsity},
            {"contractive", t.contractive},
            {"kl", t.kl}};
}
}  // namespace

nlohmann::json collect_metrics(Session& session) {
    nlohmann::json out;
    const int64_t train_count = session.data().train_x.cols();
    out["steps"] = session.step();
    out["epochs"] = double(session.samples_seen()) / double(train_count);
    out["samples_per_second"] =
        session.training_seconds() > 0 ? session.samples_seen() / session.training_seconds() : 0.0;
    out["gemm_backend"] = gemm_backend_name();
    out["dataset"] = session.data().name;

    const Evaluation train = session.evaluate_train_set(kTrainLossSamples);
    out["train_loss"] = train.terms.total();

    const Evaluation test = session.evaluate_test_set();
    out["test_loss"] = test.terms.total();
    out["test_mse"] = test.mse_per_pixel;
    out["terms"] = terms_json(test.terms);
    out["jacobian_fro2"] = test.jacobian_fro2;
    if (test.p_hat.size() > 0) {
        const Vec& p = test.p_hat;
        out["p_hat"] = {{"mean", p.mean()},
                        {"min", p.minCoeff()},
                        {"max", p.maxCoeff()},
                        {"dead", (p.array() < kDeadUnit).count()},
                        {"saturated", (p.array() > kSaturatedUnit).count()}};
    }
    if (session.network().kind() == ModelKind::Vae)
        out["latent"] = {{"dims", session.network().latent()},
                         {"mean_abs_mu", test.mean_abs_mu},
                         {"mean_sigma", test.mean_sigma}};
    if (session.config().knobs.noise != NoiseKind::None)
        out["test_mse_corrupted"] = session.evaluate_test_set_corrupted().mse_per_pixel;
    Config effective = session.config();  // as it ran: `auto` resolved
    effective.loss = effective_loss(effective);
    out["config"] = config_to_json(effective);
    return out;
}

}  // namespace aelab
