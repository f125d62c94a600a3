// Whether the run on screen is saved, and where: every step, knob change, rebuild or probe
// choice counts one change; a save records the count it captured, so the run is unsaved while
// the counts differ. Saves are written by a RunWriter on its own thread; their results are
// collected between steps. Trainer thread (the writer's callback: the writer's thread).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/files/run_writer.h"
#include "core/run/run_state.h"
#include "core/run/snapshot.h"

namespace aelab {

class SaveTracker {
public:
    // `finished` is called on the writer's thread after each save (to wake the trainer).
    explicit SaveTracker(std::function<void()> finished) : m_writer(std::move(finished)) {}

    void changed() { ++m_changes; }
    // The run is now the one in `path` ("" = no file), with nothing to save (New, Open).
    void tie_to(const std::string& path) {
        m_run_path = path;
        m_saved_changes = m_changes;
    }
    // Writes `state` to `path` in the background. An autosave is a safety copy: the run stays
    // tied to its own file, and unsaved.
    void save(const std::string& path, bool autosave, std::shared_ptr<const RunState> state);
    // The saves finished since the last call, as lines for the log (a failed save an error,
    // a failed autosave a warning).
    std::vector<LogMessage> collect();

    bool unsaved() const { return m_changes != m_saved_changes; }
    const std::string& run_path() const { return m_run_path; }
    bool busy() const { return m_writer.busy(); }
    uint64_t saves_finished() const { return m_saves_finished; }

private:
    RunWriter m_writer;
    uint64_t m_changes = 0, m_saved_changes = 0;
    uint64_t m_saves_finished = 0;  // not autosaves
    std::string m_run_path;
    std::string m_autosave_path;  // where autosaves go (never the run's own file)
};

}  // namespace aelab
