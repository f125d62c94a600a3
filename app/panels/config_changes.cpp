#include "app/panels/config_changes.h"

#include "app/panels/widgets.h"
#include "core/run/timeline.h"

using namespace aelab;

namespace {

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

// The compared run the trainer keeps whole under `id`, as this frame's snapshot has it.
const ComparedRun* kept_run(const Snapshot& s, uint64_t id) {
    for (const auto& run : s.timeline.compared)
        if (run->kept && run->kept->id == id) return run.get();
    return nullptr;
}

}  // namespace

Config ConfigChanges::asked(const PanelContext& ctx) const {
    const Snapshot& s = ctx.snapshot;
    Config config = s.commands_done < m_sent_rebuild_number ? m_sent_rebuild : s.config;
    if (s.knobs_taken < m_sent_knobs_number) config.knobs = m_sent_knobs;
    return config;
}

void ConfigChanges::send_knobs(PanelContext& ctx, const Knobs& knobs, bool dragging) {
    m_sent_knobs = knobs;
    m_sent_knobs_number = ctx.trainer.set_knobs(knobs, dragging);
}

void ConfigChanges::send_rebuild(PanelContext& ctx, const Config& config, const Command& command) {
    m_sent_rebuild = config;
    m_sent_rebuild_number = ctx.trainer.send(command);
}

void ConfigChanges::replace_run(PanelContext& ctx, const std::string& words,
                                std::function<void(PanelContext&)> act) {
    // Lost only when the trainer cannot keep it (TimelineShown::keeps_live_run) and no file has it.
    if (!ctx.snapshot.file.unsaved || ctx.snapshot.timeline.keeps_live_run) return act(ctx);
    ctx.requests.replace_run =
        ReplaceRun{words, "It is too large to keep in memory beside the new one.", std::move(act),
                   [](PanelContext& c) { ++c.changes.m_cancelled; }};
}

void ConfigChanges::change_config(PanelContext& ctx, const Config& after, const std::string& why) {
    const Config before = asked(ctx);
    if (before == after) return;
    m_drag_start.reset();
    const std::vector<std::string> rebuilt = describe_changes(before, after, /*live=*/false);
    if (rebuilt.empty()) {
        m_history.record(before, after);
        send_knobs(ctx, after.knobs);
        return;
    }
    const std::string text = why + ": rebuilding the model: " + join_clauses(rebuilt);
    // The run it replaces is kept under run_before, and the new one, once an undo replaces
    // it, under run_after.
    const uint64_t run_before = m_next_run_id++, run_after = m_next_run_id++;
    replace_run(ctx, "rebuilding the model", [=](PanelContext& c) {
        c.changes.m_history.record(before, after, run_before, run_after);
        c.log.add(text, c.time);
        c.changes.send_rebuild(c, after, commands::Rebuild{after, run_before});
    });
}

void ConfigChanges::change_knobs(PanelContext& ctx, const Knobs& after, bool dragging) {
    if (!m_drag_start) m_drag_start = asked(ctx);
    send_knobs(ctx, after, dragging);
    if (dragging) return;
    Config settled = *m_drag_start;
    settled.knobs = after;
    m_history.record(*m_drag_start, settled);
    m_drag_start.reset();
}

void ConfigChanges::take_back(PanelContext& ctx, bool undo) {
    const std::string verb = undo ? "undo" : "redo";
    const ConfigChange* next = undo ? m_history.next_undo() : m_history.next_redo();
    if (!next) {
        ctx.log.add(undo ? "Nothing to undo" : "Nothing to redo", ctx.time);
        return;
    }
    m_drag_start.reset();
    const ConfigChange change = *next;
    const Config now = asked(ctx);
    const ConfigChange shown{now, undo ? with_change(now, change.after, change.before)
                                       : with_change(now, change.before, change.after)};
    const auto move = [undo](ConfigChanges& self) { undo ? self.m_history.undo() : self.m_history.redo(); };
    if (shown.before == shown.after) {
        move(*this);
        ctx.log.add(verb + ": already so", ctx.time);
        return;
    }
    if (!shown.rebuilds()) {
        move(*this);
        send_knobs(ctx, shown.after.knobs);
        ctx.log.add(verb + ": " + shown.describe(), ctx.time);
        return;
    }
    // A rebuild: back to the run that change replaced, trained, while the trainer keeps it;
    // the run live now is kept in its place, for the way back.
    const uint64_t back_to = undo ? change.run_before : change.run_after;
    const uint64_t keep_as = undo ? change.run_after : change.run_before;
    const ComparedRun* kept = kept_run(ctx.snapshot, back_to);
    const std::string how = kept ? " (back to " + kept->name + " at step " +
                                       widgets::format_step(kept->kept->state.step) + ")"
                                 : " (a fresh model with those settings)";
    replace_run(ctx, verb == "undo" ? "undoing a rebuild" : "redoing a rebuild",
                [=](PanelContext& c) {
                    move(c.changes);
                    c.changes.send_rebuild(c, shown.after,
                                           commands::ReturnTo{back_to, keep_as, shown.after});
                    c.log.add(verb + ": " + shown.describe() + how, c.time);
                });
}
