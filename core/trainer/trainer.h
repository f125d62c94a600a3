// The training thread. It owns the Session (model, data, optimiser); the window talks to it
// only through knobs (read once per step), commands (drained between steps), view requests
// (one versioned block) and published snapshots (one pointer swap, ~30 times a second).
// It runs the computed views (computed_view.h) knowing none of them. Public methods: any
// thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "core/base/recycling_pool.h"
#include "core/base/step_pacer.h"
#include "core/config/config.h"
#include "core/data/dataset.h"
#include "core/files/run_writer.h"
#include "core/run/computed_view.h"
#include "core/run/history.h"
#include "core/run/session.h"
#include "core/run/snapshot.h"
#include "core/run/timeline.h"
#include "core/trainer/commands.h"
#include "core/trainer/trainer_port.h"

namespace aelab {

class Trainer : public TrainerPort {
public:
    static constexpr double kPublishInterval = 1.0 / 30.0;  // seconds between snapshots

    // Where data comes from: load_dataset, or a stand-in in tests.
    using DatasetLoader = std::function<Expected<std::shared_ptr<const Dataset>>(const std::string&)>;

    // Starts the thread, which loads the data and builds the model for `config`; `wake` is
    // called (from the trainer thread) after each publication, e.g. glfwPostEmptyEvent.
    explicit Trainer(const Config& config, std::function<void()> wake = {},
                     bool start_running = true, DatasetLoader loader = load_dataset);
    ~Trainer();
    Trainer(const Trainer&) = delete;
    Trainer& operator=(const Trainer&) = delete;

    // TrainerPort: knobs (from the next mini-batch on), commands, view requests.
    void set_knobs(const Knobs& knobs, bool dragging = false) override;
    void send(const Command& command) override;
    void set_view_request(ViewId view, std::shared_ptr<const ViewRequest> request) override;

    // The newest snapshot (never null after construction). Never waits for a step.
    std::shared_ptr<const Snapshot> latest() const;

    // For tests and headless tools, not the UI: blocks until a published snapshot satisfies
    // `ready`, or the timeout passes (then returns the newest one anyway).
    std::shared_ptr<const Snapshot> wait_for(const std::function<bool(const Snapshot&)>& ready,
                                             std::chrono::milliseconds timeout);

private:
    void run();
    void run_once();  // one pass of the loop: commands, knobs, a step, maybe a publication
    // Runs `work`; anything it throws becomes a message and a paused trainer.
    void guarded(const std::function<void()>& work);
    void stop_with_error(const std::string& message);
    void drain_commands();
    void apply(const Command& command);
    // The open computed views of `views`, brought up to date on `session` (live or viewed).
    void update_views(Snapshot& s, const Session& session,
                      std::array<std::unique_ptr<ComputedView>, kViewCount>& views, bool training);
    // The timeline: the checkpoint on view follows m_view_target; branching from it.
    void sync_viewed();
    void stop_viewing();
    void branch();
    // A run with no past to compare with (New, Open): `name`, nothing compared.
    void start_lineage(const std::string& name);
    void rebuild(const Config& config, const RunState* from = nullptr);
    // Continues `state` if its data loads and it fits; otherwise logs why (naming `path`) and
    // leaves the current run untouched.
    void open_run(const RunState& state, const std::string& path);
    void apply_knobs_if_changed();
    void train_one_step();
    void evaluate_test_subset();
    void publish();
    void log(const std::string& text);
    RunState capture_state() const;  // the session's state, the curves and the log
    void collect_saves();            // the writer's finished jobs: logged, run_path updated
    // A model exists and no error stops it (m_running is the user's play/pause choice).
    bool can_train() const { return m_session && m_error.empty(); }

    // UI → trainer
    mutable std::mutex m_control_mutex;
    std::condition_variable m_control_changed;
    std::vector<Command> m_commands;
    Knobs m_knobs;
    bool m_knobs_dragging = false;  // a slider is still moving: no marker yet
    uint64_t m_knob_version = 0;
    std::array<std::shared_ptr<const ViewRequest>, kViewCount> m_view_requests;
    uint64_t m_view_version = 0;
    bool m_quit_requested = false;
    bool m_save_finished = false;  // the writer has a result to collect

    // trainer → UI
    mutable std::mutex m_mailbox_mutex;
    std::condition_variable m_published;
    std::shared_ptr<const Snapshot> m_latest;
    std::shared_ptr<RecyclingPool<Snapshot>> m_pool;  // snapshots are recycled, not freed
    std::function<void()> m_wake;
    DatasetLoader m_load;

    // Trainer-thread state
    Config m_config;
    std::shared_ptr<const Dataset> m_full_data;
    std::string m_full_data_name;
    std::shared_ptr<const Dataset> m_prepared;  // m_full_data as the config prepares it
    std::string m_prepared_key;
    std::unique_ptr<Session> m_session;
    History m_history;
    bool m_running;  // play (true) or pause (false), as the user last asked
    bool m_loading = true;
    int m_pending_steps = 0;
    std::optional<Knobs> m_drag_start;  // the knobs before a drag still under way
    std::string m_rebuild_refused;      // why the last rebuild was refused; "" once one succeeds
    uint64_t m_refusal_version = 0;
    StepPacer m_pacer;  // slow motion (commands::SpeedLimit)
    uint64_t m_seen_knob_version = 0;
    uint64_t m_seen_view_version = 0;
    std::array<std::unique_ptr<ComputedView>, kViewCount> m_views;  // by ViewId, made when asked for
    bool m_views_busy = false;  // an open view has work under way (see ComputedView::busy)
    uint64_t m_version = 0, m_model_version = 0;
    std::string m_error;
    std::deque<LogMessage> m_messages;
    uint64_t m_message_id = 0;
    Terms m_last_test_terms;
    double m_last_test_clean = 0;
    bool m_has_test = false;
    std::chrono::steady_clock::time_point m_last_publish, m_last_test;
    double m_test_cost = 0;  // seconds the last held-out evaluation took
    int64_t m_rate_samples = 0;
    double m_rate_seconds = 0, m_samples_per_second = 0;
    // Unsaved changes: every step, knob change, rebuild or probe choice counts one; a save
    // records the count it captured.
    uint64_t m_changes = 0, m_saved_changes = 0;
    uint64_t m_saves_finished = 0;
    std::string m_run_path;
    std::string m_autosave_path;  // where autosaves go (never the run's own file)

    // The timeline: checkpoints of this run, the one on view and the runs kept for comparison.
    Timeline m_timeline;
    int64_t m_view_target = -1, m_view_synced = -1;  // asked for (ViewStep) and acted on
    std::unique_ptr<Session> m_viewed;  // the checkpoint on view, restored (null: live)
    Knobs m_viewed_knobs;               // its own knobs (m_viewed runs with the live ones)
    std::array<std::unique_ptr<ComputedView>, kViewCount> m_viewed_views;  // of m_viewed
    std::string m_run_name = "run A";
    int m_runs_named = 1;
    std::vector<std::shared_ptr<const ComparedRun>> m_compared;

    RunWriter m_writer;  // after the control mutex, which its callback takes

    std::thread m_thread;  // last: starts after every member above exists
};

}  // namespace aelab
