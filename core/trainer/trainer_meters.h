// What the trainer measures besides the loss: the held-out test curve, evaluated on a clock
// that keeps it under 2 % of the trainer's time; the training speed in samples per second; and
// the message log the window shows. Trainer thread.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <string>

#include "core/run/history.h"
#include "core/run/run_history.h"
#include "core/run/session.h"
#include "core/run/snapshot.h"

namespace aelab {

// When the held-out test subset is evaluated, and its last result.
class TestClock {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr double kMinInterval = 0.2;   // seconds between held-out evaluations…
    static constexpr double kMaxOverhead = 0.02;  // …and never more than 2 % of the trainer's time

    // An evaluation is due at `now`: training just stopped, or its interval has passed.
    bool due(Clock::time_point now, bool stopped) const {
        const double since = std::chrono::duration<double>(now - m_last).count();
        return stopped || since >= std::max(kMinInterval, m_cost / kMaxOverhead);
    }
    // Evaluates the test subset, a point on the test curve of `history`.
    void evaluate(Session& session, History& history) {
        const auto start = Clock::now();
        const TestPoint point = record_test_point(session, history);
        m_terms = point.terms;
        m_clean = point.clean;
        m_last = Clock::now();
        m_cost = std::chrono::duration<double>(m_last - start).count();
        m_has = true;
    }
    void clear() { m_has = false; }  // a new model: no result yet
    void forget_cost() { m_cost = 0; }  // the first pass touched cold buffers: it says nothing
    void fill(Snapshot& s) const {
        s.curves.last_test_terms = m_terms;
        s.curves.last_test_clean = m_clean;
        s.curves.has_test = m_has;
    }

private:
    Terms m_terms;
    double m_clean = 0;
    bool m_has = false;
    Clock::time_point m_last;
    double m_cost = 0;  // seconds the last evaluation took
};

// Samples per second of training, over windows of half a second of training time.
class RateMeter {
public:
    static constexpr double kWindow = 0.5;  // seconds of training per reading

    void add(int64_t samples, double seconds) {
        m_samples += samples;
        m_seconds += seconds;
        if (m_seconds < kWindow) return;
        m_rate = m_samples / m_seconds;
        m_samples = 0;
        m_seconds = 0;
    }
    // A new window (a new model or branch); `forget` also drops the last reading.
    void restart(bool forget) {
        m_samples = 0;
        m_seconds = 0;
        if (forget) m_rate = 0;
    }
    // Until the first window closes, the average so far.
    double samples_per_second() const {
        return m_rate > 0 ? m_rate : m_seconds > 0 ? m_samples / m_seconds : 0.0;
    }

private:
    int64_t m_samples = 0;
    double m_seconds = 0, m_rate = 0;
};

// The newest messages, each with an increasing id (the window appends those it has not seen).
class TrainerLog {
public:
    static constexpr size_t kKept = 64;

    void add(const std::string& text) {
        m_messages.push_back({++m_last_id, text});
        if (m_messages.size() > kKept) m_messages.pop_front();
    }
    const std::deque<LogMessage>& messages() const { return m_messages; }

private:
    std::deque<LogMessage> m_messages;
    uint64_t m_last_id = 0;
};

}  // namespace aelab
