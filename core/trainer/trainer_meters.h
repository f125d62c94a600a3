// What the trainer measures besides the loss: the held-out test curve, a point every N steps
// chosen to keep it under 2 % of the time; the training speed in samples per second; and the
// message log the window shows. Trainer thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <string>

#include "core/run/history.h"
#include "core/run/run_history.h"
#include "core/run/session.h"
#include "core/run/snapshot.h"

namespace aelab {

// How often the held-out test subset is measured for the curve: a point every N steps
// exactly, N a power of two chosen so that the evaluations take at most 2 % of the wall-clock
// time and come at most every 0.2 s — every step in slow motion, a few hundred apart at full
// speed. The loss panel says so ("test, every 64 steps"): drawn as measured, never as a line
// between points far apart. N changes only when the pace does by 4× or more, from the next
// point on (since()). Pure: the times and costs come in as values. Trainer thread.
class TestPace {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr double kMinInterval = 0.2;   // seconds between points, at least…
    static constexpr double kMaxOverhead = 0.02;  // …and never more than 2 % of the time
    static constexpr double kWindow = 0.5;        // seconds of steps behind one reading of the pace
    static constexpr int64_t kMaxEvery = int64_t(1) << 20;

    // A step was trained at `now`.
    void stepped(Clock::time_point now) {
        if (m_has_last) {
            m_window_seconds += std::chrono::duration<double>(now - m_last).count();
            ++m_window_steps;
        }
        m_last = now;
        m_has_last = true;
        // The first reading after four steps, so a fresh run finds its pace at once.
        if (m_window_seconds < kWindow && (m_step_seconds > 0 || m_window_steps < 4)) return;
        if (m_window_steps > 0) {
            const double stepping = std::max(m_window_seconds - m_window_evaluating, 1e-9);
            m_step_seconds = stepping / double(m_window_steps);
            choose();
        }
        m_window_seconds = m_window_evaluating = 0;
        m_window_steps = 0;
    }
    // Training stopped (paused, idle): the wait until the next step is not a step's.
    void interrupted() { m_has_last = false; }
    // Whether the curve wants a point at `step`.
    bool due(int64_t step) const { return step >= m_next; }
    // A point was measured at `step` in `cost` seconds (0: a cold first pass, which says
    // nothing about the next); the next is due N steps on.
    void evaluated(int64_t step, double cost) {
        if (cost > 0) m_cost = cost;
        if (m_has_last) m_window_evaluating += cost;
        if (m_pending > 0) {
            m_every = m_pending;
            m_since = step;
            m_pending = 0;
        }
        m_last_point = step;
        m_next = step + m_every;
    }
    // A new run or a branch at `step`: a point is due there, at the pace found so far.
    void restart(int64_t step) {
        m_next = m_since = m_last_point = step;
        m_has_last = false;
    }
    // A fixed cadence, a point every `every` steps whatever the clock says (0: chosen by the
    // clock again): a recording's frames then show the same curve in two runs.
    void pin(int64_t every) {
        m_pinned = every > 0;
        m_pending = 0;
        if (!m_pinned) return;
        m_every = std::min(every, kMaxEvery);
        m_since = m_last_point;
        m_next = m_last_point + m_every;
    }
    int64_t every() const { return m_every; }
    int64_t since() const { return m_since; }  // the first point at this N

private:
    void choose() {
        if (m_pinned || m_cost <= 0 || m_step_seconds <= 0) return;
        const double interval = std::max(kMinInterval, m_cost / kMaxOverhead);
        const double ideal =
            std::clamp(std::ceil(interval / m_step_seconds), 1.0, double(kMaxEvery));
        int64_t target = 1;
        while (double(target) < ideal) target *= 2;
        // Hysteresis: a pace that wobbles around a power of two keeps its N. A slower pace
        // (slow motion) brings the next point forward at once, not N old steps on.
        m_pending = target > m_every || target * 4 <= m_every ? target : 0;
        if (m_pending > 0 && m_pending < m_every)
            m_next = std::min(m_next, m_last_point + m_pending);
    }

