// The metrics of a finished run (what --metrics writes), evaluated on the full test set.
// The thread that owns the Session.
#pragma once

#include <nlohmann/json.hpp>

#include "core/run/session.h"

namespace aelab {

// Keys: steps, epochs, samples_per_second, train_loss and test_loss (the objective as trained:
// inputs corrupted by the run's noise from a fixed seed, sparsity p̂ over batch-sized chunks),
// terms{…} of test_loss, test_mse (clean inputs; a VAE decodes z = μ), jacobian_fro2 (layer
// 1, what the contractive penalty weighs) and code_jacobian_fro2 (the code h, μ for a VAE),
// p_hat{mean,min,max,dead,saturated} (autoencoders, clean inputs), latent{dims,mean_abs_mu,
// mean_sigma} (VAEs), config, and with input noise test_loss_clean and test_mse_corrupted.
// One-hidden-layer autoencoders (k < n): pca{k, max_angle_deg, mean_angle_deg (principal
// angles between span(W*) and the top-k PCA subspace), ae_mse, pca_mse (per pixel, clean
// training set, normalised units), explained_variance, seconds (the PCA's cost)}.
// anomaly{k = 3, mu, sigma (per-pixel squared error of ≤ 10,000 training images), threshold
// μ + kσ, false_alarm_rate (normal test images above it), and with holdout_class also
// holdout_class, detection_rate (held-out test images above it), auc}.
// backprop {decoder, encoder} (one-hidden-layer sigmoid autoencoders with squared error:
// lesson 03's chain rule for W^d_{0,l} and W^e_{l,0} at test image 0's brightest pixel l —
// product, finite_difference, aelab_half and their relative differences); the model figures
// of core/model_figures.h (parameters, weights_fro, symmetry_spread, encoder_product,
// tied_gradient); train_mse (clean, ≤ 10,000 training images, per pixel); nudge (mean
// ‖x̂(x + δ) − x̂(x)‖₂ over 1,000 test images, δ ~ N(0, 0.05² I) from a fixed seed);
// masked_mse (per pixel, 1,000 test images reconstructed from inputs with half their pixels
// masked, fixed seed, whatever noise the run used); outside_unit (the share of reconstructed
// pixel values outside [0, 1], 1,000 clean test images, in the data's units); anomaly.k2/k3/k4 {false_alarm_rate, detection_rate}; for a VAE latent.prior_nearest and
// latent.noise_nearest (mean distance of 200 decoded prior samples, and of 200 uniform-noise
// images, to their nearest of 5,000 training images).
// For a VAE test_loss is the negative ELBO per sample (z sampled once per image, fixed seed).
// A diverged run (a weight NaN or Inf): diverged (a note); pca and anomaly hold only k and
// that note, encoder_product.rank is null — no decomposition is run on such weights.
nlohmann::json collect_metrics(Session& session);

// Thresholds of the p̂ panel and the metrics: a unit is dead below, saturated above.
inline constexpr float kDeadUnit = 0.01f, kSaturatedUnit = 0.99f;

}  // namespace aelab
