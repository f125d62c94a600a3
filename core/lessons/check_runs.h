// The trained runs of lesson checks (core/lessons/lesson_check.h), kept by what they ran: the
// effective config and the number of steps. A run that two checks share, and a sabotage's run
// that equals another one (a penalty set to 0 is the plain run), train once per CheckRuns.
// Calling thread only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/base/expected.h"
#include "core/base/worker_pool.h"
#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/run/ready_run.h"

namespace aelab {

class CheckRuns {
public:
    // `load` gives the data sets (each loaded once for every run here); tests pass built-in
    // ones.
    explicit CheckRuns(DatasetLoader load = load_dataset) : m_load(std::move(load)) {}

    // The metrics (core/views/metrics.h, with core/lessons/lesson_metrics.h merged in) of
    // `config` trained `steps` steps: trained now unless an equal run already was. A progress
    // line names the run as `label` and says whether it was trained or reused. An error when
    // the run cannot start (its data, its model). The pointer lives as long as this object.
    Expected<const nlohmann::json*> metrics(const Config& config, int64_t steps,
                                            const std::string& label, std::ostream& progress);

    // Threads for every run (the command line's --set threads=N): 0 leaves each run's own
    // config to say (auto: every core).
    void use_threads(int threads) { m_threads = threads; }

    int trained() const { return m_trained; }  // runs trained so far
    int reused() const { return m_reused; }    // requests answered by an earlier run

private:
    DatasetLoader m_load;
    std::map<std::string, std::shared_ptr<const Dataset>> m_loaded;  // by data set name
    std::map<std::string, nlohmann::json> m_metrics;                 // by run_key()
    int m_trained = 0, m_reused = 0;
    int m_threads = 0;
    std::shared_ptr<WorkerPool> m_pool;  // the runs' threads, made once
};

// What makes two runs the same run: every config key's value (config_to_json) and the steps.
std::string run_key(const Config& config, int64_t steps);

}  // namespace aelab
