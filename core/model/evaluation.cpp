#include "core/model/evaluation.h"

#include <algorithm>

#include "core/data/corruption.h"

namespace aelab {

namespace {
constexpr uint64_t kEvaluationSeed = 0xE7A1;  // fixed: the same noise for every evaluation
}

EvaluationOptions EvaluationOptions::as_trained(const Knobs& knobs, int count) {
    EvaluationOptions o;
    o.count = count;
    o.noise = knobs.noise;
    o.noise_level = knobs.noise_level;
    o.batch = knobs.batch;
    return o;
}

EvaluationOptions EvaluationOptions::clean(const Knobs& knobs, int count) {
    EvaluationOptions o = as_trained(knobs, count);
    o.noise = NoiseKind::None;
    return o;
}

Evaluation Evaluator::run(const Network& net, const Objective& obj, ConstMatRef x,
                          const EvaluationOptions& options) {
    const int total = options.count < 0 ? int(x.cols()) : std::min<int>(options.count, x.cols());
    const int n = int(x.rows());
    // Chunks hold whole batches, so every p̂ of the sparsity term spans `batch` samples.
    const int batch = std::max(1, options.batch);
    const int chunk = std::max(1, kChunk / batch) * batch;
    m_ws.reserve(net, chunk);
    if (m_input.rows() != n || m_input.cols() < chunk) m_input.resize(n, chunk);
    m_jacobian.resize(chunk);
    m_rng.reseed(kEvaluationSeed);

    Evaluation result;
    result.samples = total;
    const bool autoencoder = net.kind() == ModelKind::Autoencoder;
    const bool sparsity = autoencoder && obj.sparsity != SparsityKind::None;
    Vec p_hat_sum = Vec::Zero(autoencoder ? net.code_size() : 0);
    double squared_error = 0, jacobian = 0, code_jacobian = 0, abs_mu = 0, sigma = 0;
    double sparsity_sum = 0;
    for (int start = 0; start < total; start += chunk) {
        const int b = std::min(chunk, total - start);
        auto target = x.middleCols(start, b);
        auto input = m_input.leftCols(b);
        if (options.noise != NoiseKind::None)
            corrupt(options.noise, options.noise_level, target, input, m_rng);
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
        jacobian_fro2_per_sample(net, m_ws, b, m_jacobian.data());
        for (int i = 0; i < b; ++i) jacobian += m_jacobian[i];
        if (options.code_jacobian) {
            code_jacobian_fro2_per_sample(net, m_ws, b, m_jacobian.data());
            for (int i = 0; i < b; ++i) code_jacobian += m_jacobian[i];
        }
        if (autoencoder) {
            const auto code = m_ws.act[net.code_layer()].leftCols(b);
            p_hat_sum += code.rowwise().sum();
            // The sparsity term as training sees it: β Σ_j KL(p‖p̂_j) of each batch.
            for (int s = 0; sparsity && s < b; s += batch) {
                const int size = std::min(batch, b - s);
                m_chunk_p_hat.noalias() = code.middleCols(s, size).rowwise().sum() / float(size);
                sparsity_sum += sparsity_penalty(obj, m_chunk_p_hat) * size;
            }
        } else {
            const int d = net.latent();
            auto heads = m_ws.act[net.code_layer()].leftCols(b);
            abs_mu += double(heads.topRows(d).cwiseAbs().sum());
            sigma += double((0.5f * heads.bottomRows(d).array()).exp().sum());
            if (options.mse) decode_mean(net, m_ws, b);  // the reconstruction error of z = μ
        }
        if (options.mse) squared_error += double((reconstruction(m_ws, b) - target).squaredNorm());
    }
    if (total > 0) {
        result.mse_per_pixel = squared_error / (double(total) * n);
        result.jacobian_fro2 = jacobian / total;
        result.code_jacobian_fro2 = code_jacobian / total;
        if (autoencoder) {
            result.p_hat = p_hat_sum / float(total);
            result.terms.sparsity = sparsity_sum / total;
        } else {
            result.mean_abs_mu = abs_mu / (double(total) * net.latent());
            result.mean_sigma = sigma / (double(total) * net.latent());
        }
    }
    return result;
}

}  // namespace aelab
