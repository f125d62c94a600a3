#include "core/run/timeline.h"

#include <algorithm>
#include <chrono>

#include "core/run/session.h"

namespace aelab {

namespace {

// The powers of two kept below the stride: 1, 2, 4, … down to stride / 2^kStartLevels.
constexpr int kStartLevels = 8;

bool is_power_of_two(int64_t n) { return n > 0 && (n & (n - 1)) == 0; }

size_t vec_bytes(const Vec& v) { return size_t(v.size()) * sizeof(float); }

}  // namespace

size_t Checkpoint::bytes() const {
    const RunState& s = state;
    return sizeof(Checkpoint) + vec_bytes(s.params) + vec_bytes(s.optimizer.first) +
           vec_bytes(s.optimizer.second) + vec_bytes(s.p_hat_average) +
           s.probe_indices.size() * sizeof(int);
}

size_t state_bytes(const RunState& s) {
    return sizeof(RunState) + vec_bytes(s.params) + vec_bytes(s.optimizer.first) +
           vec_bytes(s.optimizer.second) + vec_bytes(s.p_hat_average) +
           (s.probe_indices.size() + s.order.size()) * sizeof(int) + s.order_rng.size();
}

size_t KeptRun::bytes() const { return sizeof(KeptRun) + state_bytes(state) - sizeof(RunState); }

RunState Checkpoint::run_state() const {
    RunState full = state;
    if (epoch_order) {
        full.order = epoch_order->order;
        full.order_rng = epoch_order->rng;
    }
    return full;
}

void Timeline::clear() {
    m_kept.clear();
    m_order.reset();
    m_stride = m_min_stride;
    m_measured_step = -1;
}

void Timeline::set_budget(size_t bytes) {
    m_budget = bytes;
    thin();
}

void Timeline::set_reserved(size_t bytes) {
    m_reserved = bytes;
    thin();
}

bool Timeline::wants(int64_t step) const {
    return step == 0 || step % m_min_stride == 0 || is_power_of_two(step);
}

bool Timeline::keeps(int64_t step, int64_t newest_from) const {
    return step == 0 || step >= newest_from || step % m_stride == 0 ||
           (is_power_of_two(step) && step >= (m_stride >> kStartLevels));
}

void Timeline::record(const Session& session) {
    const auto start = std::chrono::steady_clock::now();
    std::unique_ptr<Checkpoint> c = m_spare ? std::move(m_spare) : std::make_unique<Checkpoint>();
    session.capture(*c, m_order);
    m_order = c->epoch_order;
    // The same step again (a view asked twice, a resumed run): the newer copy replaces it.
    while (!m_kept.empty() && m_kept.back()->step() >= c->step()) m_kept.pop_back();
    m_kept.push_back(std::move(c));
    // The checkpoint that just stopped being one of the newest stays only if the rules keep it.
    if (m_kept.size() > size_t(kNewest)) {
        const size_t leaving = m_kept.size() - 1 - kNewest;
        if (!keeps(m_kept[leaving]->step(), m_kept[leaving + 1]->step())) {
            m_spare = std::move(m_kept[leaving]);
            m_kept.erase(m_kept.begin() + long(leaving));
        }
    }
    thin();

    measure(session,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

void Timeline::measure(const Session& session, double record_seconds) {
    if (!m_adapt) return;
    const auto average = [](double& mean, double x) { mean = mean == 0 ? x : 0.8 * mean + 0.2 * x; };
    average(m_record_seconds, record_seconds);
    // A resumed or branched session restarts its clock: only forward steps measure.
    const int64_t step = session.step();
    if (m_measured_step >= 0 && step > m_measured_step)
        average(m_step_seconds,
                (session.training_seconds() - m_measured_training) / double(step - m_measured_step));
    m_measured_step = step;
    m_measured_training = session.training_seconds();
    if (m_step_seconds <= 0) return;
    const double steps_per_record = m_record_seconds / (kMaxOverhead * m_step_seconds);
    int64_t stride = 1;
    while (stride < steps_per_record && stride < (int64_t(1) << 40)) stride *= 2;
    m_min_stride = stride;
    m_stride = std::max(m_stride, m_min_stride);
}

void Timeline::thin() {
    while (bytes() > budget_left() && !m_kept.empty()) {
        const int64_t newest = m_kept.back()->step();
        const size_t first_newest = m_kept.size() > size_t(kNewest) ? m_kept.size() - kNewest : 0;
        const int64_t newest_from = m_kept[first_newest]->step();
        if (m_stride <= (newest << kStartLevels) && m_stride < (int64_t(1) << 50)) {
            m_stride *= 2;
            std::vector<std::unique_ptr<Checkpoint>> kept;
            for (auto& c : m_kept) {
                if (keeps(c->step(), newest_from))
                    kept.push_back(std::move(c));
                else if (!m_spare)
                    m_spare = std::move(c);
            }
            m_kept = std::move(kept);
            continue;
        }
        // Only step 0 and the newest are left and they still do not fit: the oldest go.
        m_kept.erase(m_kept.begin());
    }
    if (m_kept.empty()) m_order.reset();
    // A spare bigger than what fits would hold memory the budget does not allow.
    if (m_spare && bytes() + m_spare->bytes() > budget_left()) m_spare.reset();
}

const Checkpoint* Timeline::at(int64_t step) const {
    for (const auto& c : m_kept)
        if (c->step() == step) return c.get();
    return nullptr;
}

const Checkpoint* Timeline::nearest(int64_t step) const {
    const Checkpoint* best = nullptr;
    for (const auto& c : m_kept)
        if (!best || std::llabs(c->step() - step) < std::llabs(best->step() - step))
            best = c.get();
    return best;
}

void Timeline::truncate_after(int64_t step) {
    while (!m_kept.empty() && m_kept.back()->step() > step) m_kept.pop_back();
    m_order = m_kept.empty() ? nullptr : m_kept.back()->epoch_order;
}

std::vector<int64_t> Timeline::steps() const {
    std::vector<int64_t> steps;
    steps.reserve(m_kept.size());
    for (const auto& c : m_kept) steps.push_back(c->step());
    return steps;
}

size_t Timeline::bytes() const {
    // The checkpoints of one epoch are neighbours: each order is counted where it first appears.
    size_t total = 0;
    const EpochOrder* previous = nullptr;
    for (const auto& c : m_kept) {
        total += c->bytes();
        const EpochOrder* order = c->epoch_order.get();
        if (order && order != previous)
            total += sizeof(EpochOrder) + order->order.size() * sizeof(int) + order->rng.size();
        previous = order;
    }
    return total;
}

}  // namespace aelab
