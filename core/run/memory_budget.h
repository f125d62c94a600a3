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

// The share of memory a run may take: config key memory_budget (--set memory_budget=4GB, a
// lesson, a run file), or for auto the default, half of physical memory (byte_budget.h).
uint64_t memory_budget_bytes(const Config& config);

// Bytes the model of `config` needs on inputs of size n, before it is built: parameters,
// gradient and optimiser state (Adam's two moments: the worst case, as the optimiser is live),
// the workspaces (training batch, probe, evaluation chunks, and the chunks of the PCA, latent
// and anomaly views), the weight copies in the published snapshots and the filters view, and
// the timeline (the run's first checkpoint, always kept, and a past step's model while one is
// viewed).
struct ModelMemory {
    double parameters = 0, gradient_and_optimiser = 0, workspaces = 0, snapshots = 0,
           timeline = 0;
    double total() const {
        return parameters + gradient_and_optimiser + workspaces + snapshots + timeline;
    }
};
ModelMemory estimate_model_memory(const Config& config, int input_size);

// An error naming the key `hidden`, the estimate and the budget (and how to raise it) when
// the model cannot fit in memory_budget_bytes(config).
std::optional<Error> check_model_fits(const Config& config, int input_size);

}  // namespace aelab
