// Slow motion: at most N training steps per second, so a class can watch p̂ move towards a
// new target. The pacer only says when the next step is due; the trainer waits for that
// time on its condition variable, so a command still wakes it at once. Trainer thread.
#pragma once

#include <algorithm>
#include <chrono>

namespace aelab {

class StepPacer {
public:
    using Clock = std::chrono::steady_clock;

    // 0 (or less): no limit.
    void set_rate(double steps_per_second) {
        m_rate = std::max(0.0, steps_per_second);
        m_next = Clock::time_point{};  // a new rate takes effect with the next step
    }
    double rate() const { return m_rate; }
    bool limited() const { return m_rate > 0; }

    // When the next step may run (now or earlier: at once).
    Clock::time_point next_step() const { return m_next; }
    bool due(Clock::time_point now) const { return !limited() || now >= m_next; }

    // A step ran at `now`: the next is one period later. A step that ran late (a slow model,
    // a busy machine) does not earn a burst of catch-up steps.
    void stepped(Clock::time_point now) {
        if (!limited()) return;
        const auto period = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(1.0 / m_rate));
        const auto on_time = m_next + period;    // keeps the cadence while steps run on time
        const auto earliest = now + period / 2;  // a late step wins back half a period at most
        m_next = m_next == Clock::time_point{} ? now + period : std::max(on_time, earliest);
    }

private:
    double m_rate = 0;
    Clock::time_point m_next{};
};

}  // namespace aelab
