#include "core/run/memory_budget.h"

#include "core/model/evaluation.h"
#include "core/model/network.h"
#include "core/run/session.h"

namespace aelab {

ModelMemory estimate_model_memory(const Config& config, int input_size) {
    constexpr double kFloat = sizeof(float);
    constexpr int kSnapshotsAlive = 4;  // the pool keeps a few; the UI holds one or two
    ModelMemory m;
    const double params = double(Network::parameter_count(config, input_size));
    m.parameters = params * kFloat;
    m.gradient_and_optimiser = 3 * params * kFloat;  // gradient, Adam's first and second moment
    double activations = 0;  // Σ_l out_l: one column of every layer's output
    for (int out : Network::layer_sizes(config, input_size)) activations += out;
    const double columns = config.knobs.batch + 2.0 * Evaluator::kChunk + Session::kProbeCount;
    m.workspaces = 2 * activations * columns * kFloat;  // outputs and their gradients
    const double first = config.hidden.front().size;
    m.snapshots = kSnapshotsAlive * (2 * first * input_size + activations * Session::kProbeCount) *
                  kFloat;  // the filters' W and W*, and the probe's activations
    return m;
}

std::optional<Error> check_model_fits(const Config& config, int input_size) {
    const ModelMemory m = estimate_model_memory(config, input_size);
    const double budget = double(memory_budget_bytes());
    if (m.total() <= budget) return std::nullopt;
    return Error{"config key 'hidden': " + get_config_value(config, "hidden") +
                 " needs about " + format_bytes(m.total()) + " of memory (parameters " +
                 format_bytes(m.parameters) + ", gradient and optimiser state " +
                 format_bytes(m.gradient_and_optimiser) + ", activations " +
                 format_bytes(m.workspaces) + ", snapshots " + format_bytes(m.snapshots) +
                 "), more than the " + format_bytes(budget) + " a run may use on this machine (" +
                 "half of its " + format_bytes(double(physical_memory_bytes())) +
                 "); choose smaller layers"};
}

}  // namespace aelab
