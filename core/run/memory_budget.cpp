#include "core/run/memory_budget.h"

#include <algorithm>
#include <cmath>

#include "core/model/evaluation.h"
#include "core/model/network.h"
#include "core/run/session.h"

namespace aelab {

uint64_t memory_budget_bytes(const Config& config) {
    return config.memory_budget > 0 ? config.memory_budget : memory_budget_bytes();
}

ModelMemory estimate_model_memory(const Config& config, int input_size) {
    constexpr double kFloat = sizeof(float);
    constexpr int kSnapshotsAlive = 4;  // the pool keeps a few; the UI holds one or two
    constexpr int kViewChunks = 3;      // PCA, latent and anomaly views: a piece per thread
    constexpr int kViewPiece = 256;     // their pieces' samples (core/views)
    ModelMemory m;
    const double params = double(Network::parameter_count(config, input_size));
    m.parameters = params * kFloat;
    m.gradient_and_optimiser = 3 * params * kFloat;  // gradient, Adam's first and second moment
    const double threads = config.threads > 0 ? config.threads : available_cores();
    double activations = 0;  // Σ_l out_l: one column of every layer's output
    for (int out : Network::layer_sizes(config, input_size)) activations += out;
    // Per column of a Workspace: every layer's output and its gradient, the sigmoid output's
    // logits (n), g′ and g″ of the first layer (contractive), the VAE's ε, z, ∂z.
    const double first = config.hidden.front().size;
    const double per_column = 2 * activations + input_size + 2 * first + 3 * config.latent;
    // Each thread of a pass has a workspace of its own: the evaluators' (live and viewed
    // sessions) and the views' pieces count once per thread; the batch's slices share the batch.
    const double piece = std::max(Evaluator::piece_size(config.knobs.batch), kViewPiece);
    const double columns = config.knobs.batch + threads + Session::kProbeCount +
                           (2 + kViewChunks) * threads * piece;
    m.workspaces = per_column * columns * kFloat;
    // The probe's activations in each live snapshot, and the filters view's W and W* copies in
    // each (the view result is shared by the snapshots that publish it, but a new one is made
    // every step while the panel is open).
    m.snapshots = kSnapshotsAlive * (2 * first * input_size + activations * Session::kProbeCount) *
                  kFloat;
    // The timeline keeps the run's start whatever its budget (parameters and the optimiser's
    // moments), and viewing a past step builds a second model beside the running one.
    m.timeline = (3 * params + 4 * params) * kFloat;
    return m;
}

std::optional<Error> check_model_fits(const Config& config, int input_size) {
    const ModelMemory m = estimate_model_memory(config, input_size);
    const double budget = double(memory_budget_bytes(config));
    if (m.total() <= budget) return std::nullopt;
    const std::string whose =
        config.memory_budget > 0
            ? "the memory_budget of " + format_bytes(budget)
            : "the memory_budget of " + format_bytes(budget) + " (auto: half of this machine's " +
                  format_bytes(double(physical_memory_bytes())) + ")";
    return Error{"config key 'hidden': " + get_config_value(config, "hidden") + " needs about " +
                 format_bytes(m.total()) + " of memory (parameters " + format_bytes(m.parameters) +
                 ", gradient and optimiser state " + format_bytes(m.gradient_and_optimiser) +
                 ", activations " + format_bytes(m.workspaces) + ", snapshots and views " +
                 format_bytes(m.snapshots) + ", timeline " + format_bytes(m.timeline) +
                 "), more than " + whose + "; choose smaller layers, or raise it with "
                 "memory_budget (e.g. --set memory_budget=" +
                 std::to_string(int64_t(std::ceil(m.total() / 1e9))) + "GB)"};
}

}  // namespace aelab
