// The training thread. It owns the Session (model, data, optimiser); the window talks to it
// only through knobs (read once per step), commands (drained between steps), view requests
// (one versioned block) and published snapshots (one pointer swap, ~30 times a second).
// It runs the computed views (computed_view.h) knowing none of them. Public methods: any
// thread.
//
// The Trainer keeps the step loop and composes one type per concern, each with its own header:
// TrainerInbox (what the window sends), SnapshotMailbox (what it reads), RunLoader (the data
// and the checks of a new run), ViewScheduler (the computed views, live and of the checkpoint
// on view), Lineage (run names, compared runs), SaveTracker (unsaved changes, the run file,
// the writer) and the meters (test clock, samples/s, the log).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "core/base/step_pacer.h"
#include "core/config/config.h"
#include "core/run/computed_view.h"
#include "core/run/history.h"
#include "core/run/ready_run.h"
#include "core/run/session.h"
#include "core/run/snapshot.h"
#include "core/run/timeline.h"
#include "core/trainer/commands.h"
#include "core/trainer/lineage.h"
#include "core/trainer/run_loader.h"
#include "core/trainer/save_tracker.h"
#include "core/trainer/snapshot_mailbox.h"
#include "core/trainer/trainer_inbox.h"
#include "core/trainer/trainer_meters.h"
#include "core/trainer/trainer_port.h"
#include "core/trainer/view_scheduler.h"

namespace aelab {

// What becomes of the run a new one replaces: kept whole beside it (under `keep_as`; 0: an id
// of the trainer's) when it trained, or not (New and Open asked first); or, going back to kept
// run `returning_to`, kept in that run's place.
struct Replaced {
    bool keep = true;
    uint64_t keep_as = 0;
    uint64_t returning_to = 0;
};

class Trainer : public TrainerPort {
public:
    static constexpr double kPublishInterval = 1.0 / 30.0;  // seconds between snapshots

    // Where data comes from: load_dataset, or a stand-in in tests.
    using DatasetLoader = aelab::DatasetLoader;

    // Starts the thread, which loads the data and builds the model for `config`; `wake` is
    // called (from the trainer thread) after each publication, e.g. glfwPostEmptyEvent.
    explicit Trainer(const Config& config, std::function<void()> wake = {},
                     bool start_running = true, DatasetLoader loader = load_dataset);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // TrainerPort: knobs (from the next mini-batch on), commands, view requests.
    uint64_t set_knobs(const Knobs& knobs, bool dragging = false) override {
        return m_inbox.set_knobs(knobs, dragging);
    }
    uint64_t send(const Command& command) override { return m_inbox.send(command); }
    void set_view_request(ViewId view, std::shared_ptr<const ViewRequest> request) override {
        m_inbox.set_view_request(view, std::move(request));
    }

    // The newest snapshot (never null after construction). Never waits for a step.
    std::shared_ptr<const Snapshot> latest() const { return m_mailbox.latest(); }

    // For tests and headless tools, not the UI: blocks until a published snapshot satisfies
    // `ready`, or the timeout passes (then returns the newest one anyway).
    std::shared_ptr<const Snapshot> wait_for(const std::function<bool(const Snapshot&)>& ready,
                                             std::chrono::milliseconds timeout) {
        return m_mailbox.wait_for(ready, timeout);
    }

private:
    struct Apply;  // the command visitor

    void run();
    void run_once();  // one pass of the loop: commands, knobs, a step, maybe a publication
    // Runs `work`; anything it throws becomes a message and a paused trainer.
    void guarded(const std::function<void()>& work);
    void stop_with_error(const std::string& message);
    void apply(const Command& command);
    void export_now(const commands::Export& what);
    void save(const commands::Save& save);
    // The timeline: the checkpoint on view follows commands::ViewStep; branching from it.
    void sync_viewed();
    void branch();
    // A new model for `config` (continuing `from`), checked while the old one still trains.
    // True when the new run took over.
    bool rebuild(const Config& config, const RunState* from = nullptr, Replaced replaced = {});
    void refuse_rebuild(const Config& config, bool had_model, const Knobs& knobs_before,
                        const std::string& why);
    bool start_run(const Config& config, const RunState* from, Replaced replaced);  // kept data
    // The live run as a KeptRun under `id` (0: a new id), or null when it never trained.
    std::shared_ptr<const KeptRun> keep_live(uint64_t id);
    // The live run gives way to another (`replaced`), before the old session is dropped.
    void set_aside_live(const Replaced& replaced);
    void return_to(const commands::ReturnTo& back);
    // The kept runs' memory out of the timeline's budget, and what the lineage dropped, logged.
    void sync_kept();
    // Continues `state` if its data loads and it fits; otherwise logs why (naming `path`) and
    // leaves the current run untouched.
    void open_run(const RunState& state, const std::string& path);
    void refuse(const std::string& why);  // published as snapshot.status.rebuild_refused, and logged
    void apply_knobs_if_changed();
    void train_one_step();
    void evaluate_test_subset();
    void publish();
    void fill_status(Snapshot& s) const;
    void log(const std::string& text, Severity severity = Severity::Info) {
        m_log.add(text, severity);
    }
    RunState capture_state() const;  // the session's state, the curves and the log
    // The pool of the config's threads (every core but the window's, by default), made anew
    // only when that count changes, given to the session.
    void give_pool_to_session();
    void collect_saves();            // the writer's finished jobs: logged, run_path updated
    // A model exists and no error stops it (m_running is the user's play/pause choice).
    bool can_train() const { return m_session && m_error.empty(); }
    bool training() const { return can_train() && (m_running || m_pending_steps > 0); }

    TrainerInbox m_inbox;        // window → trainer
    SnapshotMailbox m_mailbox;   // trainer → window

    // Trainer-thread state
    Config m_config;
    RunLoader m_loader;
    std::unique_ptr<Session> m_session;
    History m_history;
    Timeline m_timeline;  // checkpoints of this run
    std::shared_ptr<WorkerPool> m_pool;  // the session's threads; this thread is one of them
    ViewScheduler m_views;
    Lineage m_lineage;
    TestClock m_tests;
    RateMeter m_rate;
    TrainerLog m_log;
    StepPacer m_pacer;  // slow motion (commands::SpeedLimit)
    bool m_running;     // play (true) or pause (false), as the user last asked
    bool m_loading = true;
    int m_pending_steps = 0;
    std::optional<Knobs> m_drag_start;  // the knobs before a drag still under way
    std::string m_rebuild_refused;      // why the last rebuild was refused; "" once one succeeds
    uint64_t m_refusal_version = 0;
    uint64_t m_version = 0, m_model_version = 0;
    uint64_t m_commands_done = 0;  // the commands taken from the inbox and carried out
    std::string m_error;

    SaveTracker m_saves;   // after the inbox, which its writer's callback takes
    std::thread m_thread;  // last: starts after every member above exists
};

}  // namespace aelab
