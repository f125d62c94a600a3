#include "core/model/evaluation.h"

#include <algorithm>

#include "core/data/corruption.h"

namespace aelab {

namespace {
// Fixed: the same noise for every evaluation. Each piece draws from its own stream, so a
// piece's noise does not depend on which thread evaluates it, or when.
constexpr uint64_t kEvaluationSeed = 0xE7A1;
uint64_t piece_seed(int piece) {
    return kEvaluationSeed + uint64_t(piece) * 0x9E3779B97F4A7C15ull;
}
}  // namespace

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

void Evaluator::run_piece(const Network& net, const Objective& obj, ConstMatRef x,
                          const EvaluationOptions& options, const Pieces& pieces, int piece,
                          ThreadBuffers& t) {
    const int b = pieces.length(piece), batch = std::max(1, options.batch);
    const auto target = x.middleCols(pieces.start(piece), b);
    t.rng.reseed(piece_seed(piece));
    const bool noisy = options.noise != NoiseKind::None;
    if (noisy) corrupt(options.noise, options.noise_level, target, t.input.leftCols(b), t.rng);
    const ConstMatRef input = noisy ? ConstMatRef(t.input.leftCols(b)) : ConstMatRef(target);
    if (net.kind() == ModelKind::Vae) t.rng.fill_normal(t.ws.eps.data(), long(net.latent()) * b);
    PieceSums& sums = m_sums[piece];
    sums = PieceSums{};
    sums.terms = evaluate_objective(net, input, target, obj, t.ws, nullptr);
    jacobian_fro2_per_sample(net, t.ws, b, t.jacobian.data());
    for (int i = 0; i < b; ++i) sums.jacobian += t.jacobian[i];
    if (options.code_jacobian) {
        code_jacobian_fro2_per_sample(net, t.ws, b, t.jacobian.data());
        for (int i = 0; i < b; ++i) sums.code_jacobian += t.jacobian[i];
    }
    if (net.kind() == ModelKind::Autoencoder) {
        const auto code = t.ws.act[net.code_layer()].leftCols(b);
        sums.code_sum = code.rowwise().sum();
        // The sparsity term as training sees it: β Σ_j KL(p‖p̂_j) of each batch.
        const bool sparsity = obj.sparsity != SparsityKind::None;
        for (int s = 0; sparsity && s < b; s += batch) {
            const int size = std::min(batch, b - s);
            t.batch_p_hat.noalias() = code.middleCols(s, size).rowwise().sum() / float(size);
            sums.sparsity += sparsity_penalty(obj, t.batch_p_hat) * size;
        }
    } else {
        const int d = net.latent();
        auto heads = t.ws.act[net.code_layer()].leftCols(b);
        sums.abs_mu = double(heads.topRows(d).cwiseAbs().sum());
        sums.sigma = double((0.5f * heads.bottomRows(d).array()).exp().sum());
        if (options.mse) decode_mean(net, t.ws, b);  // the reconstruction error of z = μ
    }
    if (options.mse) sums.squared_error = double((reconstruction(t.ws, b) - target).squaredNorm());
}

Evaluation Evaluator::run(const Network& net, const Objective& obj, ConstMatRef x,
                          const EvaluationOptions& options, WorkerPool* pool) {
    const int total = options.count < 0 ? int(x.cols()) : std::min<int>(options.count, x.cols());
    const int n = int(x.rows());
    // Pieces hold whole batches, so every p̂ of the sparsity term spans `batch` samples.
    const Pieces pieces{total, piece_size(options.batch)};
    const int threads = pass_threads(pool, pieces.count());
    if (int(m_threads.size()) < threads) m_threads.resize(threads);
    for (int i = 0; i < threads; ++i) {
        ThreadBuffers& t = m_threads[i];
        t.ws.reserve(net, pieces.size);
        if (t.input.rows() != n || t.input.cols() < pieces.size) t.input.resize(n, pieces.size);
        t.jacobian.resize(pieces.size);
    }
    m_sums.resize(pieces.count());
    for_each_piece(pool, 0, pieces.count(), [&](int thread, int piece) {
        run_piece(net, obj, x, options, pieces, piece, m_threads[thread]);
    });

    Evaluation result;
    result.samples = total;
    if (total == 0) return result;
    const bool autoencoder = net.kind() == ModelKind::Autoencoder;
    double squared_error = 0, jacobian = 0, code_jacobian = 0, abs_mu = 0, sigma = 0;
    double sparsity_sum = 0;
    Vec p_hat_sum = Vec::Zero(autoencoder ? net.code_size() : 0);
    for (int piece = 0; piece < pieces.count(); ++piece) {
        const PieceSums& s = m_sums[piece];
        const double w = double(pieces.length(piece)) / total;
        result.terms.recon += s.terms.recon * w;
        result.terms.contractive += s.terms.contractive * w;
        result.terms.kl += s.terms.kl * w;
        result.terms.l2 = s.terms.l2;  // a property of the weights, not of the samples
        jacobian += s.jacobian;
        code_jacobian += s.code_jacobian;
        abs_mu += s.abs_mu;
        sigma += s.sigma;
        sparsity_sum += s.sparsity;
        squared_error += s.squared_error;
        if (autoencoder) p_hat_sum += s.code_sum;
    }
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
    return result;
}

}  // namespace aelab
