// The training thread. It owns the Session (model, data, optimiser); the window talks to it
// only through knobs (read once per step), commands (drained between steps) and published
// snapshots (one pointer swap, ~30 times a second). Public methods: any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "core/config.h"
#include "core/dataset.h"
#include "core/history.h"
#include "core/latent.h"
#include "core/recycling_pool.h"
#include "core/session.h"
#include "core/snapshot.h"

namespace aelab {

enum class CommandKind {
    Play,     // train continuously
    Pause,    // stop after the current step
    Step,     // pause, then train `steps` mini-batches
    Reset,    // rebuild the model with the same seed: the same run again
    NewSeed,  // draw a new seed, then reset
    Rebuild,  // take `config` (structure and knobs), reload data if needed, reset
};

struct Command {
    CommandKind kind = CommandKind::Play;
    int steps = 1;
    Config config;  // Rebuild only
};

class Trainer {
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

    // Live knobs, used from the next mini-batch on. Never resets the weights.
    void set_knobs(const Knobs& knobs);
    void send(const Command& command);
    // What the latent view shows (window, grid, clicked point, …); answered at the next
    // publication, also while paused.
    void set_latent_request(const LatentRequest& request);

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
    void rebuild(const Config& config);
    void apply_knobs_if_changed();
    void train_one_step();
    void evaluate_test_subset();
    void publish();
    void log(const std::string& text);
    // A model exists and no error stops it (m_running is the user's play/pause choice).
    bool can_train() const { return m_session && m_error.empty(); }

    // UI → trainer
    mutable std::mutex m_control_mutex;
    std::condition_variable m_control_changed;
    std::vector<Command> m_commands;
    Knobs m_knobs;
    uint64_t m_knob_version = 0;
    LatentRequest m_latent_request;
    uint64_t m_latent_version = 0;
    bool m_quit_requested = false;

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
    std::unique_ptr<Session> m_session;
    History m_history;
    bool m_running;  // play (true) or pause (false), as the user last asked
    bool m_loading = true;
    int m_pending_steps = 0;
    uint64_t m_seen_knob_version = 0;
    uint64_t m_seen_latent_version = 0;
    LatentExplorer m_latent;
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

    std::thread m_thread;  // last: starts after every member above exists
};

}  // namespace aelab
