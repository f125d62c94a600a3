#include "core/trainer/trainer_inbox.h"

namespace aelab {

uint64_t TrainerInbox::set_knobs(const Knobs& knobs, bool dragging) {
    uint64_t version;
    {
        std::lock_guard lock(m_mutex);
        m_knobs = knobs;
        m_dragging = dragging;
        version = ++m_knob_version;
    }
    m_changed.notify_all();
    return version;
}

uint64_t TrainerInbox::send(const Command& command) {
    uint64_t number;
    {
        std::lock_guard lock(m_mutex);
        m_commands.push_back(command);
        number = ++m_commands_sent;
    }
    m_changed.notify_all();
    return number;
}

void TrainerInbox::set_view_request(ViewId view, std::shared_ptr<const ViewRequest> request) {
    {
        std::lock_guard lock(m_mutex);
        auto& slot = m_view_requests[int(view)];
        const bool same = slot && request ? slot->same_as(*request) : slot == request;
        if (same) return;
        slot = std::move(request);
        ++m_view_version;
    }
    m_changed.notify_all();
}

void TrainerInbox::save_finished() {
    {
        std::lock_guard lock(m_mutex);
        m_save_finished = true;
    }
    m_changed.notify_all();
}

void TrainerInbox::request_quit() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_changed.notify_all();
}

bool TrainerInbox::woken(bool views_busy) const {
    return m_quit || !m_commands.empty() || m_knob_version != m_seen_knob_version ||
           m_view_version != m_seen_view_version || views_busy || m_save_finished;
}

void TrainerInbox::sleep(std::optional<StepPacer::Clock::time_point> until, bool views_busy) {
    std::unique_lock lock(m_mutex);
    const auto ready = [&] { return woken(views_busy); };
    if (until)
        m_changed.wait_until(lock, *until, ready);
    else
        m_changed.wait(lock, ready);
}

bool TrainerInbox::quit_requested() const {
    std::lock_guard lock(m_mutex);
    return m_quit;
}

std::vector<Command> TrainerInbox::take_commands() {
    std::vector<Command> commands;
    std::lock_guard lock(m_mutex);
    commands.swap(m_commands);
    return commands;
}

std::optional<TrainerInbox::KnobChange> TrainerInbox::take_knobs() {
    std::lock_guard lock(m_mutex);
    if (m_knob_version == m_seen_knob_version) return std::nullopt;
    m_seen_knob_version = m_knob_version;
    return KnobChange{m_knobs, m_dragging};
}

uint64_t TrainerInbox::knobs_taken() const {
    std::lock_guard lock(m_mutex);
    return m_seen_knob_version;
}

Knobs TrainerInbox::take_knobs_now() {
    std::lock_guard lock(m_mutex);
    m_seen_knob_version = m_knob_version;
    return m_knobs;
}

void TrainerInbox::replace_knobs(const Knobs& knobs) {
    std::lock_guard lock(m_mutex);
    m_knobs = knobs;
    m_seen_knob_version = ++m_knob_version;
}

TrainerInbox::ViewRequests TrainerInbox::take_view_requests() {
    std::lock_guard lock(m_mutex);
    m_seen_view_version = m_view_version;
    return m_view_requests;
}

bool TrainerInbox::take_save_finished() {
    std::lock_guard lock(m_mutex);
    const bool finished = m_save_finished;
    m_save_finished = false;
    return finished;
}

}  // namespace aelab
