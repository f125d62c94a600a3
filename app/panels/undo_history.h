// Undo / redo of what a person changed: knobs and the model's settings, as pairs of configs
// (before, after). Plain values, no ImGui: the window's Ctrl+Z / Ctrl+Shift+Z and the Edit
// menu act on it through app/panels/config_changes.h. GUI thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"

struct ConfigChange {
    aelab::Config before, after;
    // For a change that rebuilds: the ids under which the trainer keeps the run each side had
    // when it gives way (commands::Rebuild::keep_as, ReturnTo), so that undo and redo bring
    // back those trained weights, not a fresh model. 0 for live knobs.
    uint64_t run_before = 0, run_after = 0;
    // "target p 0.05 → 0.226; noise none → mask", in the window's words.
    std::string describe() const;
    // Reverting it needs a fresh model (a setting other than a live knob differs).
    bool rebuilds() const;
};

class UndoHistory {
public:
    // The oldest changes are forgotten first. Undo and redo move changes between the two
    // lists, so both together never hold more than this: at ~1 KB a change, 200 KB a day.
    static constexpr size_t kLimit = 200;

    // A change made (not one that undo or redo made): it clears the redo list. A change
    // that changes nothing is ignored.
    void record(const aelab::Config& before, const aelab::Config& after, uint64_t run_before = 0,
                uint64_t run_after = 0);
    // The change to revert (apply its `before`) or to make again (its `after`); each moves
    // it to the other list.
    std::optional<ConfigChange> undo();
    std::optional<ConfigChange> redo();
    const ConfigChange* next_undo() const { return m_done.empty() ? nullptr : &m_done.back(); }
    const ConfigChange* next_redo() const { return m_undone.empty() ? nullptr : &m_undone.back(); }
    size_t bytes() const;  // both lists, the configs' strings and layer lists included

private:
    std::vector<ConfigChange> m_done, m_undone;
};
