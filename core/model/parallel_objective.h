// The objective and gradient of one mini-batch with the batch cut into slices, each carried
// through forward and backward by one thread of a WorkerPool with single-threaded products,
// into a workspace and a gradient buffer of its own. Thread of the network's owner (the
// trainer, or a headless run); the slices run on the pool.
//
// Why slices rather than threaded products: at the autoencoder's shapes OpenBLAS's SGEMM
// gains only 1.41–1.61× from a second thread, and the elementwise passes between products
// would stay serial; a slice runs every pass of the step at once, and the slices meet only to
// sum p̂ (sparsity) and, in the optimiser's pass, their gradients.
//
// The gradient is left in parts, one per slice: the optimiser sums them in a fixed order as it
// updates (Optimizer::step), so the sum costs no pass of its own. A batch is cut the same way
// for the same (model, batch, threads), and the parts are summed in the same order: training
// is deterministic for a given thread count. Across counts the sums are grouped differently,
// so results agree to float rounding, not bit for bit.
#pragma once

#include <span>
#include <vector>

#include "core/base/tensor.h"
#include "core/base/worker_pool.h"
#include "core/model/network.h"
#include "core/model/objective.h"

namespace aelab {

class ParallelObjective {
public:
    // A slice is worth a thread from this many samples and this many multiply-adds of forward
    // and backward (3 × samples × parameters): below, waking a thread costs more than it saves.
    static constexpr int kMinSliceSamples = 8;
    static constexpr double kMinSliceWork = 4e6;
    // The further slices' gradient parts together take at most this much memory: a model so
    // large that one part would break it keeps its batch whole (hidden=100000: 630 MB a part).
    static constexpr double kMaxExtraGradientBytes = 256e6;

    // Slices a batch of `batch` samples is cut into on `threads` threads: as many as pay, never
    // more than `threads`. 1: the batch stays whole (exactly evaluate_objective).
    static int slices_for(const Network& network, int batch, int threads);

    // ε of the next evaluate() of a VAE, latent × batch, for the caller to fill.
    MatMap eps(const Network& network, int batch);

    // The objective of the batch (input, target: n×B) and its gradient in parts: part 0 is
    // `grad`, then one buffer per further slice (gradient_parts()); their sum in that order is
    // ∂J/∂θ. Slices: slices_for(network, B, threads of `pool`; 1 without a pool).
    Terms evaluate(WorkerPool* pool, const Network& network, ConstMatRef input, ConstMatRef target,
                   const Objective& objective, Vec& grad) {
        return evaluate_in_slices(pool, slices_for(network, int(input.cols()), pool ? pool->size() : 1),
                                  network, input, target, objective, grad);
    }
    // The same cut into `slices` slices (≤ B), whether they pay or not: on the pool when it
    // has that many threads, else one after another on this thread (the same result).
    Terms evaluate_in_slices(WorkerPool* pool, int slices, const Network& network,
                             ConstMatRef input, ConstMatRef target, const Objective& objective,
                             Vec& grad);

    std::span<Vec* const> gradient_parts() const { return {m_parts.data(), m_parts.size()}; }
    int slices() const { return int(m_parts.size()); }
    // The batch's mean code activation p̂ (autoencoders), after evaluate().
    const Vec& p_hat() const { return slices() > 1 ? m_p_hat : m_slices.front().ws.p_hat; }

private:
    struct Slice {
        Workspace ws;
        Vec grad;      // the slice's part of ∂J/∂θ (slice 0 writes the caller's buffer)
        Vec code_sum;  // Σ over its samples of the code (for the batch's p̂)
        Terms terms;
    };
    void prepare(const Network& network, int batch, int slices, Vec& grad);

    std::vector<Slice> m_slices = std::vector<Slice>(1);
    std::vector<Vec*> m_parts;
    Mat m_eps;
    Vec m_p_hat;
};

}  // namespace aelab
