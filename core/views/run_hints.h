// Hints for a run that has stopped learning without failing outright (a NaN stops the run by
// itself): every code unit dead, or a loss that jumped and has stayed flat since. The Loss
// panel shows them. Any thread (plain values).
#pragma once

#include <optional>
#include <string>

#include "core/base/tensor.h"
#include "core/run/history.h"

namespace aelab {

// What is wrong and what to try, or nothing. `p_hat`: the code units' mean activations
// (empty when units cannot die: a VAE, a linear or tanh code); `saturating`: a sigmoid
// code, whose units can also stick at 1.
std::optional<std::string> stalled_run_hint(const History& history, const Vec& p_hat,
                                            bool saturating = false);

}  // namespace aelab
