// What a run may allocate on this machine, and what a config would need, so that a model or a
// data file too big to fit is refused with a message before anything is allocated (instead of
// std::bad_alloc, or the kernel's OOM killer). Any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/base/byte_budget.h"
#include "core/base/expected.h"
#include "core/config/config.h"

namespace aelab {

// Bytes the model of `config` needs on inputs of size n, before it is built: parameters,
// gradient and optimiser state (Adam's two moments: the worst case, as the optimiser is live),
// the workspaces (training batch, evaluation and latent chunks, probe) and the weight copies
// in the published snapshots.
struct ModelMemory {
    double parameters = 0, gradient_and_optimiser = 0, workspaces = 0, snapshots = 0;
    double total() const { return parameters + gradient_and_optimiser + workspaces + snapshots; }
};
ModelMemory estimate_model_memory(const Config& config, int input_size);

// An error naming the key `hidden` and the estimate when the model cannot fit in
// memory_budget_bytes().
std::optional<Error> check_model_fits(const Config& config, int input_size);

}  // namespace aelab
