// Every change a person makes to the knobs or the model goes through here, so that it can be
// undone: the Controls panel's sliders, combos and fields, a lesson's steps and Try buttons.
// Live knobs act on the running model; any other change rebuilds it. GUI thread.
#pragma once

#include <string>

#include "app/panels/panel_context.h"
#include "app/panels/undo_history.h"

// Takes `after` in place of the running config: live knobs only → the run goes on; anything
// else → a fresh model, with `why` and the changes in the log. Recorded for undo.
void change_config(PanelContext& ctx, const aelab::Config& after, const std::string& why);

// Live knobs from a control. While `dragging` (a slider held) they act at once; the change is
// recorded (and marked on the curves) once, when the drag ends with dragging = false.
void change_knobs(PanelContext& ctx, const aelab::Knobs& after, bool dragging);

// Ctrl+Z / Ctrl+Shift+Z and the Edit menu. The status bar names what was undone.
void undo_change(PanelContext& ctx);
void redo_change(PanelContext& ctx);
const UndoHistory& undo_history();
