// The objective and gradient of one mini-batch with the batch cut into slices, each carried
// through forward and backward by one thread of a WorkerPool with single-threaded products,
// into a workspace and a gradient buffer of its own. Thread of the network's owner (the
// trainer, or a headless run); the slices run on the pool.
//
// Why slices rather than threaded products: at the autoencoder's shapes OpenBLAS's SGEMM
// gains only 1.41–1.61× from a second thread, and the elementwise passes between products
// would stay serial; a slice runs every pass of its sweeps at once, and the slices meet only
// to sum p̂ (sparsity) and in the gradient's products.
//
// The products that make ∂J/∂θ from the slices' deltas are then shared out by columns of each
// weight matrix (gradient_block): each thread sums every slice's part of its columns, and a
// training step (train) updates those parameters at once, while they are in its cache —
// no gradient is kept per slice, and no pass of its own sums or updates them. A batch is cut
// the same way for the same (model, batch, threads), and the slices are summed in the same
// order: training is deterministic for a given thread count. Across counts the sums are
// grouped differently, so results agree to float rounding, not bit for bit.
#pragma once

#include <vector>

#include "core/base/tensor.h"
#include "core/base/worker_pool.h"
#include "core/model/network.h"
#include "core/model/objective.h"
#include "core/model/optimizer.h"

namespace aelab {

class ParallelObjective {
public:
    // A slice is worth a thread from this many samples and this many multiply-adds of forward
    // and backward (3 × samples × parameters): below, waking a thread costs more than it saves.
    static constexpr int kMinSliceSamples = 8;
    static constexpr double kMinSliceWork = 4e6;

    // Slices a batch of `batch` samples is cut into on `threads` threads: as many as pay, never
    // more than `threads`. 1: the batch stays whole (exactly evaluate_objective).
    static int slices_for(const Network& network, int batch, int threads);

    // ε of the next evaluate() or train() of a VAE, latent × batch, for the caller to fill.
    MatMap eps(const Network& network, int batch);

    // The objective of the batch (input, target: n×B) and its gradient ∂J/∂θ into `grad`, in
    // `slices` slices (≤ B): on the pool when it has that many threads, else one after another
    // on this thread (the same result).
    Terms evaluate_in_slices(WorkerPool* pool, int slices, const Network& network,
                             ConstMatRef input, ConstMatRef target, const Objective& objective,
                             Vec& grad) {
        return run(pool, slices, network, input, target, objective, grad, nullptr);
    }

    // One training step: the same, and θ := θ − η·update(∂J/∂θ) by `optimizer`, each thread
    // updating the parameters whose gradient it has just summed. Slices: slices_for(network,
    // B, threads of `pool`; 1 without a pool), or `slices`.
    struct Update {
        Optimizer& optimizer;
        OptimizerKind kind;
        float lr;
    };
    Terms train(WorkerPool* pool, Network& network, ConstMatRef input, ConstMatRef target,
                const Objective& objective, Vec& grad, const Update& update) {
        const int slices = slices_for(network, int(input.cols()), pool ? pool->size() : 1);
        return train_in_slices(pool, slices, network, input, target, objective, grad, update);
    }
    Terms train_in_slices(WorkerPool* pool, int slices, Network& network, ConstMatRef input,
                          ConstMatRef target, const Objective& objective, Vec& grad,
                          const Update& update) {
        return run(pool, slices, network, input, target, objective, grad, &update,
                   &network.params());
    }

    int slices() const { return int(m_workspaces.size()); }
    // The batch's mean code activation p̂ (autoencoders), after evaluate or train.
    const Vec& p_hat() const { return slices() > 1 ? m_p_hat : m_slices.front().ws.p_hat; }

private:
    struct Slice {
        Workspace ws;
        Vec code_sum;  // Σ over its samples of the code (for the batch's p̂)
        Terms terms;
    };
    void prepare(const Network& network, int batch, int slices);
    // With `update`, also updates `params` (the network's, which the sweeps read before).
    Terms run(WorkerPool* pool, int slices, const Network& network, ConstMatRef input,
              ConstMatRef target, const Objective& objective, Vec& grad, const Update* update,
              Vec* params = nullptr);

    std::vector<Slice> m_slices = std::vector<Slice>(1);
    std::vector<const Workspace*> m_workspaces;  // the first slices() slices' workspaces
    Mat m_eps;
    Vec m_p_hat;
};

}  // namespace aelab
