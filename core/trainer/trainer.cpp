#include "core/trainer/trainer.h"

#include <cmath>
#include <filesystem>
#include <new>
#include <random>

#include "core/base/gemm.h"
#include "core/files/export.h"
#include "core/files/image_grid.h"
#include "core/files/run_file.h"
#include "core/run/run_history.h"

namespace aelab {

namespace {
// A first snapshot exists before the thread starts, so latest() is never null.
std::shared_ptr<const Snapshot> loading_snapshot(const Config& config) {
    auto first = std::make_shared<Snapshot>();
    first->config = config;
    first->status.loading = true;
    return first;
}
}  // namespace

Trainer::Trainer(const Config& config, std::function<void()> wake, bool start_running,
                 DatasetLoader loader)
    : m_inbox(config.knobs),
      m_mailbox(loading_snapshot(config), std::move(wake)),
      m_config(config),
      m_loader(std::move(loader)),
      m_running(start_running),
      m_saves([this] { m_inbox.save_finished(); }) {
    m_thread = std::thread([this] { run(); });
}

Trainer::~Trainer() {
    m_inbox.request_quit();
    m_thread.join();
}

void Trainer::run() {
    guarded([&] {
        rebuild(m_config);
        publish();
    });
    for (;;) {
        const bool idle = !can_train() || (!m_running && m_pending_steps == 0);
        if (idle) {  // paused: sleep until the UI sends something (no step's time, that)
            m_rate.interrupted();
            m_tests.interrupted();
            m_inbox.sleep(std::nullopt, m_views.busy());
        } else if (m_pending_steps == 0 && !m_pacer.due(StepPacer::Clock::now()))
            // Slow motion: sleep until the next step is due, or the UI sends something.
            m_inbox.sleep(m_pacer.next_step(), m_views.busy());
        if (m_inbox.quit_requested()) return;
        guarded([&] { run_once(); });
    }
}

void Trainer::run_once() {
    collect_saves();
    for (const Command& command : m_inbox.take_commands()) {
        apply(command);
        ++m_commands_done;  // after: a rebuild's "loading" publication has not done it yet
    }
    apply_knobs_if_changed();
    if (!can_train() || (!m_running && m_pending_steps == 0) ||
        (m_pending_steps == 0 && !m_pacer.due(StepPacer::Clock::now()))) {
        publish();
        return;
    }
    train_one_step();
    const auto now = std::chrono::steady_clock::now();
    if (m_pending_steps == 0) m_pacer.stepped(now);  // Step's mini-batches are never held
    // The last of a series of Steps is shown at once; otherwise on the clock.
    const bool steps_done = m_pending_steps > 0 && --m_pending_steps == 0;
    const bool stopped = steps_done || !can_train();
    m_rate.add(m_config.knobs.batch, now);
    m_tests.stepped(now);
    // The curve gets a point every N steps exactly; when training stops, the numbers shown
    // are measured at once (off the curve).
    if (m_tests.due(m_session->step()))
        m_tests.record(*m_session, m_history);
    else if (stopped)
        m_tests.catch_up(*m_session);
    // In slow motion (up to the publication rate) every step is shown: the trainer may
    // sleep until the next one.
    const bool every_step = m_pacer.limited() && m_pacer.rate() <= 1.0 / kPublishInterval;
    if (stopped || every_step ||
        std::chrono::duration<double>(now - m_mailbox.last_publish()).count() >= kPublishInterval)
        publish();
}

RunState Trainer::capture_state() const {
    RunState state = m_session->state();
    state.history = m_history;
    for (const LogMessage& message : m_log.messages()) state.log.push_back(message.text);
    return state;
}

void Trainer::collect_saves() {
    m_inbox.take_save_finished();
    for (const LogMessage& line : m_saves.collect()) log(line.text, line.severity);
}

void Trainer::guarded(const std::function<void()>& work) {
    try {
        work();
        return;
    } catch (const std::bad_alloc&) {
        stop_with_error("out of memory: the model or the data does not fit; choose smaller "
                        "layers or a smaller training set");
    } catch (const std::exception& e) {
        stop_with_error(std::string("training stopped: ") + e.what());
    }
}

void Trainer::stop_with_error(const std::string& message) {
    // An exception escaping a std::thread would end the program: report it and pause. A
    // model that was being built is not there (rebuild() drops the old one first); a model
    // that was training stays, for the views, until Reset or a rebuild.
    m_running = false;
    m_pending_steps = 0;
    m_loading = false;
    m_error = message;
    log(m_error, Severity::Error);
    try {
        publish();
    } catch (const std::exception&) {
        // Not even a snapshot fits: keep the previous one; the next command tries again.
    }
}

struct Trainer::Apply {
    Trainer& t;
    void operator()(const commands::Play&) { t.m_running = true; }
    void operator()(const commands::Pause&) {
        t.m_running = false;
        if (t.can_train()) t.m_tests.catch_up(*t.m_session);  // the numbers shown: of this step
    }
    void operator()(const commands::Step& step) {
        t.m_running = false;
        if (t.can_train()) t.m_pending_steps += std::max(1, step.steps);
    }
    void operator()(const commands::Reset&) { t.rebuild(t.m_config); }
    void operator()(const commands::NewSeed&) {
        Config config = t.m_config;
        config.seed = std::random_device{}();
        t.log("new seed " + std::to_string(config.seed));
        t.rebuild(config);
    }
    void operator()(const commands::Rebuild& rebuild) {
        t.rebuild(rebuild.config, nullptr, {.keep_as = rebuild.keep_as});
    }
    void operator()(const commands::ReturnTo& back) { t.return_to(back); }
    void operator()(const commands::Resume& resume) {
        if (resume.state) t.open_run(*resume.state, resume.path);
    }
    void operator()(const commands::New& fresh) {
        t.rebuild(fresh.config, nullptr, {.keep = false});
        t.m_saves.tie_to("");
        t.m_lineage.start(run_name(1));
        t.sync_kept();
    }
    void operator()(const commands::ViewStep& view) { t.m_views.show_step(view.step); }
    void operator()(const commands::SpeedLimit& limit) { t.m_pacer.set_rate(limit.steps_per_second); }
    void operator()(const commands::TestEvery& every) { t.m_tests.pin(every.steps); }
    void operator()(const commands::Branch&) { t.branch(); }
    void operator()(const commands::NameRun& name) { t.m_lineage.rename(name.name); }
    void operator()(const commands::ForgetCompared&) {
        t.m_lineage.forget_compared();
        t.sync_kept();
    }
    void operator()(const commands::CheckpointBudget& budget) {
        t.m_timeline.set_budget(budget.bytes);
        t.m_lineage.set_budget(budget.bytes / 2);  // the kept runs' share: half
        t.sync_kept();
    }
    void operator()(const commands::Export& what) { t.export_now(what); }
    void operator()(const commands::Open& open) {
        auto state = load_run(open.path);
        if (!state) return t.log("not opened: " + state.error(), Severity::Error);
        t.open_run(*state, open.path);
    }
    void operator()(const commands::SetProbe& probe) {
        if (!t.m_session || !t.m_session->set_first_probe(probe.test_index)) return;
        t.log("probe 1 is now test image " + std::to_string(probe.test_index));
        t.m_saves.changed();
    }
    void operator()(const commands::Save& save) { t.save(save); }
};

void Trainer::apply(const Command& command) {
    std::visit(Apply{*this}, command);
    publish();
}

void Trainer::save(const commands::Save& save) {
    if (!m_session) return log("not saved: there is no model to save", Severity::Error);
    m_saves.save(save.path, save.autosave, std::make_shared<const RunState>(capture_state()));
}

void Trainer::export_now(const commands::Export& what) {
    if (!m_session) return log("not exported: there is no model", Severity::Error);
    std::optional<Error> error;
    const char* name = "weights";
    switch (what.kind) {
        case commands::ExportKind::Weights:
            error = export_weights(what.path, *m_session);
            break;
        case commands::ExportKind::Curves:
            name = "curves";
            error = export_curves_file(what.path, m_history);
            break;
        case commands::ExportKind::Codes:
            name = "codes";
            error = export_codes_file(what.path, *m_session);
            break;
        // The figures show what the views show: a past step while one is on view.
        case commands::ExportKind::ProbesPng:
            name = "probe images";
            sync_viewed();
            error = export_probes_png(what.path, m_views.viewed() ? *m_views.viewed() : *m_session);
            break;
        case commands::ExportKind::FiltersPng:
            name = "filters";
            sync_viewed();
            error = export_filters_png(what.path, m_views.viewed() ? *m_views.viewed() : *m_session);
            break;
    }
    log(error ? "not exported: " + error->message
              : std::string("exported the ") + name + " to " + what.path,
        error ? Severity::Error : Severity::Info);
}

bool Trainer::rebuild(const Config& config, const RunState* from, Replaced replaced) {
    const bool had_model = can_train();
    const Knobs knobs_before = m_config.knobs;
    // Knobs sent before the rebuild stay in force; the rebuild's own knobs win.
    m_inbox.replace_knobs(config.knobs);
    // What the new model needs is made and checked before the old one gives way: a bad data
    // folder, a training subset that is too small or a model too large for memory leave the
    // running model training as it was, with the reason said (snapshot.status.rebuild_refused). The
    // checks are Session::create's own, made while the old model still runs (creating the new
    // one beside it could need twice the memory).
    if (m_loader.needs_load(config)) {
        m_loading = true;
        publish();  // the window says "loading" at once
    }
    auto data = m_loader.check(config, from != nullptr);
    if (!data) {
        refuse_rebuild(config, had_model, knobs_before, data.error());
        return false;
    }
    if (const std::string notice = m_loader.keep(std::move(*data)); !notice.empty())
        log(notice, Severity::Warning);
    return start_run(config, from, replaced);
}

void Trainer::refuse_rebuild(const Config& config, bool had_model, const Knobs& knobs_before,
                             const std::string& why) {
    m_loading = false;
    if (had_model) {
        m_inbox.replace_knobs(knobs_before);
        m_config.knobs = knobs_before;
        m_rebuild_refused = why;
        ++m_refusal_version;
        log("not rebuilt: " + why + " (the current model keeps training)", Severity::Error);
        return;
    }
    m_session.reset();
    ++m_model_version;
    m_config = config;
    m_error = why;
    log(m_error, Severity::Error);
}

bool Trainer::start_run(const Config& config, const RunState* from, Replaced replaced) {
    // The new model takes over: the old one, its views, checkpoints and curves go first — the
    // run itself, when it trained, kept whole beside the new one.
    set_aside_live(replaced);
    m_rebuild_refused.clear();
    m_config = config;
    m_drag_start.reset();
    m_views.stop_viewing();
    m_timeline.clear();
    m_session.reset();
    m_views.reset_live();
    m_history.clear();
    m_saves.changed();
    m_tests.clear();
    m_error.clear();
    m_pending_steps = 0;
    ++m_model_version;

    auto session = m_loader.start(config, from);
    m_loading = false;
    if (!session) {
        m_error = session.error();
        log(m_error, Severity::Error);
        return false;
    }
    m_session = std::move(*session);
    m_config = m_session->config();
    give_pool_to_session();
    if (from) {
        m_history = from->history;
        for (const std::string& line : from->log) log(line);
        log("resumed at step " + std::to_string(m_session->step()));
    }
    m_rate.restart(/*forget=*/true);
    evaluate_test_subset();
    m_timeline.record(*m_session);  // where this run starts
    return true;
}

std::shared_ptr<const KeptRun> Trainer::keep_live(uint64_t id) {
    if (!m_session || m_session->step() == 0) return nullptr;  // nothing trained to lose
    auto kept = std::make_shared<KeptRun>();
    kept->id = id != 0 ? id : m_lineage.new_id();
    kept->state = m_session->state();  // the curves stay in its ComparedRun, the log goes on
    kept->path = m_saves.run_path();
    return kept;
}

void Trainer::set_aside_live(const Replaced& replaced) {
    const bool trained = m_session && m_session->step() > 0;
    if (replaced.returning_to != 0) {
        m_lineage.return_to(replaced.returning_to, trained ? &m_history : nullptr,
                            keep_live(replaced.keep_as));
    } else if (replaced.keep && trained) {
        const int64_t step = m_session->step();
        std::shared_ptr<const KeptRun> kept = keep_live(replaced.keep_as);
        const std::string parent = m_lineage.branch(m_history, 0, kept);
        // (One that does not fit the memory for kept runs is said by the lineage's note.)
        if (m_lineage.find(kept->id))
            log(parent + " (step " + std::to_string(step) + ") is kept beside " + m_lineage.name() +
                ": the timeline's Runs button goes back to it");
    }
    sync_kept();
}

void Trainer::sync_kept() {
    m_timeline.set_reserved(m_lineage.kept_bytes());
    // A kept run that gives way is a warning: it can no longer be returned to.
    for (const std::string& note : m_lineage.take_notes()) log(note, Severity::Warning);
}

void Trainer::return_to(const commands::ReturnTo& back) {
    const ComparedRun* run = m_lineage.find(back.run);
    if (!run) {
        if (!back.otherwise) return log("that run is no longer kept (the log says why)", Severity::Warning);
        log("the run to go back to is no longer kept (the log says why): a fresh model with its "
            "settings",
            Severity::Warning);
        rebuild(*back.otherwise, nullptr, {.keep_as = back.keep_as});
        return;
    }
    // Held here: the lineage lets go of it when the live run takes its place.
    const std::shared_ptr<const KeptRun> kept = run->kept;
    const std::string name = run->name;
    RunState state = kept->state;
    state.history = run->history;
    // Checked in full, as a run file is, before the live run gives way.
    auto data = m_loader.load(state.config);
    if (!data) return refuse("not back to " + name + ": " + data.error());
    if (auto fits = start_session(state.config, &state, data->prepared); !fits)
        return refuse("not back to " + name + ": " + fits.error());
    m_loader.keep(std::move(*data));
    const std::string live = m_lineage.name();
    const bool live_trained = m_session && m_session->step() > 0;
    if (!rebuild(state.config, &state, {.keep_as = back.keep_as, .returning_to = back.run})) return;
    // Its file, if it had one; whether that file still holds it is not known: unsaved.
    m_saves.tie_to(kept->path);
    m_saves.changed();
    log("back to " + name + " at step " + std::to_string(m_session->step()) +
        (live_trained ? "; " + live + " stays beside it" : ""));
}

void Trainer::give_pool_to_session() {
    // The Trainer runs beside a window: "auto" leaves the window a core of its own.
    const int threads = resolve_threads(m_config, available_cores(), /*window=*/true);
    if (!m_pool || m_pool->size() != threads) {
        m_views.stop_viewing();  // a viewed session may hold the old pool
        m_pool.reset();          // its threads end before the new ones start
        m_pool = std::make_shared<WorkerPool>(threads);
    }
    m_session->set_pool(m_pool);
}

void Trainer::refuse(const std::string& why) {
    m_rebuild_refused = why;
    ++m_refusal_version;
    log(why, Severity::Error);
}

void Trainer::open_run(const RunState& state, const std::string& path) {
    // Everything is checked before anything changes: the data it names, then the state
    // against that data. Only then does the run on screen give way. A run that cannot be
    // opened is published as a refusal (snapshot.status.rebuild_refused), not only logged: the window
    // shows it in red, and a --screenshot run, waiting for the run's steps that will never
    // come, ends on it with exit code 2 instead of waiting for ever.
    const std::string where = path.empty() ? "the run" : path;
    auto data = m_loader.load(state.config);
    if (!data) return refuse("not opened: " + where + ": " + data.error());
    if (auto fits = start_session(state.config, &state, data->prepared); !fits) {
        // resume's refusal already names the file a state was read from (RunState::source).
        return refuse("not opened: " + (state.source.empty() ? where + ": " : std::string()) +
                      fits.error());
    }
    m_loader.keep(std::move(*data));  // (its notice unsaid, as before the split)
    rebuild(state.config, &state, {.keep = false});
    if (!m_session) return;
    m_saves.tie_to(path);  // just opened: nothing to save yet
    m_lineage.start(path.empty() ? run_name(1) : std::filesystem::path(path).stem().string());
}

void Trainer::apply_knobs_if_changed() {
    const auto change = m_inbox.take_knobs();
    if (!change) return;
    if (!m_drag_start) m_drag_start = m_config.knobs;  // the knobs before this edit began
    m_config.knobs = change->knobs;
    if (!m_session) return;
    m_session->set_knobs(change->knobs);
    if (change->dragging) return;  // named once, when the drag settles
    Config before = m_config;
    before.knobs = *m_drag_start;
    m_drag_start.reset();
    for (const std::string& text : describe_changes(before, m_config, /*live=*/true)) {
        m_history.add_marker(m_session->step(), text);
        log(text + " at step " + std::to_string(m_session->step()));
        m_saves.changed();
    }
    // Paused, the test numbers on screen are measured again with the new knobs.
    if (!training()) m_tests.refresh(*m_session);
}

void Trainer::train_one_step() {
    const Terms& terms = m_session->train_step();
    record_train_step(m_history, m_session->step(), terms);
    m_saves.changed();
    if (m_timeline.wants(m_session->step())) m_timeline.record(*m_session);
    if (!std::isfinite(terms.total())) {
        m_running = false;
        m_pending_steps = 0;
        m_error = "the loss became " + std::string(std::isnan(terms.total()) ? "NaN" : "infinite") +
                  " at step " + std::to_string(m_session->step()) +
                  ": training paused. Lower the learning rate, then reset.";
        log(m_error, Severity::Error);
    }
}

void Trainer::evaluate_test_subset() {
    if (!m_session) return;
    m_tests.restart(m_session->step());  // a new run or branch: a point where it starts
    m_tests.record(*m_session, m_history);
}

void Trainer::sync_viewed() {
    if (auto why = m_views.sync(m_session.get(), m_timeline, m_loader.prepared(), m_config.knobs))
        log(*why, Severity::Warning);
}

void Trainer::branch() {
    sync_viewed();
    if (!m_views.viewed() || !m_session) {
        log("to continue from a past step, first pick one on the timeline", Severity::Warning);
        return;
    }
    const int64_t step = m_views.viewed()->step();
    // Knobs set just before "continue" are the branch's, not a last change of the old run.
    m_config.knobs = m_inbox.take_knobs_now();
    // The run that was live becomes a compared run; the new one shares its curves up to here.
    const std::string parent = m_lineage.branch(m_history, step, keep_live(0));
    sync_kept();
    m_history.drop_after(step);
    std::vector<std::string> changes;
    m_session = m_views.take_viewed(m_config.knobs, changes);
    std::string label = m_lineage.name() + " from " + parent;
    for (const std::string& change : changes) label += ", " + change;
    m_history.add_marker(step, label);

    m_timeline.truncate_after(step);
    m_views.reset_live();
    ++m_model_version;
    m_saves.changed();
    m_pending_steps = 0;
    m_rate.restart(/*forget=*/false);
    log("continued from step " + std::to_string(step) + " of " + parent + " as " +
        m_lineage.name() + "; " + parent + " stays on the loss curves, faded");
    evaluate_test_subset();
}

void Trainer::publish() {
    std::shared_ptr<Snapshot> snapshot = m_mailbox.fresh();
    Snapshot& s = *snapshot;
    sync_viewed();
    // Taken with or without a model: a request left unseen would wake the trainer for ever.
    const ViewScheduler::Requests requests = m_inbox.take_view_requests();
    if (m_session) {
        m_session->fill_progress(s);
        m_views.update(s, *m_session, training(), m_config.knobs, requests);
    } else {
        s = Snapshot{};
        m_views.idle();
        s.config = m_config;
    }
    s.version = ++m_version;
    s.knobs_taken = m_inbox.knobs_taken();
    s.commands_done = m_commands_done;
    fill_status(s);
    m_mailbox.publish(std::move(snapshot));
}

void Trainer::fill_status(Snapshot& s) const {
    s.model_version = m_model_version;
    s.status.running = training();
    s.status.speed_limit = m_pacer.rate();
    s.status.loading = m_loading;
    s.status.error = m_error;
    s.status.rebuild_refused = m_rebuild_refused;
    s.status.refusal_version = m_refusal_version;
    s.progress.samples_per_second =
        training() ? m_rate.samples_per_second(std::chrono::steady_clock::now()) : 0.0;
    s.status.gemm_backend = gemm_backend_name();
    s.status.threads = m_session ? m_session->threads() : 1;
    s.curves.history = m_history;
    m_tests.fill(s);
    s.messages.assign(m_log.messages().begin(), m_log.messages().end());
    s.file.path = m_saves.run_path();
    // A model not trained yet has nothing worth keeping, whatever its knobs.
    s.file.unsaved = m_session && m_session->step() > 0 && m_saves.unsaved();
    s.file.saving = m_saves.busy();
    s.file.saves_finished = m_saves.saves_finished();
    s.timeline.checkpoint_steps = m_timeline.steps();
    s.timeline.bytes = m_timeline.bytes();
    s.timeline.budget = m_timeline.budget();
    s.timeline.viewing_step = m_views.viewed() ? m_views.viewed()->step() : -1;
    s.timeline.run_name = m_lineage.name();
    s.timeline.compared = m_lineage.compared();
    // Whether a rebuild now would keep the live run whole (estimated from above: parameters
    // and two optimiser moments, the batch order, 64 KB for the rest); when not, the window
    // asks first.
    if (m_session && m_session->step() > 0) {
        const size_t params = size_t(m_session->network().param_count());
        const size_t order = size_t(m_session->data().train_x.cols());
        s.timeline.keeps_live_run =
            m_lineage.would_keep(sizeof(float) * (3 * params + order) + 65536);
    }
}

}  // namespace aelab
