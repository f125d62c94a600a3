#include "core/lessons/check_runs.h"

#include <chrono>
#include <cmath>
#include <ostream>

#include "core/base/text_format.h"
#include "core/base/worker_pool.h"
#include "core/lessons/lesson_metrics.h"
#include "core/run/session.h"
#include "core/views/metrics.h"

namespace aelab {

std::string run_key(const Config& config, int64_t steps) {
    return config_to_json(config).dump() + " steps " + std::to_string(steps);
}

Expected<const nlohmann::json*> CheckRuns::metrics(const Config& config, int64_t steps,
                                                   const std::string& label,
                                                   std::ostream& progress) {
    const std::string key = run_key(config, steps);
    if (const auto found = m_metrics.find(key); found != m_metrics.end()) {
        ++m_reused;
        progress << "  " << label << ": the same run as before, reused\n";
        return &found->second;
    }
    const DatasetLoader load =
        [this](const std::string& name) -> Expected<std::shared_ptr<const Dataset>> {
        auto& data = m_loaded[name];
        if (data) return data;
        auto got = m_load(name);
        if (got) data = *got;
        return got;
    };
    auto ready = prepare_run(config, nullptr, load);
    if (!ready) return Error{ready.error()};
    Session& s = *ready->session;
    // Headless: every core, unless the command line or the run's config names a thread count;
    // one pool for the runs while the count stays the same.
    const int threads = m_threads > 0
                            ? m_threads
                            : resolve_threads(s.config(), available_cores(), /*window=*/false);
    if (!m_pool || m_pool->size() != threads) m_pool = std::make_shared<WorkerPool>(threads);
    s.set_pool(m_pool);
    const auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < steps; ++i)
        if (!std::isfinite(s.train_step().total())) break;  // the metrics will say so
    nlohmann::json metrics = collect_metrics(s);
    metrics.merge_patch(lesson_metrics(s));
    ++m_trained;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    progress << "  " << label << ", " << s.step() << " steps on " << threads
             << (threads == 1 ? " thread, " : " threads, ")
             << format_number(seconds, WatchFormat{0, 3, 'g'}) << " s\n";
    return &(m_metrics[key] = std::move(metrics));
}

}  // namespace aelab
