// The timeline of a run: checkpoints of the whole training state along the way, so that any
// view can show the model as it was at a past step and a new run can branch from there.
//
// Which steps are kept, within a memory budget (default 256 MB):
//   - a grid: every `stride` steps, the stride doubling whenever the budget is full (so the
//     kept steps stay evenly spread however long the run);
//   - the start, densely: the powers of two just below the stride (1, 2, 4, …), where a
//     run changes fastest;
//   - the newest few, taken every min_stride steps.
// min_stride is the smallest power of two that keeps the cost of taking checkpoints under
// 1 % of training time (measured: copying a large model is not free), so the timeline never
// slows a run noticeably. The batch order, which changes once an epoch, is shared by the
// checkpoints of one epoch instead of copied into each.
//
// Trainer thread (or a headless run) only.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/run/run_state.h"

namespace aelab {

class Session;

// The batch order of one epoch and the random state that drew it.
struct EpochOrder {
    int64_t epoch = -1;
    std::string rng;  // std::mt19937 as operator<< writes it
    std::vector<int> order;
};

// A run at one step: everything to continue from there bit for bit (RunState without the
// curves and the log), the epoch's order shared.
struct Checkpoint {
    RunState state;  // order and order_rng empty (see epoch_order); history and log empty
    std::shared_ptr<const EpochOrder> epoch_order;

    int64_t step() const { return state.step; }
    // Its own memory (parameters, optimiser moments, p̂), the shared order not included.
    size_t bytes() const;
    // The whole state, order included, as Session::resume and run files take it.
    RunState run_state() const;
};

// A run that a rebuild, a branch or a return to another run replaced, kept whole so that one
// can go back to it where it stopped (commands::ReturnTo): its state without the curves and
// the log (its ComparedRun holds the curves; the log is the window's, and goes on).
struct KeptRun {
    uint64_t id = 0;   // how commands::ReturnTo names it
    RunState state;    // history and log empty
    std::string path;  // the run file it was tied to ("" if none), and whether it had changes
    bool unsaved = false;  // not in that file

    size_t bytes() const;  // what it holds in memory
};

// The memory a run's state takes (parameters, optimiser moments, p̂, the batch order).
size_t state_bytes(const RunState& state);

class Timeline {
public:
    static constexpr size_t kDefaultBudget = 256'000'000;  // bytes: "256 MB"
    static constexpr double kMaxOverhead = 0.01;  // of training time, for taking checkpoints
    static constexpr int kNewest = 4;             // the newest checkpoints kept densely

    // adapt_to_cost: min_stride follows the measured costs (the trainer); false keeps it at
    // 1, every step a candidate (tests of which steps are kept).
    explicit Timeline(size_t budget_bytes = kDefaultBudget, bool adapt_to_cost = true)
        : m_budget(budget_bytes), m_adapt(adapt_to_cost) {}

    // Forgets every checkpoint (a new model).
    void clear();
    // A new budget; checkpoints are thinned at once to fit.
    void set_budget(size_t bytes);
    // What the runs kept to return to (KeptRun) take out of the budget: the checkpoints fit in
    // the rest, thinned at once. The trainer keeps that share at most half the budget.
    void set_reserved(size_t bytes);
    size_t reserved() const { return m_reserved; }

    // Whether the session's step should be taken now; record() takes it, and measures what
    // taking it cost against the session's training time per step since the last one.
    bool wants(int64_t step) const;
    void record(const Session& session);

    // The checkpoint kept at `step` exactly, or the nearest one (null when there is none).
    const Checkpoint* at(int64_t step) const;
    const Checkpoint* nearest(int64_t step) const;
    // Drops the checkpoints after `step`: a run branched from there has a different future.
    void truncate_after(int64_t step);

    std::vector<int64_t> steps() const;  // ascending
    int count() const { return int(m_kept.size()); }
    size_t bytes() const;  // checkpoints plus the distinct orders they share
    size_t budget() const { return m_budget; }
    int64_t stride() const { return m_stride; }
    int64_t min_stride() const { return m_min_stride; }

private:
    bool keeps(int64_t step, int64_t newest_from) const;
    void thin();  // doubles the stride until the checkpoints fit the budget

    void measure(const Session& session, double record_seconds);  // → min_stride

    size_t budget_left() const { return m_budget - std::min(m_reserved, m_budget); }

    size_t m_budget;
    size_t m_reserved = 0;
    bool m_adapt;
    int64_t m_stride = 1, m_min_stride = 1;
    double m_step_seconds = 0, m_record_seconds = 0;  // averages
    int64_t m_measured_step = -1;  // the session's step and training time at the last record
    double m_measured_training = 0;
    std::vector<std::unique_ptr<Checkpoint>> m_kept;  // ascending step
    std::unique_ptr<Checkpoint> m_spare;  // a dropped checkpoint's buffers, reused by record()
    std::shared_ptr<const EpochOrder> m_order;  // the newest epoch's order
};

}  // namespace aelab
