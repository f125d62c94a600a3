// The maths of SPEC §1, §3 and §4 as one forward and one backward sweep over the layers.
#include "core/model/objective.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "core/base/check.h"
#include "core/base/gemm.h"
#include "core/base/worker_pool.h"
#include "core/model/activation.h"

namespace aelab {
namespace {

constexpr float kBceClamp = 1e-7f;   // as PyTorch's reference: x̂ clamped to [1e-7, 1 − 1e-7]
constexpr float kPHatClamp = 1e-6f;  // keeps KL(p‖p̂) finite for non-sigmoid codes

// The first `batch` columns of a buffer as one contiguous array (column-major).
ArrayMap flat(Mat& m, int batch) {
    return ArrayMap(m.data(), m.rows() * batch);
}

// The input of layer l: the batch, z for a VAE's first decoder layer, or A_{l−1}.
ConstMatRef layer_input(const Network& net, ConstMatRef input, const Workspace& ws, int l,
                        int batch) {
    if (l == 0) return input;
    if (net.kind() == ModelKind::Vae && l == net.first_decoder_layer()) return ws.z.leftCols(batch);
    return ws.act[l - 1].leftCols(batch);
}

// BCE of a sigmoid output from its logits z, exactly and without overflow:
// −[x log σ(z) + (1 − x) log(1 − σ(z))] = max(z, 0) − x z + log(1 + e^−|z|), as PyTorch's
// BCEWithLogits. Its gradient is σ(z) − x, with no clamp anywhere.
// log(1 + e^−|z|) rather than log1p: Eigen vectorises log, not log1p (libm's scalar log1pf
// cost 10 % of a VAE step); the two differ by under 6e-8 per pixel, next to a term ≈ |z|.
template <class Z, class X>
auto bce_from_logits(const Z& z, const X& x) {
    return z.max(0.0f) - x * z + (1.0f + (-z.abs()).exp()).log();
}

// BCE of any other output: x̂ is clamped into [1e-7, 1 − 1e-7] (a tanh, ReLU or linear f can
// leave (0, 1)); where the clamp bites the value is flat and the gradient is 0 — the visible
// consequence of a mismatched pair, which the Controls panel explains.
template <class P, class X>
auto bce_clamped(const P& xhat, const X& x) {
    auto c = xhat.max(kBceClamp).min(1.0f - kBceClamp);
    return -(x * c.log() + (1.0f - x) * (1.0f - c).log());
}

// ∂J/∂Z of the output layer into delta.back() for the `batch` columns of this slice, of a
// whole batch of `whole` (the objective's mean is over the whole); returns this slice's part
// of the reconstruction term.
double output_delta(const Network& net, LossKind loss, ConstMatRef target, Workspace& ws,
                    int batch, int whole) {
    const Activation f = net.layers().back().act;
    ArrayMap out = flat(ws.act.back(), batch);
    ArrayMap delta = flat(ws.delta.back(), batch);
    ConstArrayMap x(target.data(), out.size());
    AELAB_CHECK(target.outerStride() == target.rows(), "target must be contiguous");
    const float inv_b = 1.0f / whole;
    if (loss == LossKind::Mse) {
        delta = out - x;
        const double recon = double(delta.matrix().squaredNorm()) * inv_b;
        delta *= 2.0f * inv_b;
        multiply_by_derivative(f, out.data(), delta.data(), delta.size());
        return recon;
    }
    if (f == Activation::Sigmoid) {
        delta = (out - x) * inv_b;  // logistic f with cross-entropy: ∂J/∂z = x̂ − x
        // Each sample's pixels summed in float (vectorised), the samples in double:
        // saturated outputs make large per-pixel terms (≈ |z|).
        const auto z = ws.logits.leftCols(batch).array();
        return bce_from_logits(z, target.array()).colwise().sum().template cast<double>().sum() *
               inv_b;
    }
    const double recon = double(bce_clamped(out, x).sum()) * inv_b;
    auto inside = (out > kBceClamp && out < 1.0f - kBceClamp);
    delta = inside.select((out - x) / (out * (1.0f - out)) * inv_b, 0.0f);
    multiply_by_derivative(f, out.data(), delta.data(), delta.size());
    return recon;
}

// d/dp̂ of one unit's sparsity penalty (without β); 0 where KL's clamp holds p̂.
float sparsity_slope(const Objective& obj, float p_hat) {
    const float p = obj.sparsity_p;
    if (obj.sparsity == SparsityKind::Squared) return 2 * (p_hat - p);
    if (obj.sparsity == SparsityKind::Hinge) return (1 - p_hat) * p > 0 ? -p : 0.0f;
    if (obj.sparsity == SparsityKind::PHatSquared) return 2 * p_hat;
    const float q = std::clamp(p_hat, kPHatClamp, 1.0f - kPHatClamp);
    if (q != p_hat) return 0;  // clamped: the penalty is flat there
    return -p / q + (1 - p) / (1 - q);
}

// Adds the sparsity penalty's gradient to ∂J/∂h (the code, before g′) in ws.delta, for the
// `batch` columns of this slice; p̂ and B are the whole batch's.
void add_sparsity_gradient(const Objective& obj, Workspace& ws, const Vec& p_hat, int code_layer,
                           int batch, int whole) {
    for (Eigen::Index j = 0; j < p_hat.size(); ++j) {
        const float slope = sparsity_slope(obj, p_hat[j]);
        if (slope == 0) continue;
        // ∂p̂_j/∂h_j(x_i) = 1/B for every sample i: the same value added to every column.
        ws.delta[code_layer].row(j).head(batch).array() += obj.sparsity_beta * slope / whole;
    }
}

}  // namespace

double sparsity_penalty(const Objective& obj, const Vec& p_hat) {
    if (obj.sparsity == SparsityKind::None || obj.sparsity_beta == 0.0f) return 0;
    const double p = obj.sparsity_p;
    double sum = 0;
    for (Eigen::Index j = 0; j < p_hat.size(); ++j) {
        if (obj.sparsity == SparsityKind::Squared) {
            sum += (p_hat[j] - p) * (p_hat[j] - p);
            continue;
        }
        if (obj.sparsity == SparsityKind::Hinge) {  // quiz: a wrong answer
            sum += std::max(0.0, (1 - double(p_hat[j])) * p);
            continue;
        }
        if (obj.sparsity == SparsityKind::PHatSquared) {  // quiz: a wrong answer
            sum += double(p_hat[j]) * p_hat[j];
            continue;
        }
        const double q = std::clamp(p_hat[j], kPHatClamp, 1.0f - kPHatClamp);
        sum += p * std::log(p / q) + (1 - p) * std::log((1 - p) / (1 - q));
    }
    return obj.sparsity_beta * sum;
}

Objective Objective::from(const Config& config) {
    Objective o;
    static_cast<Knobs&>(o) = config.knobs;
    o.loss = effective_loss(config);
    if (config.model == ModelKind::Vae) o.sparsity = SparsityKind::None;  // no code to make sparse
    return o;
}

bool Workspace::fits(const Network& net) const {
    const auto& layers = net.layers();
    if (shape.size() != layers.size() + 2) return false;
    for (size_t l = 0; l < layers.size(); ++l)
        if (shape[l] != layers[l].out) return false;
    // A sigmoid output keeps its logits in `logits`, which no other output has: a rebuild
    // that only changes the output activation keeps every layer's size, yet needs that buffer
    // (lesson 06's decoder linear → sigmoid aborted in gemm on a 0-row logits block).
    const int logit_rows = layers.back().act == Activation::Sigmoid ? layers.back().out : 0;
    return shape[layers.size()] == net.latent() && shape[layers.size() + 1] == net.code_size() &&
           logits.rows() == logit_rows;
}

void Workspace::reserve(const Network& net, int batch) {
    const auto& layers = net.layers();
    const bool same_shape = fits(net);
    if (same_shape && batch <= capacity) return;
    capacity = same_shape ? std::max(batch, capacity) : batch;
    shape.clear();
    for (const DenseLayer& layer : layers) shape.push_back(layer.out);
    shape.push_back(net.latent());
    shape.push_back(net.code_size());
    act.resize(layers.size());
    delta.resize(layers.size());
    for (size_t l = 0; l < layers.size(); ++l) {
        act[l].resize(layers[l].out, capacity);
        delta[l].resize(layers[l].out, capacity);
    }
    logits.resize(layers.back().act == Activation::Sigmoid ? layers.back().out : 0, capacity);
    const int d = std::max(1, net.latent());
    eps.setZero(d, capacity);
    z.resize(d, capacity);
    dz.resize(d, capacity);
    d1.resize(layers[0].out, capacity);
    d2.resize(layers[0].out, capacity);
    p_hat.resize(net.code_size());
    row_norms2.resize(layers[0].out);
    mean_d1_sq.resize(layers[0].out);
}

namespace {

// Layers [from, to] for a batch of `batch` columns; `input` feeds layer 0 only.
void run_layers(const Network& net, ConstMatRef input, Workspace& ws, int batch, int from, int to,
                bool sample) {
    AELAB_CHECK(batch <= ws.capacity && ws.fits(net), "workspace not reserved for this network");
    const auto& layers = net.layers();
    const int last = int(layers.size()) - 1;
    for (int l = from; l <= to; ++l) {
        const DenseLayer& layer = layers[l];
        auto out = ws.act[l].leftCols(batch);
        // A sigmoid output keeps its logits z (cross-entropy is computed from them).
        const bool keep_logits = l == last && layer.act == Activation::Sigmoid;
        auto z = keep_logits ? ws.logits.leftCols(batch) : out;
        // Bias first, then accumulate the product into it: one pass less than adding the
        // bias afterwards, and the activation then runs over one contiguous buffer.
        z.colwise() = net.bias(l);
        gemm(1.0f, net.weight(l), layer.transposed ? Op::T : Op::N,
             layer_input(net, input, ws, l, batch), Op::N, 1.0f, z);
        if (keep_logits)
            apply_activation(layer.act, z.data(), out.data(), out.size());
        else
            apply_activation(layer.act, out.data(), out.size());
        if (net.kind() == ModelKind::Vae && l == net.code_layer()) {
            const int d = net.latent();
            auto mu = out.topRows(d);
            auto log_var = out.bottomRows(d);
            auto z = ws.z.leftCols(batch);
            if (sample)
                z.array() =
                    mu.array() + (0.5f * log_var.array()).exp() * ws.eps.leftCols(batch).array();
            else
                z = mu;
        }
    }
}

}  // namespace

void forward(const Network& net, ConstMatRef input, Workspace& ws, bool sample) {
    const int batch = static_cast<int>(input.cols());
    AELAB_CHECK(input.rows() == net.input_size(), "input rows != network input size");
    ws.reserve(net, batch);
    run_layers(net, input, ws, batch, 0, int(net.layers().size()) - 1, sample);
    if (net.kind() == ModelKind::Autoencoder)
        ws.p_hat.noalias() =
            ws.act[net.code_layer()].leftCols(batch).rowwise().sum() / float(batch);
}

void encode(const Network& net, ConstMatRef input, Workspace& ws) {
    AELAB_CHECK(input.rows() == net.input_size(), "input rows != network input size");
    ws.reserve(net, int(input.cols()));
    run_layers(net, input, ws, int(input.cols()), 0, net.code_layer(), /*sample=*/false);
}

void decode(const Network& net, ConstMatRef codes, Workspace& ws) {
    const int batch = static_cast<int>(codes.cols());
    const bool vae = net.kind() == ModelKind::Vae;
    AELAB_CHECK(codes.rows() == (vae ? net.latent() : net.code_size()), "code size");
    ws.reserve(net, batch);
    // The decoder reads its input where a forward pass would have left it.
    if (vae)
        ws.z.leftCols(batch) = codes;
    else
        ws.act[net.code_layer()].leftCols(batch) = codes;
    run_layers(net, codes, ws, batch, net.first_decoder_layer(), int(net.layers().size()) - 1,
               false);
}

double kl_to_standard_normal(ConstMatRef mu, ConstMatRef log_var) {
    return -0.5 *
           double((1.0f + log_var.array() - mu.array().square() - log_var.array().exp()).sum());
}

namespace {

// The terms of a slice after its forward pass (see slice_objective).
Terms slice_terms(const Network& net, ConstMatRef target, const Objective& obj, Workspace& ws,
                  int batch, const BatchShare& share) {
    const auto& layers = net.layers();
    Terms terms;
    terms.recon = output_delta(net, obj.loss, target, ws, batch, share.batch);

    // Contractive quantities of the first layer: s_l = Σ_j W_lj², g′, g″.
    if (obj.contractive != 0.0f) {
        ws.row_norms2.noalias() = net.weight(0).rowwise().squaredNorm();
        auto d1 = ws.d1.leftCols(batch), d2 = ws.d2.leftCols(batch);
        first_and_second_derivative(layers[0].act, ws.act[0].data(), d1.data(), d2.data(),
                                    d1.size());
        ws.mean_d1_sq.noalias() = d1.array().square().matrix().rowwise().sum() / float(share.batch);
        terms.contractive = obj.contractive * double(ws.mean_d1_sq.dot(ws.row_norms2));
    }

    if (net.kind() == ModelKind::Vae) {
        const int d = net.latent();
        auto h = ws.act[net.code_layer()].leftCols(batch);
        terms.kl =
            obj.vae_beta * kl_to_standard_normal(h.topRows(d), h.bottomRows(d)) / share.batch;
    }
    if (!share.first) return terms;
    // The whole batch's p̂, and the weights: once, in the first slice.
    if (net.kind() == ModelKind::Autoencoder) terms.sparsity = sparsity_penalty(obj, *share.p_hat);
    // λ = 0 skips the pass over every weight (a serial 2 % of a sliced step).
    if (obj.l2 != 0.0f)
        for (const auto& [offset, size] : net.weight_blocks())
            terms.l2 += obj.l2 * double(ConstVecMap(net.params().data() + offset, size).squaredNorm());
    return terms;
}

// ∂J/∂Z of a VAE's heads from ∂J/∂Z of its first decoder layer l (reparameterisation).
void heads_delta(const Network& net, const Objective& obj, Workspace& ws, int l, int batch,
                 int whole, bool sample) {
    const DenseLayer& layer = net.layers()[l];
    const int d = net.latent(), heads = net.code_layer();
    auto dz = ws.dz.leftCols(batch);
    gemm(1.0f, net.weight(l), layer.transposed ? Op::N : Op::T, ws.delta[l].leftCols(batch), Op::N,
         0.0f, dz);
    auto h = ws.act[heads].leftCols(batch);
    auto dh = ws.delta[heads].leftCols(batch);
    const float kl_scale = obj.vae_beta / whole;
    // z = μ + σ ⊙ ε, σ = exp(½ log σ²).
    if (sample) {
        auto sigma = (0.5f * h.bottomRows(d).array()).exp();
        dh.bottomRows(d).array() = dz.array() * ws.eps.leftCols(batch).array() * 0.5f * sigma +
                                   0.5f * kl_scale * (sigma.square() - 1.0f);
    } else {
        dh.bottomRows(d).array() = 0.5f * kl_scale * ((h.bottomRows(d).array()).exp() - 1.0f);
    }
    dh.topRows(d).array() = dz.array() + kl_scale * h.topRows(d).array();
}

// The backward sweep of a slice: ∂J/∂Z of every layer into ws.delta, from the output's (set
// by slice_terms) down to the first layer's. The products that turn them into ∂J/∂θ are
// gradient_block's, for every slice at once.
void slice_deltas(const Network& net, const Objective& obj, Workspace& ws, int batch,
                  const BatchShare& share, bool sparsity, bool sample, const LayerDone& done) {
    const auto& layers = net.layers();
    const bool contractive = obj.contractive != 0.0f;
    const bool vae = net.kind() == ModelKind::Vae;
    for (int l = int(layers.size()) - 1; l >= 1; --l) {
        if (vae && l == net.first_decoder_layer()) {
            heads_delta(net, obj, ws, l, batch, share.batch, sample);
            if (done.call) done.call(done.context, l);
            continue;  // the heads layer is linear: ∂J/∂Z = ∂J/∂A
        }
        auto delta = ws.delta[l].leftCols(batch);
        auto prev = ws.delta[l - 1].leftCols(batch);
        gemm(1.0f, net.weight(l), layers[l].transposed ? Op::N : Op::T, delta, Op::N, 0.0f, prev);
        if (l - 1 == net.code_layer() && sparsity)
            add_sparsity_gradient(obj, ws, *share.p_hat, l - 1, batch, share.batch);
        multiply_by_derivative(layers[l - 1].act, ws.act[l - 1].data(), prev.data(), prev.size());
        if (l - 1 == 0 && contractive) {
            // ∂/∂z_il of λ/B Σ g′(z_il)² s_l = 2λ/B · g′ g″ s_l
            auto d1 = ws.d1.leftCols(batch).array(), d2 = ws.d2.leftCols(batch).array();
            prev.array() += ((d1 * d2).colwise() * ws.row_norms2.array()) *
                            (2.0f * obj.contractive / share.batch);
        }
        if (done.call) done.call(done.context, l);
    }
    if (done.call) done.call(done.context, 0);
}

// The layers that own a weight matrix, in order: gradient block b < their count is the matrix
// of the b-th of them.
int owner_of_weight_block(const Network& net, int block) {
    for (int l = 0; l < int(net.layers().size()); ++l)
        if (net.layers()[l].owns_weight && block-- == 0) return l;
    return -1;
}

int weight_block_count(const Network& net) {
    int count = 0;
    for (const DenseLayer& layer : net.layers()) count += layer.owns_weight ? 1 : 0;
    return count;
}

}  // namespace

Terms slice_objective(const Network& net, ConstMatRef input, ConstMatRef target,
                      const Objective& obj, Workspace& ws, bool deltas, bool sample,
                      const BatchShare& share, const LayerDone& done) {
    const int batch = static_cast<int>(input.cols());
    AELAB_CHECK(target.rows() == input.rows() && target.cols() == batch, "target shape");
    AELAB_CHECK(obj.loss != LossKind::Auto, "objective loss must be resolved");
    AELAB_CHECK(share.batch >= batch && (share.p_hat || net.kind() == ModelKind::Vae),
                "a slice needs its whole batch's size and p̂");
    const Terms terms = slice_terms(net, target, obj, ws, batch, share);
    if (!deltas) return terms;
    // Every slice adds its columns' part of the sparsity gradient; the first one says the term.
    const bool sparsity = net.kind() == ModelKind::Autoencoder &&
                          (share.first ? terms.sparsity : sparsity_penalty(obj, *share.p_hat)) != 0.0;
    slice_deltas(net, obj, ws, batch, share, sparsity, sample, done);
    return terms;
}

int gradient_block_count(const Network& net) {
    return weight_block_count(net) + int(net.layers().size());
}

std::array<ParamRange, 2> whole_batch_layer_gradient(const Network& net, const Objective& obj,
                                                     ConstMatRef input, const Workspace& ws,
                                                     int layer, Vec& grad) {
    const Workspace* const whole[] = {&ws};
    std::array<ParamRange, 2> written;  // the weight matrix's (empty if not the owner), the bias's
    if (net.layers()[layer].owns_weight) {
        int block = 0;
        for (int l = 0; l < layer; ++l) block += net.layers()[l].owns_weight ? 1 : 0;
        written[0] = gradient_block(net, obj, input, whole, block, 0, 1, grad);
    }
    written[1] = gradient_block(net, obj, input, whole, weight_block_count(net) + layer, 0, 1, grad);
    return written;
}

ParamRange gradient_block(const Network& net, const Objective& obj, ConstMatRef input,
                          std::span<const Workspace* const> slices, int block, int part, int parts,
                          Vec& grad) {
    AELAB_CHECK(grad.size() == net.param_count(), "gradient buffer size");
    AELAB_CHECK(!slices.empty() && int(slices.size()) <= input.cols() && part >= 0 && part < parts,
                "gradient_block: slices or part out of range");
    const int batch = int(input.cols()), count = int(slices.size());
    const auto& layers = net.layers();
    const auto slice_columns = [&](int s) {
        const int first = WorkerPool::first_item(batch, count, s);
        return std::pair{first, WorkerPool::first_item(batch, count, s + 1) - first};
    };
    const int weights = weight_block_count(net);
    if (block >= weights) {  // the bias of layer block − weights: rows [r0, r1), Σ_i δ_i there
        const int l = block - weights;
        const int r0 = WorkerPool::first_item(layers[l].out, parts, part);
        const int rows = WorkerPool::first_item(layers[l].out, parts, part + 1) - r0;
        if (rows == 0) return {};
        auto db = net.bias(grad, l).segment(r0, rows);
        for (int s = 0; s < count; ++s) {
            auto delta = slices[s]->delta[l].middleRows(r0, rows).leftCols(slice_columns(s).second);
            if (s == 0)
                db.noalias() = delta.rowwise().sum();
            else
                db.noalias() += delta.rowwise().sum();
        }
        return {layers[l].bias_offset + r0, layers[l].bias_offset + r0 + rows};
    }
    // A weight matrix (stored out×in by the layer that owns it): columns [c0, c1) of it, from
    // every layer that uses it (a tied decoder layer uses it transposed) and every slice, in
    // the backward sweep's order (the tied decoder layer first).
    const int owner = owner_of_weight_block(net, block);
    const DenseLayer& own = layers[owner];
    const int c0 = WorkerPool::first_item(own.in, parts, part);
    const int cols = WorkerPool::first_item(own.in, parts, part + 1) - c0;
    if (cols == 0) return {};
    auto dw = net.weight(grad, owner).middleCols(c0, cols);
    bool written = false;
    for (int l = int(layers.size()) - 1; l >= owner; --l) {
        if (layers[l].weight_offset != own.weight_offset) continue;
        for (int s = 0; s < count; ++s) {
            const auto [first, b] = slice_columns(s);
            ConstMatRef in = layer_input(net, input.middleCols(first, b), *slices[s], l, b);
            auto delta = slices[s]->delta[l].leftCols(b);
            const float beta = written ? 1.0f : 0.0f;
            if (layers[l].transposed)  // W stored in×out; ∂J/∂Wᵀ = δ inᵀ, so ∂J/∂W = in δᵀ
                gemm(1.0f, in, Op::N, delta.middleRows(c0, cols), Op::T, beta, dw);
            else
                gemm(1.0f, delta, Op::N, in.middleRows(c0, cols), Op::T, beta, dw);
            written = true;
        }
    }
    auto w = net.weight(owner).middleCols(c0, cols);
    if (owner == 0 && obj.contractive != 0.0f) {
        // Direct dependence on W through s_l: ∂/∂W_lj = 2λ · mean_i g′(z_il)² · W_lj, the mean
        // in each slice's part.
        for (int s = 0; s < count; ++s)
            dw.array() += (w.array().colwise() * slices[s]->mean_d1_sq.array()) *
                          (2.0f * obj.contractive);
    }
    if (obj.l2 != 0.0f) dw += (2.0f * obj.l2) * w;
    const Eigen::Index begin = own.weight_offset + Eigen::Index(c0) * own.out;
    return {begin, begin + Eigen::Index(cols) * own.out};
}

Terms evaluate_objective(const Network& net, ConstMatRef input, ConstMatRef target,
                         const Objective& obj, Workspace& ws, Vec* grad, bool sample) {
    AELAB_CHECK(target.rows() == input.rows() && target.cols() == input.cols(), "target shape");
    forward(net, input, ws, sample);
    // Each layer's products as soon as the sweep has passed it, while its δ is in the cache.
    struct Products {
        const Network& net;
        const Objective& obj;
        ConstMatRef input;
        const Workspace& ws;
        Vec* grad;
    } products{net, obj, input, ws, grad};
    const LayerDone done{[](void* context, int layer) {
                             auto& p = *static_cast<Products*>(context);
                             whole_batch_layer_gradient(p.net, p.obj, p.input, p.ws, layer, *p.grad);
                         },
                         &products};
    return slice_objective(net, input, target, obj, ws, grad != nullptr, sample,
                           {int(input.cols()), &ws.p_hat, true}, grad ? done : LayerDone{});
}

void jacobian_fro2_per_sample(const Network& net, Workspace& ws, int batch, float* out) {
    // h_1 = g(W x + b): ∂h_l/∂x_j = g′(z_l) W_lj, so ‖J‖²_F = Σ_l g′(z_l)² Σ_j W_lj².
    ws.row_norms2.noalias() = net.weight(0).rowwise().squaredNorm();
    auto d1 = ws.d1.leftCols(batch), d2 = ws.d2.leftCols(batch);
    first_and_second_derivative(net.layers()[0].act, ws.act[0].data(), d1.data(), d2.data(),
                                d1.size());
    Eigen::Map<Eigen::RowVectorXf> result(out, batch);
    result.noalias() = ws.row_norms2.transpose() * d1.array().square().matrix();
}

void reconstruction_loss_per_sample(const Network& net, LossKind loss, ConstMatRef target,
                                    Workspace& ws, int batch, float* out) {
    auto xhat = ws.act.back().leftCols(batch).array();
    auto x = target.array();
    Eigen::Map<Eigen::RowVectorXf> result(out, batch);
    if (loss == LossKind::Mse)
        result = (xhat - x).square().colwise().sum();
    else if (net.layers().back().act == Activation::Sigmoid)
        result = bce_from_logits(ws.logits.leftCols(batch).array(), x).colwise().sum();
    else
        result = bce_clamped(xhat, x).colwise().sum();
}

void decode_mean(const Network& net, Workspace& ws, int batch) {
    AELAB_CHECK(net.kind() == ModelKind::Vae, "decode_mean: a VAE only");
    const int d = net.latent();
    ws.z.leftCols(batch) = ws.act[net.code_layer()].leftCols(batch).topRows(d);
    run_layers(net, ws.z.leftCols(batch), ws, batch, net.first_decoder_layer(),
               int(net.layers().size()) - 1, false);
}

void code_jacobian_fro2_per_sample(const Network& net, Workspace& ws, int batch, float* out) {
    const int c = net.code_layer();
    if (c == 0) return jacobian_fro2_per_sample(net, ws, batch, out);
    const auto& layers = net.layers();
    // J = D_c W_c D_{c−1} ⋯ W₂ D₁ W₁ = R W₁ with R = D_c W_c ⋯ W₂ D₁ (rows: code units,
    // columns: layer-1 units). Either ‖R W₁‖²_F per sample, or trace(R G Rᵀ) with G = W₁W₁ᵀ
    // formed once: whichever costs fewer multiplications (few samples or a narrow code: the
    // first; the whole test set: the second).
    const bool vae = net.kind() == ModelKind::Vae;
    const int rows = vae ? net.latent() : layers[c].out;  // a VAE's code is μ, the heads' top half
    const auto w1 = net.weight(0);
    const double m1 = double(w1.rows()), n = double(w1.cols());
    const bool use_gram = m1 * m1 * n + batch * rows * m1 * m1 < batch * rows * m1 * n;
    if (use_gram) {
        ws.gram.resize(w1.rows(), w1.rows());
        ws.gram.noalias() = w1 * w1.transpose();
    }
    ws.derivatives.resize(c + 1);
    for (int l = 0; l <= c; ++l) {
        Mat& d = ws.derivatives[l];
        d.resize(layers[l].out, batch);
        ws.chain_next.resize(layers[l].out, batch);  // g″, not needed here
        first_and_second_derivative(layers[l].act, ws.act[l].data(), d.data(),
                                    ws.chain_next.data(), d.size());
    }
    for (int i = 0; i < batch; ++i) {
        // R = D_c W_c, then for l = c−1 … 1: R := (R D_l) W_l, then R := R D₁ (l = 0).
        ws.chain = net.weight(c).topRows(rows);
        ws.chain.array().colwise() *= ws.derivatives[c].col(i).head(rows).array();
        for (int l = c - 1; l >= 0; --l) {
            ws.chain.array().rowwise() *= ws.derivatives[l].col(i).array().transpose();
            if (l == 0) break;
            ws.chain_next.noalias() = ws.chain * net.weight(l);
            ws.chain.swap(ws.chain_next);
        }
        if (use_gram) {
            ws.chain_gram.noalias() = ws.chain * ws.gram;
            out[i] = (ws.chain_gram.array() * ws.chain.array()).sum();
        } else {
            ws.chain_gram.noalias() = ws.chain * w1;
            out[i] = ws.chain_gram.squaredNorm();
        }
    }
}

}  // namespace aelab
