// Whole-set evaluation (test set, held-out subset, training subset) in fixed-size chunks
// through buffers allocated once. Owned and called by one thread (the trainer, or headless).
#pragma once

#include <vector>

#include "core/config.h"
#include "core/network.h"
#include "core/objective.h"
#include "core/random.h"

namespace aelab {

struct Evaluation {
    int samples = 0;
    Terms terms;               // per-sample mean; sparsity from the whole set's p̂
    double mse_per_pixel = 0;  // mean over samples and pixels of (x̂ − x)², whatever the loss
    double jacobian_fro2 = 0;  // mean ‖J_x(h_1)‖²_F of the first encoder layer
    Vec p_hat;                 // mean code activation over the set (autoencoders)
    double mean_abs_mu = 0;    // VAE: mean |μ_k| over samples and latent dims
    double mean_sigma = 0;     // VAE: mean σ_k over samples and latent dims
};

class Evaluator {
public:
    static constexpr int kChunk = 1000;

    // Evaluates the first `count` columns of x (all when count < 0). With noise, the
    // encoder sees x corrupted by a generator reseeded on every call (so results repeat)
    // while the target stays clean. A VAE samples z with ε from that generator as well.
    Evaluation run(const Network& network, const Objective& objective, ConstMatRef x,
                   int count = -1, NoiseKind noise = NoiseKind::None, float noise_level = 0);

    // Per-sample reconstruction losses of the last run (in sample order).
    const std::vector<float>& per_sample_loss() const { return m_per_sample_loss; }

private:
    Workspace m_ws;
    Mat m_input;
    FastRng m_rng;
    std::vector<float> m_per_sample_loss, m_jacobian;
};

}  // namespace aelab
