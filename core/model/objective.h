// Forward pass, objective terms and exact gradient of an autoencoder or VAE on one batch.
// Trainer thread (any thread that owns the Network and Workspace it passes).
//
// Shapes: input and target n×B (the input may be corrupted, the target is clean);
// Workspace buffers are sized once for a batch capacity, so a step does not allocate.
#pragma once

#include <array>
#include <span>
#include <vector>

#include "core/base/tensor.h"
#include "core/config/config.h"
#include "core/model/network.h"

namespace aelab {

// Each term's contribution to the objective (weights already applied), batch mean.
struct Terms {
    double recon = 0;        // (1/B) Σ_i L(x_i, x̂_i)
    double l2 = 0;           // λ Σ ‖W‖²_F
    double sparsity = 0;     // β Σ_j KL(p‖p̂_j)  or  β Σ_j (p̂_j − p)²
    double contractive = 0;  // λ (1/B) Σ_i ‖J_x(h₁)(x_i)‖²_F, first encoder layer ("layer 1")
    double kl = 0;           // β (1/B) Σ_i KL(N(μ_i, σ_i²) ‖ N(0, I))
    double total() const { return recon + l2 + sparsity + contractive + kl; }
};

// What the objective weighs: the live knobs as the next step reads them (l2, sparsity, p, β,
// contractive λ, the VAE's β), with the loss resolved and a VAE's sparsity off. It is the
// Knobs, not a copy of their fields: a new penalty knob is one field in Knobs.
struct Objective : Knobs {
    LossKind loss = LossKind::Mse;  // resolved: Mse or Bce

    static Objective from(const Config& config);
};

// Preallocated buffers for one network shape and a batch capacity. reserve() reallocates
// when the batch grows or the network's shape differs from the one the buffers were sized
// for; every entry point below calls it, so a workspace kept across a rebuild (ae → vae,
// latent 2 → 3) is resized, never misused. Warm, it compares a few ints and allocates nothing.
struct Workspace {
    int capacity = 0;
    std::vector<int> shape;  // what the buffers fit: every layer's size, then the latent size
    std::vector<Mat> act;    // act[l]: out_l × capacity, layer l's output A_l
    std::vector<Mat> delta;  // delta[l]: out_l × capacity, ∂J/∂Z_l
    Mat eps, z, dz;          // VAE: d × capacity (noise ε, sample z, ∂J/∂z)
    Mat logits;              // a sigmoid output's pre-activation z (n × capacity), for BCE
    Mat d1, d2;              // contractive: g′ and g″ of the first layer, m_1 × capacity
    Vec p_hat;               // mean code activation over the last batch (always computed)
    Vec row_norms2;          // contractive: Σ_j W_lj² per unit l of the first layer
    Vec mean_d1_sq;          // contractive: (1/B) Σ_i g′(z_il)² per unit l
    Mat gram, chain, chain_next, chain_gram;  // code Jacobian: W₁W₁ᵀ, J's chain per sample
    std::vector<Mat> derivatives; // code Jacobian: g′ of every encoder layer