    int64_t m_every = 1, m_since = 0, m_next = 0, m_pending = 0, m_last_point = 0;
    double m_cost = 0;          // seconds of the last evaluation
    double m_step_seconds = 0;  // wall-clock seconds per step, evaluations left out
    bool m_has_last = false, m_pinned = false;
    Clock::time_point m_last;
    double m_window_seconds = 0, m_window_evaluating = 0;
    int64_t m_window_steps = 0;
};

// The held-out test subset, measured at TestPace's points for the curve, and also off the
// curve when training stops or a knob changes while paused, so the numbers shown are the
// current model's.
class TestClock {
public:
    using Clock = TestPace::Clock;

    void stepped(Clock::time_point now) { m_pace.stepped(now); }
    void interrupted() { m_pace.interrupted(); }
    bool due(int64_t step) const { return m_pace.due(step); }
    void restart(int64_t step) { m_pace.restart(step); }
    void pin(int64_t every) { m_pace.pin(every); }
    // A point on the test curve of `history` (the numbers alone when the curve already has
    // one at this step: a branch or a resumed run starts where its curve ends).
    void record(Session& session, History& history) {
        const int64_t step = session.step();
        const bool on_curve =
            history.test.empty() || double(history.test.x().back()) < double(step);
        const auto start = Clock::now();
        take(on_curve ? record_test_point(session, history) : evaluate_test_point(session), step);
        m_pace.evaluated(step, m_cold ? 0.0 : seconds_since(start));
        m_cold = false;
        history.test_every = m_pace.every();
        history.test_every_since = m_pace.since();
    }
    // The numbers only: the curve keeps its cadence.
    void refresh(Session& session) { take(evaluate_test_point(session), session.step()); }
    // The same, unless the numbers are of this step already (training paused).
    void catch_up(Session& session) {
        if (!m_has || m_step != session.step()) refresh(session);
    }
    void clear() {  // a new model: no result yet, and its first pass touches cold buffers
        m_has = false;
        m_cold = true;
    }
    int64_t every() const { return m_pace.every(); }
    void fill(Snapshot& s) const {
        s.curves.last_test_terms = m_point.terms;
        s.curves.last_test_clean = m_point.clean.value_or(0.0);
        s.curves.has_test_clean = m_has && m_point.clean.has_value();
        s.curves.has_test = m_has;
    }

private:
    static double seconds_since(Clock::time_point start) {
        return std::chrono::duration<double>(Clock::now() - start).count();
    }
    void take(const TestPoint& point, int64_t step) {
        m_point = point;
        m_step = step;
        m_has = true;
    }

    TestPace m_pace;
    TestPoint m_point;
    int64_t m_step = 0;
    bool m_has = false, m_cold = true;
};

// Samples trained per second of wall-clock time (slow motion and evaluations included), over
// windows of half a second while training: what the status bar shows, live at any speed.
class RateMeter {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr double kWindow = 0.5;  // seconds per reading

    // `samples` were trained in the step that ended at `now`.
    void add(int64_t samples, Clock::time_point now) {
        if (!m_started) {  // the window starts at the first step's end
            m_start = now;
            m_started = true;
            return;
        }
        m_samples += samples;
        const double seconds = std::chrono::duration<double>(now - m_start).count();
        if (seconds < kWindow) return;
        m_rate = double(m_samples) / seconds;
        m_samples = 0;
        m_start = now;
    }
    // Training stopped: the wait until it goes on is no training time.
    void interrupted() {
        m_started = false;
        m_samples = 0;
    }
    // A new window (a new model or branch); `forget` also drops the last reading.
    void restart(bool forget) {
        interrupted();
        if (forget) m_rate = 0;
    }
    // Until the first window closes, the average so far.
    double samples_per_second(Clock::time_point now) const {
        if (m_rate > 0 || !m_started) return m_rate;
        const double seconds = std::chrono::duration<double>(now - m_start).count();
        return seconds > 0 ? double(m_samples) / seconds : 0.0;
    }

private:
    bool m_started = false;
    Clock::time_point m_start;
    int64_t m_samples = 0;
    double m_rate = 0;
};

// The newest messages, each with an increasing id (the window appends those it has not seen).
class TrainerLog {
public:
    static constexpr size_t kKept = 64;

    void add(const std::string& text, Severity severity = Severity::Info) {
        m_messages.push_back({++m_last_id, text, severity});
        if (m_messages.size() > kKept) m_messages.pop_front();
    }
    const std::deque<LogMessage>& messages() const { return m_messages; }

private:
    std::deque<LogMessage> m_messages;
    uint64_t m_last_id = 0;
};

}  // namespace aelab
