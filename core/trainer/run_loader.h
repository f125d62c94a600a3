// Loading and preparing the trainer's runs: the data of the run on screen is kept (loaded and
// prepared once, reused by every rebuild that needs the same), and a new run is checked in
// full against new data before the old one gives way. The steps are core/run/ready_run.h's.
// Trainer thread.
#pragma once

#include <memory>
#include <string>

#include "core/run/ready_run.h"

namespace aelab {

class RunLoader {
public:
    explicit RunLoader(DatasetLoader load) : m_load(std::move(load)) {}

    // Whether `config` needs a data set loaded (slow: the window says "loading").
    bool needs_load(const Config& config) const { return m_data.needs_load(config); }
    // The data `config` needs, loaded and prepared where the kept data does not fit. Nothing
    // is kept yet.
    Expected<RunData> load(const Config& config) const { return load_run_data(config, m_load, m_data); }
    // The same, checked as Session::create would check it (a resumed run: its memory only).
    Expected<RunData> check(const Config& config, bool resuming) const;
    // Makes `data` the run's. Returns the notice of a data set that was not the run's before
    // (a fallback to built-in data), else "".
    std::string keep(RunData data);
    // A session of `config` (continuing `from` when given) on the kept data.
    Expected<std::unique_ptr<Session>> start(const Config& config, const RunState* from) const {
        return start_session(config, from, m_data.prepared);
    }
    const std::shared_ptr<const Dataset>& prepared() const { return m_data.prepared; }

private:
    DatasetLoader m_load;
    RunData m_data;
};

}  // namespace aelab
