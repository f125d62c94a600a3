// Whole-set evaluation (test set, held-out subset, training subset) in fixed-size pieces
// spread over a pool's threads, through buffers allocated once. Owned and called by one thread
// (the trainer, or headless); the pieces run on the pool. The pieces, their noise and the order
// their sums are combined in do not depend on the thread count: neither does the result.
#pragma once

#include <vector>

#include "core/base/random.h"
#include "core/config/config.h"
#include "core/model/network.h"
#include "core/model/objective.h"
#include "core/model/pieces.h"

namespace aelab {

// How a set is evaluated. The default measures exactly what training minimises: inputs
// corrupted by the training noise (from a fixed seed, so results repeat), and the sparsity
// term from p̂ over chunks of the training batch size — so a test curve is comparable to the
// train curve. Clean inputs (noise = None) give the error on uncorrupted data.
struct EvaluationOptions {
    int count = -1;  // the first `count` columns; all when < 0
    NoiseKind noise = NoiseKind::None;
    float noise_level = 0;
    int batch = 64;                 // p̂ for the sparsity term: over chunks of this many samples
    bool code_jacobian = false;     // also the code's ‖J_x(h)‖²_F (costs more than the rest)
    bool mse = true;  // mse_per_pixel (for a VAE, one more decoder pass, from z = μ)

    // What training minimises, for a model trained with `knobs`.
    static EvaluationOptions as_trained(const Knobs& knobs, int count = -1);
    static EvaluationOptions clean(const Knobs& knobs, int count = -1);
};

struct Evaluation {
    int samples = 0;
    Terms terms;               // per-sample mean; sparsity from p̂ over batch-sized chunks
    double mse_per_pixel = 0;  // mean over samples and pixels of (x̂ − x)², whatever the loss;
                               // a VAE decodes z = μ for it (the noise draw does not count)
    double jacobian_fro2 = 0;       // mean ‖J_x(h₁)‖²_F of the first encoder layer
    double code_jacobian_fro2 = 0;  // mean ‖J_x(h)‖²_F of the code (when asked for)
    Vec p_hat;                 // mean code activation over the whole set (autoencoders)
    double mean_abs_mu = 0;    // VAE: mean |μ_k| over samples and latent dims
    double mean_sigma = 0;     // VAE: mean σ_k over samples and latent dims
};

class Evaluator {
public:
    // Samples per piece: about kPiece, a whole number of batches (p̂ spans batch-sized chunks).
    static constexpr int kPiece = 256;
    // The columns a thread's workspace holds for batches of `batch` (the memory estimate).
    static int piece_size(int batch) { return std::max(1, kPiece / std::max(1, batch)) * std::max(1, batch); }

    Evaluation run(const Network& network, const Objective& objective, ConstMatRef x,
                   const EvaluationOptions& options, WorkerPool* pool = nullptr);

private:
    // What one piece adds up (sums over its samples), combined in piece order.
    struct PieceSums {
        Terms terms;  // per-sample means of this piece (l2: the weights')
        double jacobian = 0, code_jacobian = 0, abs_mu = 0, sigma = 0, sparsity = 0;
        double squared_error = 0;
        Vec code_sum;  // autoencoders
    };
    struct ThreadBuffers {
        Workspace ws;
        Mat input;
        FastRng rng;
        std::vector<float> jacobian;
        Vec batch_p_hat;
    };
    void run_piece(const Network& network, const Objective& objective, ConstMatRef x,
                   const EvaluationOptions& options, const Pieces& pieces, int piece,
                   ThreadBuffers& buffers);

    std::vector<ThreadBuffers> m_threads;
    std::vector<PieceSums> m_sums;
};

}  // namespace aelab
