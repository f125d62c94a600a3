#include "core/trainer/run_loader.h"

namespace aelab {

Expected<RunData> RunLoader::check(const Config& config, bool resuming) const {
    auto data = load(config);
    if (!data) return data;
    if (auto error = check_run_fits(config, *data->prepared, resuming)) return *error;
    return data;
}

std::string RunLoader::keep(RunData data) {
    const bool new_set = data.full != m_data.full;
    m_data = std::move(data);
    return new_set && m_data.full ? m_data.full->notice : std::string();
}

}  // namespace aelab