    void reserve(const Network& network, int batch);
    bool fits(const Network& network) const;
};

// Fills ws.act for input (n×B). For a VAE z = μ + σ ⊙ ε with ε read from ws.eps, which the
// caller fills (so a gradient check can hold it fixed); with sample == false, z = μ.
void forward(const Network& network, ConstMatRef input, Workspace& ws, bool sample = true);

// Layers 0 … code only: afterwards ws.act[network.code_layer()] holds the code h (m×B),
// for a VAE [μ; log σ²] (2d×B).
void encode(const Network& network, ConstMatRef input, Workspace& ws);

// Decoder only, from codes (m×B; d×B for a VAE); the images are then reconstruction(ws, B).
void decode(const Network& network, ConstMatRef codes, Workspace& ws);

// KL(N(μ, σ²) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), summed over every entry (d×B).
double kl_to_standard_normal(ConstMatRef mu, ConstMatRef log_var);

// The reconstruction x̂ (n×B) of the last forward pass.
inline MatMap reconstruction(Workspace& ws, int batch) {
    return MatMap(ws.act.back().data(), ws.act.back().rows(), batch);
}

// Runs forward(input) and returns every term against target; with grad != nullptr also
// writes the exact gradient ∂J/∂θ (layout of network.params()) — every element is written.
Terms evaluate_objective(const Network& network, ConstMatRef input, ConstMatRef target,
                         const Objective& objective, Workspace& ws, Vec* grad, bool sample = true);

// Where a slice of a batch stands in the whole batch. A batch cut into slices (core/model/
// parallel_objective.h) evaluates each slice against the whole batch's size and p̂, so the
// slices' terms and gradients add up to the whole batch's.
struct BatchShare {
    int batch = 0;               // B: the whole batch, over which the objective is a mean
    const Vec* p_hat = nullptr;  // the whole batch's mean code activation (autoencoders)
    bool first = true;           // this slice also adds what belongs to no sample: the
                                 // sparsity term (of the whole p̂) and L2
};

// Called by the backward sweep with each layer l, last to first, once ∂J/∂Z of l is known
// and the sweep no longer reads W_l (it has gone on to l − 1): the moment a whole batch's
// products of that layer (whole_batch_layer_gradient) can run while its δ is in the cache.
struct LayerDone {
    void (*call)(void* context, int layer) = nullptr;
    void* context = nullptr;
};

// After forward() of a slice (input, target: n×b, b ≤ share.batch): its part of every term
// and, with `deltas`, ∂J/∂Z of every layer into ws.delta (the backward sweep; gradient_block
// turns them into ∂J/∂θ). With share = {b, &ws.p_hat, true} this is evaluate_objective's own
// second half.
Terms slice_objective(const Network& network, ConstMatRef input, ConstMatRef target,
                      const Objective& objective, Workspace& ws, bool deltas, bool sample,
                      const BatchShare& share, const LayerDone& done = {});

// ∂J/∂θ in blocks, so that threads can share it out and each can update what it has just
// summed while it is in its cache: block b < gradient_block_count() is a weight matrix or a
// bias, and part `part` of `parts` of it is a range of the matrix's columns (contiguous in
// the column-major buffer) or of the bias's rows. gradient_block writes that part of `grad`
// from the deltas of every slice of the batch `input` (n×B, cut as WorkerPool::first_item(B,
// slices.size(), s) cuts it; each workspace after slice_objective with deltas), summed in the
// slices' order, with the penalties' direct terms (L2, the contractive's ∂/∂W), and returns
// the range it wrote (empty when the part has no columns). The parts of a block are disjoint
// and read only their own columns of the weights: threads may update their own as they go.
int gradient_block_count(const Network& network);
// For a batch kept whole (one workspace), the blocks layer `layer` completes once the sweep
// has passed it: its weight matrix's (not when it uses another layer's transposed: the owner,
// lower in the sweep, completes that one) and its bias's. Returns the ranges written.
std::array<ParamRange, 2> whole_batch_layer_gradient(const Network& network,
                                                     const Objective& objective, ConstMatRef input,
                                                     const Workspace& ws, int layer, Vec& grad);
ParamRange gradient_block(const Network& network, const Objective& objective, ConstMatRef input,
                          std::span<const Workspace* const> slices, int block, int part, int parts,
                          Vec& grad);

// β Σ_j KL(p‖p̂_j) (or β Σ_j (p̂_j − p)²) for mean code activations p_hat. Only KL clamps p̂
// into [1e-6, 1 − 1e-6] (its domain is (0, 1)); the squared form takes p̂ as it is.
double sparsity_penalty(const Objective& objective, const Vec& p_hat);

// Per-sample ‖J_x(h₁)‖²_F of the first encoder layer after a forward pass, into out (B):
// Σ_l g′(z_l)² Σ_j W_lj². This is what the contractive penalty weighs.
void jacobian_fro2_per_sample(const Network& network, Workspace& ws, int batch, float* out);

// Per-sample ‖J_x(h)‖²_F of the code h (μ for a VAE) after a forward pass, into out (B):
// exact, through every encoder layer: J = D_c W_c ⋯ D₁ W₁ with D_l = diag(g′(z_l)). For a
// one-layer encoder it equals jacobian_fro2_per_sample.
void code_jacobian_fro2_per_sample(const Network& network, Workspace& ws, int batch, float* out);

// Per-sample reconstruction loss L(x_i, x̂_i) after a forward pass, into out (B); the same
// formulas as the objective (BCE of a sigmoid output from its logits).
void reconstruction_loss_per_sample(const Network& network, LossKind loss, ConstMatRef target,
                                    Workspace& ws, int batch, float* out);

// After a VAE forward pass: decodes z = μ (no sampling) into the output, for a reconstruction
// error that does not depend on the noise draw. Terms already computed are not touched.
void decode_mean(const Network& network, Workspace& ws, int batch);

}  // namespace aelab
