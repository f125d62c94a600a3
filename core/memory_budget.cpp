#include "core/memory_budget.h"

#include <unistd.h>

#include <cstdio>

#include "core/evaluation.h"
#include "core/network.h"
#include "core/session.h"

namespace aelab {

uint64_t physical_memory_bytes() {
    const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page <= 0) return uint64_t(4) << 30;  // unknown: assume a small machine
    return uint64_t(pages) * uint64_t(page);
}

uint64_t memory_budget_bytes() {
    return physical_memory_bytes() / 2;
}

std::string format_bytes(double bytes) {
    const char* units[] = {"bytes", "KB", "MB", "GB", "TB", "PB"};
    int u = 0;
    while (bytes >= 1000 && u < 5) bytes /= 1000, ++u;
    char text[32];
    std::snprintf(text, sizeof text, u == 0 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
    return text;
}

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
