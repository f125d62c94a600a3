// The lineage of the run on screen: its name, and the runs it replaced, kept beside it on the
// loss curves for comparison (at most kMaxCompared, the oldest dropped first) — the run a
// branch left, and the run a rebuild or a return to another run replaced. Those last two are
// also kept whole (KeptRun), so that one can go back to them, as long as the kept runs fit
// their share of the timeline's memory budget: beyond it the oldest keep only their curves.
// Whatever is dropped is said (take_notes), never dropped silently. Trainer thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/run/history.h"
#include "core/run/timeline.h"

namespace aelab {

// "run A", "run B", …, "run Z", "run 27", …
std::string run_name(int index);

class Lineage {
public:
    static constexpr size_t kMaxCompared = 3;
    // Ids of kept runs the trainer picks itself; the window's (commands::Rebuild::keep_as)
    // count up from 1 and never reach this.
    static constexpr uint64_t kTrainerIds = uint64_t(1) << 63;

    // A run with no past to compare with (New, Open): `name`, nothing compared or kept.
    void start(const std::string& name);
    // The user's name for the live run ("" is ignored; at most 60 characters).
    void rename(const std::string& name);
    void forget_compared() { m_compared.clear(); }
    // The live run, its curves `history`, gives way at `step` (a branch from there; 0 for a
    // rebuild): it becomes a compared run, whole when `kept` is given, and the new live run
    // gets the next name. Returns the parent's name.
    std::string branch(const History& history, int64_t step,
                       std::shared_ptr<const KeptRun> kept = nullptr);
    // Going back to kept run `id`: it leaves the compared runs and the live run takes its name;
    // the run that was live joins the compared runs in its place, with its curves
    // `replaced_history` (null: it never trained, nothing to keep) and whole when `replaced`
    // is given. Null, and nothing changes, when no run `id` is kept whole.
    std::shared_ptr<const ComparedRun> return_to(uint64_t id, const History* replaced_history,
                                                 std::shared_ptr<const KeptRun> replaced);
    // The compared run kept whole under `id`, or null.
    const ComparedRun* find(uint64_t id) const;

    // What the kept runs' states may take together; the oldest give up their state first.
    void set_budget(size_t bytes);
    size_t budget() const { return m_budget; }
    size_t kept_bytes() const;
    // Whether a run of `bytes` would be kept whole, beside the others or in place of the oldest.
    bool would_keep(size_t bytes) const { return bytes <= m_budget; }
    uint64_t new_id() { return kTrainerIds | ++m_ids_given; }
    // What was dropped since the last call, as lines for the log.
    std::vector<std::string> take_notes() { return std::move(m_notes); }

    const std::string& name() const { return m_name; }
    const std::vector<std::shared_ptr<const ComparedRun>>& compared() const { return m_compared; }

private:
    void add(std::shared_ptr<const ComparedRun> run);
    void fit();  // the count and the budget, said in m_notes

    std::string m_name = run_name(1);
    int m_runs_named = 1;
    std::vector<std::shared_ptr<const ComparedRun>> m_compared;  // oldest first
    size_t m_budget = Timeline::kDefaultBudget / 2;
    uint64_t m_ids_given = 0;
    std::vector<std::string> m_notes;
};

}  // namespace aelab
