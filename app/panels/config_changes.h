// Every change a person makes to the knobs or the model goes through here, so that it can be
// undone: the Controls panel's sliders, combos and fields, a lesson's steps and Try buttons.
// Live knobs act on the running model; any other change rebuilds it, and the run it replaces
// is kept whole by the trainer (core/trainer/lineage.h) under an id this side picks, so that
// undo brings those trained weights back. When the trainer could not keep it (too big for its
// share of memory) and it holds unsaved training, the File menu's question comes first.
// GUI thread.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "app/panels/panel_context.h"
#include "app/panels/undo_history.h"
#include "core/trainer/commands.h"

// The app owns one (PanelContext::changes): the undo history and the drag under way.
class ConfigChanges {
public:
    // Takes `after` in place of the running config: live knobs only → the run goes on;
    // anything else → a fresh model, with `why` and the changes in the log. Recorded for undo.
    void change_config(PanelContext& ctx, const aelab::Config& after, const std::string& why);
    // Live knobs from a control. While `dragging` (a slider held) they act at once; the change
    // is recorded (and marked on the curves) once, when the drag ends with dragging = false.
    void change_knobs(PanelContext& ctx, const aelab::Knobs& after, bool dragging);
    // Ctrl+Z / Ctrl+Shift+Z and the Edit menu. The log names what was undone, and whether the
    // run it brings back is the kept one or a fresh model with its settings.
    void undo(PanelContext& ctx) { take_back(ctx, /*undo=*/true); }
    void redo(PanelContext& ctx) { take_back(ctx, /*undo=*/false); }
    // Something that replaces the run without changing the config (Reset, New seed, a
    // lesson's fresh step): `act` runs now when the trainer keeps the run it replaces or the
    // run holds nothing unsaved, else after the question (`words`: "resetting", …).
    void replace_run(PanelContext& ctx, const std::string& words,
                     std::function<void(PanelContext&)> act);

    // The config as this window last asked for it: the snapshot's, with the knobs and the
    // rebuild sent from here that the trainer has not taken yet (a slow step, a rebuild still
    // loading). Every change is made against it, so that Ctrl+Z then Ctrl+Shift+Z within one
    // step redoes what was undone instead of finding it "already so".
    aelab::Config asked(const PanelContext& ctx) const;

    const UndoHistory& history() const { return m_history; }
    // Counts the replacements the question's Cancel called off: a panel showing a draft of
    // the config (Controls) shows the running one again when it changes.
    uint64_t cancelled() const { return m_cancelled; }

    // Sends `command`, which makes a model of `config` (Rebuild, ReturnTo, New) without being
    // a change to undo (a lesson's fresh step): asked() has `config` until it is done.
    void send_rebuild(PanelContext& ctx, const aelab::Config& config, const aelab::Command& command);

private:
    void take_back(PanelContext& ctx, bool undo);
    void send_knobs(PanelContext& ctx, const aelab::Knobs& knobs, bool dragging = false);

    UndoHistory m_history;
    std::optional<aelab::Config> m_drag_start;  // the running config when the drag began
    uint64_t m_next_run_id = 1;  // the ids kept runs get from here (Lineage::kTrainerIds apart)
    uint64_t m_cancelled = 0;
    // What was sent last, and its number (TrainerPort): asked() shows it until the snapshot
    // has caught up.
    aelab::Knobs m_sent_knobs;
    aelab::Config m_sent_rebuild;
    uint64_t m_sent_knobs_number = 0, m_sent_rebuild_number = 0;
};

// The same, for the panels and tests that hold a PanelContext.
inline void change_config(PanelContext& ctx, const aelab::Config& after, const std::string& why) {
    ctx.changes.change_config(ctx, after, why);
}
inline void change_knobs(PanelContext& ctx, const aelab::Knobs& after, bool dragging) {
    ctx.changes.change_knobs(ctx, after, dragging);
}
inline void undo_change(PanelContext& ctx) { ctx.changes.undo(ctx); }
inline void redo_change(PanelContext& ctx) { ctx.changes.redo(ctx); }
