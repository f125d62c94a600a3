#include "app/panels/config_changes.h"

#include <optional>

using namespace aelab;

namespace {

UndoHistory history;
std::optional<Config> drag_start;  // the running config when the current drag began

// `now` with every key that differs between `from` and `to` set to its value in `to`: an
// undo takes back only what that change changed, whatever happened since (a file opened, a
// lesson's step), so it never drops unrelated settings.
Config with_change(const Config& now, const Config& from, const Config& to) {
    Config target = now;
    for (const ConfigKey& key : config_keys()) {
        const std::string value = get_config_value(to, key.name);
        if (get_config_value(from, key.name) != value) set_config_value(target, key.name, value);
    }
    return target;
}

void take_back(PanelContext& ctx, const std::optional<ConfigChange>& change, bool undo) {
    if (!change) {
        ctx.log.add(undo ? "Nothing to undo" : "Nothing to redo", ctx.time);
        return;
    }
    drag_start.reset();
    const Config& now = ctx.snapshot.config;
    const ConfigChange shown{now, undo ? with_change(now, change->after, change->before)
                                       : with_change(now, change->before, change->after)};
    if (shown.before == shown.after) {
        ctx.log.add(std::string(undo ? "undo" : "redo") + ": already so", ctx.time);
        return;
    }
    if (shown.rebuilds())
        ctx.trainer.send(commands::Rebuild{shown.after});
    else
        ctx.trainer.set_knobs(shown.after.knobs);
    ctx.log.add(std::string(undo ? "undo: " : "redo: ") + shown.describe() +
                    (shown.rebuilds() ? " (a fresh model with those settings)" : ""),
                ctx.time);
}

}  // namespace

void change_config(PanelContext& ctx, const Config& after, const std::string& why) {
    const Config& before = ctx.snapshot.config;
    if (before == after) return;
    history.record(before, after);
    drag_start.reset();
    if (describe_changes(before, after, /*live=*/false).empty()) {
        ctx.trainer.set_knobs(after.knobs);
        return;
    }
    ctx.log.add(
        why + ": rebuilding the model: " + join_clauses(describe_changes(before, after, false)),
        ctx.time);
    ctx.trainer.send(commands::Rebuild{after});
}

void change_knobs(PanelContext& ctx, const Knobs& after, bool dragging) {
    if (!drag_start) drag_start = ctx.snapshot.config;
    ctx.trainer.set_knobs(after, dragging);
    if (dragging) return;
    Config settled = *drag_start;
    settled.knobs = after;
    history.record(*drag_start, settled);
    drag_start.reset();
}

void undo_change(PanelContext& ctx) { take_back(ctx, history.undo(), /*undo=*/true); }
void redo_change(PanelContext& ctx) { take_back(ctx, history.redo(), /*undo=*/false); }
const UndoHistory& undo_history() { return history; }
