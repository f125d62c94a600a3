// The lineage of the run on screen: its name, and the runs it branched from, kept beside it
// on the loss curves for comparison (at most kMaxCompared, the oldest dropped first).
// Trainer thread.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/run/history.h"

namespace aelab {

// "run A", "run B", …, "run Z", "run 27", …
std::string run_name(int index);

class Lineage {
public:
    static constexpr size_t kMaxCompared = 3;

    // A run with no past to compare with (New, Open): `name`, nothing compared.
    void start(const std::string& name);
    // The user's name for the live run ("" is ignored; at most 60 characters).
    void rename(const std::string& name);
    void forget_compared() { m_compared.clear(); }
    // The live run, its curves `history`, branches at `step`: it becomes a compared run and
    // the new live run gets the next name. Returns the parent's name.
    std::string branch(const History& history, int64_t step);

    const std::string& name() const { return m_name; }
    const std::vector<std::shared_ptr<const ComparedRun>>& compared() const { return m_compared; }

private:
    std::string m_name = run_name(1);
    int m_runs_named = 1;
    std::vector<std::shared_ptr<const ComparedRun>> m_compared;
};

}  // namespace aelab
