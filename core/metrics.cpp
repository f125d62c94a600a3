#include "core/metrics.h"

#include "core/anomaly_view.h"
#include "core/gemm.h"
#include "core/pca_view.h"

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

    const Evaluation train = session.evaluate_train(session.as_trained(kTrainLossSamples));
    out["train_loss"] = train.terms.total();

    const bool noisy = session.config().knobs.noise != NoiseKind::None;
    EvaluationOptions clean_options = EvaluationOptions::clean(session.config().knobs);
    clean_options.code_jacobian = true;
    const Evaluation clean = session.evaluate_test(clean_options);
    const Evaluation test = noisy ? session.evaluate_test(session.as_trained()) : clean;
    out["test_loss"] = test.terms.total();
    out["terms"] = terms_json(test.terms);
    out["test_mse"] = clean.mse_per_pixel;
    if (noisy) {
        out["test_loss_clean"] = clean.terms.total();
        out["test_mse_corrupted"] = test.mse_per_pixel;
    }
    out["jacobian_fro2"] = clean.jacobian_fro2;
    out["code_jacobian_fro2"] = clean.code_jacobian_fro2;
    if (clean.p_hat.size() > 0) {
        const Vec& p = clean.p_hat;
        out["p_hat"] = {{"mean", p.mean()},
                        {"min", p.minCoeff()},
                        {"max", p.maxCoeff()},
                        {"dead", (p.array() < kDeadUnit).count()},
                        {"saturated", (p.array() > kSaturatedUnit).count()}};
    }
    if (session.network().kind() == ModelKind::Vae)
        out["latent"] = {{"dims", session.network().latent()},
                         {"mean_abs_mu", clean.mean_abs_mu},
                         {"mean_sigma", clean.mean_sigma}};
    if (pca_refusal(session.network()).empty()) {
        // The whole training set, where PCA-k is the optimum: ae_mse ≥ pca_mse up to rounding.
        const Pca pca = compute_pca(session.data().train_x);
        Workspace ws;
        const PcaComparison c =
            compare_with_pca(session.network(), pca, session.data().train_x, -1, ws);
        out["pca"] = {{"k", c.k},
                      {"max_angle_deg", c.max_angle_deg()},
                      {"mean_angle_deg", c.mean_angle_deg()},
                      {"ae_mse", c.ae_mse},
                      {"pca_mse", c.pca_mse},
                      {"explained_variance", c.explained_variance},
                      {"seconds", pca.seconds}};
    }
    {
        // The 3σ rule at k = 3, squared error (what the Anomaly panel starts with).
        constexpr double k = 3;
        Workspace ws;
        const AnomalyErrors e = anomaly_errors(session.network(), session.data(),
                                               effective_loss(session.config()),
                                               ErrorMeasure::SquaredError, ws);
        const AnomalyRates rates = rates_at(e, k);
        nlohmann::json& a = out["anomaly"];
        a = {{"k", k},
             {"mu", e.train_stats.mean},
             {"sigma", e.train_stats.sigma},
             {"threshold", rates.threshold},
             {"false_alarm_rate", rates.false_alarm_rate}};
        if (session.data().holdout_class >= 0) {
            a["holdout_class"] = session.data().class_names[session.data().holdout_class];
            a["detection_rate"] = rates.detection_rate;
            a["auc"] = e.auc;
        }
    }
    Config effective = session.config();  // as it ran: `auto` resolved
    effective.loss = effective_loss(effective);
    out["config"] = config_to_json(effective);
    return out;
}

}  // namespace aelab
