// The metrics of a finished run (what --metrics writes), evaluated on the full test set.
// The thread that owns the Session.
#pragma once

#include <nlohmann/json.hpp>

#include "core/session.h"

namespace aelab {

// Keys: steps, epochs, samples_per_second, train_loss, test_loss, test_mse, terms{…},
// p_hat{mean,min,max,dead,saturated} (autoencoders), latent{dims,mean_abs_mu,mean_sigma}
// (VAEs), jacobian_fro2, config, and test_mse_corrupted when the run uses input noise. For a
// VAE test_loss is the negative ELBO per sample (z sampled once per image, fixed seed).
nlohmann::json collect_metrics(Session& session);

// Thresholds of the p̂ panel and the metrics: a unit is dead below, saturated above.
inline constexpr float kDeadUnit = 0.01f, kSaturatedUnit = 0.99f;

}  // namespace aelab
