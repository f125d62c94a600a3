#include "core/trainer/save_tracker.h"

#include <cstdio>

namespace aelab {

void SaveTracker::save(const std::string& path, bool autosave, std::shared_ptr<const RunState> state) {
    if (autosave) m_autosave_path = path;
    m_writer.write(path, std::move(state), m_changes);
}

std::vector<LogMessage> SaveTracker::collect() {
    std::vector<LogMessage> lines;
    for (const RunWriter::Result& r : m_writer.take_results()) {
        if (r.path == m_autosave_path) {  // a safety copy: neither the run's file nor saved
            if (r.error)
                lines.push_back({0, "autosave failed: " + r.error->message, Severity::Warning});
            else
                lines.push_back({0, "autosaved step " + std::to_string(r.step) + " to " + r.path});
            continue;
        }
        ++m_saves_finished;
        if (r.error) {
            lines.push_back({0,
                             "not saved: " + r.error->message + " (the file on disk is unchanged)",
                             Severity::Error});
            continue;
        }
        char cost[64];
        std::snprintf(cost, sizeof cost, " (%.0f ms)", r.seconds * 1e3);
        lines.push_back({0, "saved step " + std::to_string(r.step) + " to " + r.path + cost});
        m_saved_changes = r.tag;
        m_run_path = r.path;
    }
    return lines;
}

}  // namespace aelab
