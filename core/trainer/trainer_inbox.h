// What the window hands the trainer: live knobs, commands, view requests, and the wake-ups of
// the run writer and of quitting — one small block behind one mutex, held only to copy a
// value. The trainer sleeps on it when it has nothing to do. Senders: any thread; the take_
// and sleep methods: the trainer thread.
#pragma once

#include <array>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "core/base/step_pacer.h"
#include "core/config/config.h"
#include "core/run/computed_view.h"
#include "core/trainer/commands.h"

namespace aelab {

class TrainerInbox {
public:
    using ViewRequests = std::array<std::shared_ptr<const ViewRequest>, kViewCount>;
    struct KnobChange {
        Knobs knobs;
        bool dragging = false;  // a slider is still moving: no marker yet
    };

    explicit TrainerInbox(const Knobs& knobs) : m_knobs(knobs) {}

    // Any thread. Each knob setting and each command gets the next number of its kind
    // (TrainerPort says what the numbers are for).
    uint64_t set_knobs(const Knobs& knobs, bool dragging);
    uint64_t send(const Command& command);
    void set_view_request(ViewId view, std::shared_ptr<const ViewRequest> request);  // equal: ignored
    void save_finished();  // the run writer has a result to collect
    void request_quit();

    // The trainer thread. Sleeps until something arrives, or `until` passes when given;
    // `views_busy` (an open view has work under way) counts as something.
    void sleep(std::optional<StepPacer::Clock::time_point> until, bool views_busy);
    bool quit_requested() const;
    std::vector<Command> take_commands();
    std::optional<KnobChange> take_knobs();  // knobs set since the last take, if any
    uint64_t knobs_taken() const;            // the number of the knob setting taken last
    Knobs take_knobs_now();                  // the knobs as they are, taken as seen
    void replace_knobs(const Knobs& knobs);  // the trainer's own (a rebuild), taken as seen
    ViewRequests take_view_requests();
    bool take_save_finished();

private:
    bool woken(bool views_busy) const;  // under m_mutex

    mutable std::mutex m_mutex;
    std::condition_variable m_changed;
    std::vector<Command> m_commands;
    uint64_t m_commands_sent = 0;
    Knobs m_knobs;
    bool m_dragging = false;
    uint64_t m_knob_version = 0, m_seen_knob_version = 0;
    ViewRequests m_view_requests;
    uint64_t m_view_version = 0, m_seen_view_version = 0;
    bool m_quit = false;
    bool m_save_finished = false;
};

}  // namespace aelab
