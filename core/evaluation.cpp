#include "core/evaluation.h"

#include <algorithm>

#include "core/corruption.h"

namespace aelab {

namespace {
constexpr uint64_t kEvaluationSeed = 0xE7A1;  // fixed: the same noise for every evaluation
}

Evaluation Evaluator::run(const Network& net, const Objective& obj, ConstMatRef x, int count,
                          NoiseKind noise, float noise_level) {
    const int total = count < 0 ? int(x.cols()) : std::min<int>(count, x.cols());
    const int n = int(x.rows());
    m_ws.reserve(net, kChunk);
    if (m_input.rows() != n || m_input.cols() < kChunk) m_input.resize(n, kChunk);
    m_per_sample_loss.resize(total);
    m_jacobian.resize(kChunk);
    m_rng.reseed(kEvaluationSeed);

    Evaluation result;
    result.samples = total;
    const bool autoencoder = net.kind() == ModelKind::Autoencoder;
    Vec p_hat_sum = Vec::Zero(autoencoder ? net.code_size() : 0);
    double squared_error = 0, jacobian = 0, abs_mu = 0, sigma = 0;
    for (int start = 0; start < total; start += kChunk) {
        const int b = std::min(kChunk, total - start);
        auto target = x.middleCols(start, b);
        auto input = m_input.leftCols(b);
        if (noise != NoiseKind::None)
            corrupt(noise, noise_level, target, input, m_rng);
        else
            input = target;
        if (net.kind() == ModelKind::Vae)
            m_rng.fill_normal(m_ws.eps.data(), long(net.latent()) * b);
        const Terms t = evaluate_objective(net, input, target, obj, m_ws, nullptr);
        const double w = double(b) / total;
        result.terms.recon += t.recon * w;
        result.terms.contractive += t.contractive * w;
        result.terms.kl += t.kl * w;
        result.terms.l2 = t.l2;  // a property of the weights, not of the samples
        squared_error += double((reconstruction(m_ws, b) - target).squaredNorm());
        reconstruction_loss_per_sample(obj.loss, target, m_ws, b, m_per_sample_loss.data() + start);
        jacobian_fro2_per_sample(net, m_ws, b, m_jacobian.data());
        for (int i = 0; i < b; ++i) jacobian += m_jacobian[i];
        if (autoencoder) p_hat_sum += m_ws.p_hat * float(b);
        if (!autoencoder) {
            const int d = net.latent();
            auto heads = m_ws.act[net.code_layer()].leftCols(b);
            abs_mu += double(heads.topRows(d).cwiseAbs().sum());
            sigma += double((0.5f * heads.bottomRows(d).array()).exp().sum());
        }
    }
    if (total > 0) {
        result.mse_per_pixel = squared_error / (double(total) * n);
        result.jacobian_fro2 = jacobian / total;
        if (autoencoder) {
            result.p_hat = p_hat_sum / float(total);
            result.terms.sparsity = sparsity_penalty(obj, result.p_hat);
        } else {
            result.mean_abs_mu = abs_mu / (double(total) * net.latent());
            result.mean_sigma = sigma / (double(total) * net.latent());
        }
    }
    return result;
}

}  // namespace aelab
