#include "core/views/metrics.h"

#include "core/base/gemm.h"
#include "core/base/openblas.h"
#include "core/base/random.h"
#include "core/data/corruption.h"
#include "core/model/objective.h"
#include "core/views/anomaly_view.h"
#include "core/views/backprop_view.h"
#include "core/views/model_figures.h"
#include "core/views/pca_view.h"

#include <algorithm>
#include <cmath>

namespace aelab {

namespace {
constexpr int kTrainLossSamples = 10000;  // train_loss: objective over this many training samples

constexpr int kNudgeSamples = 1000;  // nudge: test images
constexpr float kNudgeSigma = 0.05f;  // …moved by δ ~ N(0, 0.05² I) (input units)
constexpr int kPriorSamples = 200;    // vae: decoded prior samples…
constexpr int kNeighbourPool = 5000;  // …against this many training images

// Mean ‖x̂(x + δ) − x̂(x)‖₂ over test images, δ from a fixed seed: how far the
// reconstruction moves when the input is nudged (a VAE decodes z = μ).
double reconstruction_nudge(const Network& network, const Dataset& data) {
    const int count = std::min<int>(kNudgeSamples, int(data.test_x.cols()));
    if (count == 0) return 0.0;
    const auto x = data.test_x.leftCols(count);
    Mat nudged(x.rows(), count);
    FastRng rng(20261201);
    rng.fill_normal(nudged.data(), long(nudged.size()));
    nudged = x + kNudgeSigma * nudged;
    Workspace ws;
    ws.reserve(network, count);
    forward(network, x, ws, /*sample=*/false);
    const Mat before = reconstruction(ws, count);
    forward(network, nudged, ws, /*sample=*/false);
    return double((reconstruction(ws, count) - before).colwise().norm().mean());
}

// The share of reconstructed pixel values outside [0, 1] (1,000 clean test images): 0 for a
// logistic output, which reads as the probability of a pixel being on.
double outside_unit(const Network& network, const Dataset& data) {
    const int count = std::min<int>(kNudgeSamples, int(data.test_x.cols()));
    if (count == 0) return 0.0;
    Workspace ws;
    ws.reserve(network, count);
    forward(network, data.test_x.leftCols(count), ws, /*sample=*/false);
    const auto out = reconstruction(ws, count).array();
    return double(((out < 0.0f) || (out > 1.0f)).count()) / double(out.size());
}

// Mean squared error per pixel of reconstructing test images from inputs with half their
// pixels masked (fixed seed), whatever noise the run trained with: a denoiser and a plain
// autoencoder measured alike.
double masked_mse(const Network& network, const Dataset& data) {
    const int count = std::min<int>(kNudgeSamples, int(data.test_x.cols()));
    if (count == 0) return 0.0;
    const auto x = data.test_x.leftCols(count);
    Mat masked(x.rows(), count);
    FastRng rng(20261202);
    corrupt(NoiseKind::Mask, 0.5f, x, masked, rng);
    Workspace ws;
    ws.reserve(network, count);
    forward(network, masked, ws, /*sample=*/false);
    return double((reconstruction(ws, count) - x).squaredNorm()) / double(x.size());
}

// Mean distance from each image in `images` to its nearest neighbour among `pool`.
double mean_nearest_distance(const Mat& images, ConstMatRef pool) {
    const Vec pool_norms = pool.colwise().squaredNorm().transpose();
    const Mat dots = images.transpose() * pool;  // count × pool
    double total = 0;
    for (int i = 0; i < images.cols(); ++i) {
        const float own = images.col(i).squaredNorm();
        const float nearest = (pool_norms.transpose().array() - 2 * dots.row(i).array()).minCoeff();
        total += std::sqrt(std::max(0.0f, own + nearest));
    }
    return total / double(images.cols());
}

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
    out["gemm_kernels"] = gemm_kernel_name();
    out["gemm_kernels_chosen_by_aelab"] = blas_kernels_chosen_by_aelab() != nullptr;
    out["threads"] = session.threads();
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
    const Evaluation train_clean = session.evaluate_train(
        EvaluationOptions::clean(session.config().knobs, kTrainLossSamples));
    out["train_mse"] = train_clean.mse_per_pixel;
    out["jacobian_fro2"] = clean.jacobian_fro2;
    out["code_jacobian_fro2"] = clean.code_jacobian_fro2;
    out.update(model_figures(session));
    {
        // Lesson 03's chain rule by hand, for a decoder and an encoder weight at test image
        // 0's brightest pixel (hidden unit 0): against a finite difference and aelab's own.
        const auto x = session.data().test_x.leftCols(1);
        Eigen::Index bright = 0;
        x.col(0).maxCoeff(&bright);
        for (bool decoder : {true, false}) {
            const BackpropFactors f =
                backprop_factors(session.network(), session.config(), x, decoder,
                                 decoder ? 0 : int(bright), decoder ? int(bright) : 0);
            if (!f.refusal.empty()) break;
            const double scale = std::max(std::fabs(f.finite_difference), 1e-12);
            out["backprop"][decoder ? "decoder" : "encoder"] = {
                {"k", f.k}, {"l", f.l}, {"product", f.product},
                {"finite_difference", f.finite_difference}, {"aelab_half", f.aelab_half},
                {"relative_to_fd", std::fabs(f.product - f.finite_difference) / scale},
                {"relative_to_aelab", std::fabs(f.product - f.aelab_half) / scale}};
        }
    }
    out["nudge"] = reconstruction_nudge(session.network(), session.data());
    out["masked_mse"] = masked_mse(session.network(), session.data());
    out["outside_unit"] = outside_unit(session.network(), session.data());
    if (clean.p_hat.size() > 0) {
        const Vec& p = clean.p_hat;
        out["p_hat"] = {{"mean", p.mean()},
                        {"min", p.minCoeff()},
                        {"max", p.maxCoeff()},
                        {"dead", (p.array() < kDeadUnit).count()},
                        {"saturated", (p.array() > kSaturatedUnit).count()}};
    }
    if (session.network().kind() == ModelKind::Vae) {
        out["latent"] = {{"dims", session.network().latent()},
                         {"mean_abs_mu", clean.mean_abs_mu},
                         {"mean_sigma", clean.mean_sigma}};
        // Generation: decoded z ~ N(0, I) against images of uniform noise, each by its
        // distance to the nearest training image (pixels, as the data holds them).
        FastRng rng(7);
        Mat z(session.network().latent(), kPriorSamples), noise(session.data().input_size(), kPriorSamples);
        rng.fill_normal(z.data(), long(z.size()));
        rng.fill_uniform(noise.data(), long(noise.size()));
        const auto pool = session.data().train_x.leftCols(
            std::min<Eigen::Index>(kNeighbourPool, session.data().train_x.cols()));
        out["latent"]["prior_nearest"] = mean_nearest_distance(session.decode(z), pool);
        out["latent"]["noise_nearest"] = mean_nearest_distance(noise, pool);
    }
    // A diverged run (NaN/Inf weights, which the trainer pauses on) still gets its metrics
    // file: the decompositions below are not run on it — Eigen leaves an SVD of NaN unset,
    // and reading it crashed — and each says "diverged" instead of a number.
    const std::string diverged = divergence_note(session.network());
    if (!diverged.empty()) out["diverged"] = diverged;
    if (!pca_shape_refusal(session.network()).empty()) {
        // not comparable with PCA: no "pca" entry, as before
    } else if (!diverged.empty()) {
        out["pca"] = {{"k", session.network().code_size()},
                      {"max_angle_deg", nullptr},
                      {"mean_angle_deg", nullptr},
                      {"ae_mse", nullptr},
                      {"pca_mse", nullptr},
                      {"diverged", diverged}};
    } else {
        // The whole training set, where PCA-k is the optimum: ae_mse ≥ pca_mse up to rounding.
        const Pca pca = compute_pca(session.data().train_x, session.pool());
        ThreadWorkspaces ws;
        const PcaComparison c = compare_with_pca(session.network(), pca, session.data().train_x,
                                                 -1, ws, session.pool());
        out["pca"] = {{"k", c.k},
                      {"max_angle_deg", c.max_angle_deg()},
                      {"mean_angle_deg", c.mean_angle_deg()},
                      {"ae_mse", c.ae_mse},
                      {"pca_mse", c.pca_mse},
                      {"explained_variance", c.explained_variance},
                      {"seconds", pca.seconds}};
    }
    if (!diverged.empty()) {
        out["anomaly"] = {{"k", 3}, {"diverged", diverged}};
    } else {
        // The 3σ rule at k = 3, squared error (what the Anomaly panel starts with).
        constexpr double k = 3;
        ThreadWorkspaces ws;
        const AnomalyErrors e = anomaly_errors(session.network(), session.data(),
                                               effective_loss(session.config()),
                                               ErrorMeasure::SquaredError, ws, session.pool());
        const AnomalyRates rates = rates_at(e, k);
        nlohmann::json& a = out["anomaly"];
        a = {{"k", k},
             {"mu", e.train_stats.mean},
             {"sigma", e.train_stats.sigma},
             {"threshold", rates.threshold},
             {"false_alarm_rate", rates.false_alarm_rate}};
        for (int kk : {2, 3, 4}) {
            const AnomalyRates r = rates_at(e, kk);
            a["k" + std::to_string(kk)] = {{"false_alarm_rate", r.false_alarm_rate},
                                           {"detection_rate", r.detection_rate}};
        }
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
