#include "core/trainer/trainer.h"

#include <cmath>
#include <filesystem>
#include <cstdio>
#include <new>
#include <random>

#include "core/base/gemm.h"
#include "core/files/export.h"
#include "core/files/image_grid.h"
#include "core/files/run_file.h"
#include "core/run/memory_budget.h"
#include "core/run/run_history.h"

namespace aelab {

namespace {
constexpr size_t kKeptMessages = 64;
constexpr double kRateWindow = 0.5;        // seconds of training per samples/s reading
constexpr double kMinTestInterval = 0.2;   // seconds between held-out evaluations…
constexpr double kMaxTestOverhead = 0.02;  // …and never more than 2 % of the trainer's time
constexpr size_t kMaxCompared = 3;         // runs kept beside the live one on the loss curves

// "run A", "run B", …, "run Z", "run 27", …
std::string run_name(int index) {
    return index <= 26 ? std::string("run ") + char('A' + index - 1) : "run " + std::to_string(index);
}
}  // namespace

Trainer::Trainer(const Config& config, std::function<void()> wake, bool start_running,
                 DatasetLoader loader)
    : m_knobs(config.knobs),
      m_pool(std::make_shared<RecyclingPool<Snapshot>>()),
      m_wake(std::move(wake)),
      m_load(std::move(loader)),
      m_config(config),
      m_running(start_running),
      m_writer([this] {
          {
              std::lock_guard lock(m_control_mutex);
              m_save_finished = true;
          }
          m_control_changed.notify_all();
      }) {
    // A first snapshot exists before the thread starts, so latest() is never null.
    auto first = std::make_shared<Snapshot>();
    first->config = config;
    first->loading = true;
    m_latest = std::move(first);
    m_thread = std::thread([this] { run(); });
}

Trainer::~Trainer() {
    {
        std::lock_guard lock(m_control_mutex);
        m_quit_requested = true;
    }
    m_control_changed.notify_all();
    m_thread.join();
}

void Trainer::set_knobs(const Knobs& knobs, bool dragging) {
    {
        std::lock_guard lock(m_control_mutex);
        m_knobs = knobs;
        m_knobs_dragging = dragging;
        ++m_knob_version;
    }
    m_control_changed.notify_all();
}

void Trainer::set_view_request(ViewId view, std::shared_ptr<const ViewRequest> request) {
    {
        std::lock_guard lock(m_control_mutex);
        auto& slot = m_view_requests[int(view)];
        const bool same = slot && request ? slot->same_as(*request) : slot == request;
        if (same) return;
        slot = std::move(request);
        ++m_view_version;
    }
    m_control_changed.notify_all();
}

void Trainer::send(const Command& command) {
    {
        std::lock_guard lock(m_control_mutex);
        m_commands.push_back(command);
    }
    m_control_changed.notify_all();
}

std::shared_ptr<const Snapshot> Trainer::latest() const {
    std::lock_guard lock(m_mailbox_mutex);
    return m_latest;
}

std::shared_ptr<const Snapshot> Trainer::wait_for(const std::function<bool(const Snapshot&)>& ready,
                                                  std::chrono::milliseconds timeout) {
    std::unique_lock lock(m_mailbox_mutex);
    m_published.wait_for(lock, timeout, [&] { return ready(*m_latest); });
    return m_latest;
}

void Trainer::log(const std::string& text) {
    m_messages.push_back({++m_message_id, text});
    if (m_messages.size() > kKeptMessages) m_messages.pop_front();
}

void Trainer::run() {
    guarded([&] {
        rebuild(m_config);
        publish();
    });
    for (;;) {
        {
            std::unique_lock lock(m_control_mutex);
            const auto woken = [&] {
                return m_quit_requested || !m_commands.empty() ||
                       m_knob_version != m_seen_knob_version ||
                       m_view_version != m_seen_view_version || m_views_busy || m_save_finished;
            };
            const bool idle = !can_train() || (!m_running && m_pending_steps == 0);
            if (idle)  // paused: sleep until the UI sends something
                m_control_changed.wait(lock, woken);
            else if (m_pending_steps == 0 && !m_pacer.due(StepPacer::Clock::now()))
                // Slow motion: sleep until the next step is due, or the UI sends something.
                m_control_changed.wait_until(lock, m_pacer.next_step(), woken);
            if (m_quit_requested) return;
        }
        guarded([&] { run_once(); });
    }
}

void Trainer::run_once() {
    collect_saves();
    drain_commands();
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
    const double since_test = std::chrono::duration<double>(now - m_last_test).count();
    if (stopped || since_test >= std::max(kMinTestInterval, m_test_cost / kMaxTestOverhead))
        evaluate_test_subset();
    // In slow motion (up to the publication rate) every step is shown: the trainer may
    // sleep until the next one.
    const bool every_step = m_pacer.limited() && m_pacer.rate() <= 1.0 / kPublishInterval;
    if (stopped || every_step ||
        std::chrono::duration<double>(now - m_last_publish).count() >= kPublishInterval)
        publish();
}

RunState Trainer::capture_state() const {
    RunState state = m_session->state();
    state.history = m_history;
    for (const LogMessage& message : m_messages) state.log.push_back(message.text);
    return state;
}

void Trainer::collect_saves() {
    {
        std::lock_guard lock(m_control_mutex);
        m_save_finished = false;
    }
    for (const RunWriter::Result& r : m_writer.take_results()) {
        if (r.path == m_autosave_path) {  // a safety copy: neither the run's file nor saved
            log(r.error ? "autosave failed: " + r.error->message
                        : "autosaved step " + std::to_string(r.step) + " to " + r.path);
            continue;
        }
        ++m_saves_finished;
        if (r.error) {
            log("not saved: " + r.error->message + " (the file on disk is unchanged)");
            continue;
        }
        char cost[64];
        std::snprintf(cost, sizeof cost, " (%.0f ms)", r.seconds * 1e3);
        log("saved step " + std::to_string(r.step) + " to " + r.path + cost);
        m_saved_changes = r.tag;
        m_run_path = r.path;
    }
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
    log(m_error);
    try {
        publish();
    } catch (const std::exception&) {
        // Not even a snapshot fits: keep the previous one; the next command tries again.
    }
}

void Trainer::drain_commands() {
    std::vector<Command> commands;
    {
        std::lock_guard lock(m_control_mutex);
        commands.swap(m_commands);
    }
    for (const Command& command : commands) apply(command);
}

void Trainer::apply(const Command& command) {
    struct Apply {
        Trainer& t;
        void operator()(const commands::Play&) { t.m_running = true; }
        void operator()(const commands::Pause&) { t.m_running = false; }
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
        void operator()(const commands::Rebuild& rebuild) { t.rebuild(rebuild.config); }
        void operator()(const commands::Resume& resume) {
            if (resume.state) t.open_run(*resume.state, resume.path);
        }
        void operator()(const commands::New& fresh) {
            t.rebuild(fresh.config);
            t.m_run_path.clear();
            t.m_saved_changes = t.m_changes;
            t.start_lineage(run_name(1));
        }
        void operator()(const commands::ViewStep& view) { t.m_view_target = view.step; }
        void operator()(const commands::SpeedLimit& limit) {
            t.m_pacer.set_rate(limit.steps_per_second);
        }
        void operator()(const commands::Branch&) { t.branch(); }
        void operator()(const commands::NameRun& name) {
            if (!name.name.empty()) t.m_run_name = name.name.substr(0, 60);
        }
        void operator()(const commands::ForgetCompared&) { t.m_compared.clear(); }
        void operator()(const commands::CheckpointBudget& budget) {
            t.m_timeline.set_budget(budget.bytes);
        }
        void operator()(const commands::Export& what) {
            if (!t.m_session) {
                t.log("not exported: there is no model");
                return;
            }
            std::optional<Error> error;
            const char* name = "weights";
            switch (what.kind) {
                case commands::ExportKind::Weights:
                    error = export_weights(what.path, *t.m_session);
                    break;
                case commands::ExportKind::Curves:
                    name = "curves";
                    error = export_curves_file(what.path, t.m_history);
                    break;
                case commands::ExportKind::Codes:
                    name = "codes";
                    error = export_codes_file(what.path, *t.m_session);
                    break;
                // The figures show what the views show: a past step while one is on view.
                case commands::ExportKind::ProbesPng:
                    name = "probe images";
                    t.sync_viewed();
                    error = export_probes_png(what.path, t.m_viewed ? *t.m_viewed : *t.m_session);
                    break;
                case commands::ExportKind::FiltersPng:
                    name = "filters";
                    t.sync_viewed();
                    error = export_filters_png(what.path, t.m_viewed ? *t.m_viewed : *t.m_session);
                    break;
            }
            t.log(error ? "not exported: " + error->message
                        : std::string("exported the ") + name + " to " + what.path);
        }
        void operator()(const commands::Open& open) {
            auto state = load_run(open.path);
            if (!state) {
                t.log("not opened: " + state.error());
                return;
            }
            t.open_run(*state, open.path);
        }
        void operator()(const commands::SetProbe& probe) {
            if (t.m_session && t.m_session->set_first_probe(probe.test_index)) {
                t.log("probe 1 is now test image " + std::to_string(probe.test_index));
                ++t.m_changes;
            }
        }
        void operator()(const commands::Save& save) {
            if (!t.m_session) {
                t.log("not saved: there is no model to save");
                return;
            }
            if (save.autosave) t.m_autosave_path = save.path;
            t.m_writer.write(save.path, std::make_shared<const RunState>(t.capture_state()),
                             t.m_changes);
        }
    };
    std::visit(Apply{*this}, command);
    publish();
}

void Trainer::rebuild(const Config& requested, const RunState* from) {
    Config config = requested;
    const bool had_model = can_train();
    const Knobs knobs_before = m_config.knobs;
    {
        // Knobs sent before the rebuild stay in force; the rebuild's own knobs win.
        std::lock_guard lock(m_control_mutex);
        m_knobs = config.knobs;
        m_seen_knob_version = ++m_knob_version;
    }
    // What the new model needs is made and checked before the old one gives way: a bad data
    // folder, a training subset that is too small or a model too large for memory leave the
    // running model training as it was, with the reason said (snapshot.rebuild_refused).
    const auto refuse = [&](const std::string& why) {
        m_loading = false;
        if (had_model) {
            {
                std::lock_guard lock(m_control_mutex);
                m_knobs = knobs_before;
                m_seen_knob_version = ++m_knob_version;
            }
            m_config.knobs = knobs_before;
            m_rebuild_refused = why;
            ++m_refusal_version;
            log("not rebuilt: " + why + " (the current model keeps training)");
            return;
        }
        m_session.reset();
        ++m_model_version;
        m_config = config;
        m_error = why;
        log(m_error);
    };
    std::shared_ptr<const Dataset> full = m_full_data, prepared = m_prepared;
    if (!full || m_full_data_name != config.dataset) {
        m_loading = true;
        publish();  // the window says "loading" at once
        auto loaded = m_load(config.dataset);
        if (!loaded) return refuse(loaded.error());
        full = *loaded;
        prepared.reset();
    }
    // The prepared set (held-out class, subset, binarised, normalised) is kept across
    // rebuilds that keep it: a normalised Fashion-MNIST is a 200 MB copy.
    const std::string key = prepared_data_key(config);
    if (!prepared || key != m_prepared_key) {
        auto made = prepare_dataset(full, config);
        if (!made) return refuse(made.error());
        prepared = *made;
    }
    // Session::create's own checks, made while the old model still runs (creating the new one
    // beside it could need twice the memory).
    if (!from) {
        if (auto error = validate_config(config)) return refuse(error->message);
        if (prepared->train_x.cols() == 0 || prepared->test_x.cols() == 0)
            return refuse("dataset '" + config.dataset + "' has no training or no test samples");
    }
    // A run file too: its model needs what a new one of its config needs (and its config may
    // carry a memory_budget of its own, or --set one).
    if (auto error = check_model_fits(config, prepared->input_size())) return refuse(error->message);

    // The new model takes over.
    if (full != m_full_data && !full->notice.empty()) log(full->notice);
    m_full_data = full;
    m_full_data_name = config.dataset;
    m_prepared = prepared;
    m_prepared_key = key;
    m_rebuild_refused.clear();
    m_config = config;
    m_drag_start.reset();
    stop_viewing();
    m_timeline.clear();
    m_session.reset();
    for (auto& view : m_views)
        if (view) view->reset();
    m_history.clear();
    ++m_changes;
    m_has_test = false;
    m_error.clear();
    m_pending_steps = 0;
    ++m_model_version;

    auto session = from ? Session::resume(*from, m_prepared) : Session::create(config, m_prepared);
    m_loading = false;
    if (!session) {
        m_error = session.error();
        log(m_error);
        return;
    }
    m_session = std::move(*session);
    m_config = m_session->config();
    if (from) {
        m_history = from->history;
        for (const std::string& line : from->log) log(line);
        log("resumed at step " + std::to_string(m_session->step()));
    }
    const auto now = std::chrono::steady_clock::now();
    m_last_test = now;
    m_rate_samples = 0;
    m_rate_seconds = 0;
    m_samples_per_second = 0;
    evaluate_test_subset();
    m_test_cost = 0;  // that first pass touched cold buffers: its cost says nothing
    m_timeline.record(*m_session);  // where this run starts
}

void Trainer::open_run(const RunState& state, const std::string& path) {
    // Everything is checked before anything changes: the data it names, then the state
    // against that data. Only then does the run on screen give way. A run that cannot be
    // opened is published as a refusal (snapshot.rebuild_refused), not only logged: the window
    // shows it in red, and a --screenshot run, waiting for the run's steps that will never
    // come, ends on it with exit code 2 instead of waiting for ever.
    const std::string where = path.empty() ? "the run" : path;
    const auto log = [&](const std::string& text) {
        m_rebuild_refused = text;
        ++m_refusal_version;
        this->log(text);
    };
    std::shared_ptr<const Dataset> full = m_full_data, prepared = m_prepared;
    if (!full || m_full_data_name != state.config.dataset) {
        auto loaded = m_load(state.config.dataset);
        if (!loaded) {
            log("not opened: " + where + ": " + loaded.error());
            return;
        }
        full = *loaded;
        prepared.reset();
    }
    const std::string key = prepared_data_key(state.config);
    if (!prepared || key != m_prepared_key) {
        auto made = prepare_dataset(full, state.config);
        if (!made) {
            log("not opened: " + where + ": " + made.error());
            return;
        }
        prepared = *made;
    }
    if (auto fits = Session::resume(state, prepared); !fits) {
        // resume's refusal already names the file a state was read from (RunState::source).
        log("not opened: " + (state.source.empty() ? where + ": " : std::string()) + fits.error());
        return;
    }
    m_full_data = full;
    m_full_data_name = state.config.dataset;
    m_prepared = prepared;
    m_prepared_key = key;
    rebuild(state.config, &state);
    if (!m_session) return;
    m_run_path = path;
    m_saved_changes = m_changes;  // just opened: nothing to save yet
    start_lineage(path.empty() ? run_name(1) : std::filesystem::path(path).stem().string());
}

void Trainer::start_lineage(const std::string& name) {
    m_compared.clear();
    m_runs_named = 1;
    m_run_name = name;
}

void Trainer::apply_knobs_if_changed() {
    Knobs knobs;
    bool dragging = false;
    {
        std::lock_guard lock(m_control_mutex);
        if (m_knob_version == m_seen_knob_version) return;
        m_seen_knob_version = m_knob_version;
        knobs = m_knobs;
        dragging = m_knobs_dragging;
    }
    if (!m_drag_start) m_drag_start = m_config.knobs;  // the knobs before this edit began
    m_config.knobs = knobs;
    if (!m_session) return;
    m_session->set_knobs(knobs);
    if (dragging) return;  // named once, when the drag settles
    Config before = m_config;
    before.knobs = *m_drag_start;
    m_drag_start.reset();
    for (const std::string& change : describe_changes(before, m_config, /*live=*/true)) {
        m_history.add_marker(m_session->step(), change);
        log(change + " at step " + std::to_string(m_session->step()));
        ++m_changes;
    }
}

void Trainer::train_one_step() {
    const double before = m_session->training_seconds();
    const Terms& terms = m_session->train_step();
    record_train_step(m_history, m_session->step(), terms);
    ++m_changes;
    if (m_timeline.wants(m_session->step())) m_timeline.record(*m_session);

    m_rate_samples += m_config.knobs.batch;
    m_rate_seconds += m_session->training_seconds() - before;
    if (m_rate_seconds >= kRateWindow) {
        m_samples_per_second = m_rate_samples / m_rate_seconds;
        m_rate_samples = 0;
        m_rate_seconds = 0;
    }
    if (!std::isfinite(terms.total())) {
        m_running = false;
        m_pending_steps = 0;
        m_error = "the loss became " + std::string(std::isnan(terms.total()) ? "NaN" : "infinite") +
                  " at step " + std::to_string(m_session->step()) +
                  ": training paused. Lower the learning rate, then reset.";
        log(m_error);
    }
}

void Trainer::evaluate_test_subset() {
    if (!m_session) return;
    const auto start = std::chrono::steady_clock::now();
    const TestPoint point = record_test_point(*m_session, m_history);
    m_last_test_terms = point.terms;
    m_last_test_clean = point.clean;
    m_last_test = std::chrono::steady_clock::now();
    m_test_cost = std::chrono::duration<double>(m_last_test - start).count();
    m_has_test = true;
}

void Trainer::update_views(Snapshot& s, const Session& session,
                           std::array<std::unique_ptr<ComputedView>, kViewCount>& views,
                           bool training) {
    std::array<std::shared_ptr<const ViewRequest>, kViewCount> requests;
    {
        std::lock_guard lock(m_control_mutex);
        requests = m_view_requests;
        m_seen_view_version = m_view_version;
    }
    int open_views = 0;
    for (int v = 0; v < kViewCount; ++v) open_views += requests[v] && requests[v]->active;
    const ViewInputs inputs{session, training, kViewTimeBudget / std::max(1, open_views)};
    m_views_busy = false;
    for (int v = 0; v < kViewCount; ++v) {
        if (requests[v] && requests[v]->active && !views[v]) views[v] = make_computed_view(ViewId(v));
        const bool open = views[v] && requests[v] && requests[v]->active;
        s.views[v] = open ? views[v]->update(inputs, *requests[v]) : nullptr;
        m_views_busy = m_views_busy || (open && views[v]->busy());
    }
}

void Trainer::sync_viewed() {
    if (m_view_target == m_view_synced) return;
    m_view_synced = m_view_target;
    const Checkpoint* checkpoint =
        m_session && m_view_target >= 0 ? m_timeline.nearest(m_view_target) : nullptr;
    if (!checkpoint) {
        stop_viewing();
        return;
    }
    if (m_viewed && m_viewed->step() == checkpoint->step()) return;
    if (!m_viewed) {
        auto made = Session::create(m_session->config(), m_prepared);
        if (!made) {
            log("cannot show step " + std::to_string(checkpoint->step()) + ": " + made.error());
            stop_viewing();
            return;
        }
        m_viewed = std::move(*made);
    }
    m_viewed->restore(*checkpoint);
    m_viewed_knobs = m_viewed->config().knobs;
    // The model as it was, seen through today's knobs (the probe's noise, the target p).
    m_viewed->set_knobs(m_config.knobs);
    for (auto& view : m_viewed_views)
        if (view) view->reset();
}

void Trainer::stop_viewing() {
    m_viewed.reset();
    for (auto& view : m_viewed_views) view.reset();
    m_view_target = m_view_synced = -1;
}

void Trainer::branch() {
    sync_viewed();
    if (!m_viewed || !m_session) {
        log("to continue from a past step, first pick one on the timeline");
        return;
    }
    const int64_t step = m_viewed->step();
    {
        // Knobs set just before "continue" are the branch's, not a last change of the old run.
        std::lock_guard lock(m_control_mutex);
        m_config.knobs = m_knobs;
        m_seen_knob_version = m_knob_version;
    }
    // The run that was live becomes a compared run; the new one shares its curves up to here.
    auto left = std::make_shared<ComparedRun>(ComparedRun{m_run_name, m_history, step});
    m_compared.push_back(std::move(left));
    if (m_compared.size() > kMaxCompared) m_compared.erase(m_compared.begin());
    const std::string parent = m_run_name;
    m_run_name = run_name(++m_runs_named);
    m_history.drop_after(step);
    m_viewed->set_knobs(m_viewed_knobs);  // the checkpoint's own knobs, then today's: the
    std::string label = m_run_name + " from " + parent;  // markers say what differs
    for (const std::string& change : m_viewed->set_knobs(m_config.knobs)) label += ", " + change;
    m_history.add_marker(step, label);

    m_session = std::move(m_viewed);
    stop_viewing();
    m_timeline.truncate_after(step);
    for (auto& view : m_views)
        if (view) view->reset();
    ++m_model_version;
    ++m_changes;
    m_pending_steps = 0;
    m_rate_samples = 0;
    m_rate_seconds = 0;
    log("continued from step " + std::to_string(step) + " of " + parent + " as " + m_run_name +
        "; " + parent + " stays on the loss curves, faded");
    evaluate_test_subset();
}

void Trainer::publish() {
    std::shared_ptr<Snapshot> snapshot = RecyclingPool<Snapshot>::acquire(m_pool);
    Snapshot& s = *snapshot;
    sync_viewed();
    if (m_session) {
        m_session->fill_progress(s);
        const bool training = can_train() && (m_running || m_pending_steps > 0);
        if (m_viewed) {
            if (m_viewed->config().knobs != m_config.knobs) m_viewed->set_knobs(m_config.knobs);
            m_viewed->fill_model_views(s);
            update_views(s, *m_viewed, m_viewed_views, /*training=*/false);
        } else {
            m_session->fill_model_views(s);
            update_views(s, *m_session, m_views, training);
        }
    } else {
        s = Snapshot{};
        m_views_busy = false;
        s.config = m_config;
    }
    s.version = ++m_version;
    s.model_version = m_model_version;
    s.running = can_train() && (m_running || m_pending_steps > 0);
    s.speed_limit = m_pacer.rate();
    s.loading = m_loading;
    s.error = m_error;
    s.rebuild_refused = m_rebuild_refused;
    s.refusal_version = m_refusal_version;
    // Until the first half-second window closes, the average so far.
    s.samples_per_second = m_samples_per_second > 0 ? m_samples_per_second
                           : m_rate_seconds > 0     ? m_rate_samples / m_rate_seconds
                                                    : 0.0;
    s.gemm_backend = gemm_backend_name();
    s.history = m_history;
    s.last_test_terms = m_last_test_terms;
    s.last_test_clean = m_last_test_clean;
    s.has_test = m_has_test;
    s.messages.assign(m_messages.begin(), m_messages.end());
    s.run_path = m_run_path;
    // A model not trained yet has nothing worth keeping, whatever its knobs.
    s.unsaved = m_session && m_session->step() > 0 && m_changes != m_saved_changes;
    s.saving = m_writer.busy();
    s.saves_finished = m_saves_finished;
    s.checkpoint_steps = m_timeline.steps();
    s.checkpoint_bytes = m_timeline.bytes();
    s.checkpoint_budget = m_timeline.budget();
    s.viewing_step = m_viewed ? m_viewed->step() : -1;
    s.run_name = m_run_name;
    s.compared = m_compared;
    {
        std::lock_guard lock(m_mailbox_mutex);
        m_latest = std::move(snapshot);
    }
    m_published.notify_all();
    m_last_publish = std::chrono::steady_clock::now();
    if (m_wake) m_wake();
}

}  // namespace aelab
