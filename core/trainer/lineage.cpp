#include "core/trainer/lineage.h"

#include <algorithm>

#include "core/base/byte_budget.h"

namespace aelab {

std::string run_name(int index) {
    return index <= 26 ? std::string("run ") + char('A' + index - 1) : "run " + std::to_string(index);
}

void Lineage::start(const std::string& name) {
    m_compared.clear();
    m_runs_named = 1;
    m_name = name;
}

void Lineage::rename(const std::string& name) {
    if (!name.empty()) m_name = name.substr(0, 60);
}

std::string Lineage::branch(const History& history, int64_t step,
                            std::shared_ptr<const KeptRun> kept) {
    add(std::make_shared<ComparedRun>(ComparedRun{m_name, history, step, std::move(kept)}));
    std::string parent = m_name;
    m_name = run_name(++m_runs_named);
    return parent;
}

std::shared_ptr<const ComparedRun> Lineage::return_to(uint64_t id, const History* replaced_history,
                                                      std::shared_ptr<const KeptRun> replaced) {
    const auto it = std::find_if(m_compared.rbegin(), m_compared.rend(), [&](const auto& run) {
        return run->kept && run->kept->id == id;
    });
    if (it == m_compared.rend()) return nullptr;
    std::shared_ptr<const ComparedRun> back = *it;
    m_compared.erase(std::next(it).base());
    // The run that was live stays beside it, in the place the returning run leaves.
    if (replaced_history)
        add(std::make_shared<ComparedRun>(ComparedRun{m_name, *replaced_history, 0, std::move(replaced)}));
    m_name = back->name;
    return back;
}

const ComparedRun* Lineage::find(uint64_t id) const {
    for (auto it = m_compared.rbegin(); it != m_compared.rend(); ++it)
        if ((*it)->kept && (*it)->kept->id == id) return it->get();
    return nullptr;
}

void Lineage::set_budget(size_t bytes) {
    m_budget = bytes;
    fit();
}

size_t Lineage::kept_bytes() const {
    size_t total = 0;
    for (const auto& run : m_compared)
        if (run->kept) total += run->kept->bytes();
    return total;
}

void Lineage::add(std::shared_ptr<const ComparedRun> run) {
    m_compared.push_back(std::move(run));
    fit();
}

void Lineage::fit() {
    while (m_compared.size() > kMaxCompared) {
        const ComparedRun& oldest = *m_compared.front();
        if (oldest.kept)
            m_notes.push_back(oldest.name + " (step " + std::to_string(oldest.kept->state.step) +
                              ") is no longer kept: at most " + std::to_string(kMaxCompared) +
                              " runs are kept beside the live one");
        m_compared.erase(m_compared.begin());
    }
    // Over the budget the kept runs give up their state (their curves stay): first one too big
    // to fit at all, then the oldest, so the newest stays.
    const auto drop_state = [&](std::shared_ptr<const ComparedRun>& run) {
        m_notes.push_back(run->name + " (step " + std::to_string(run->kept->state.step) +
                          "): its weights are no longer kept, only its curves — the runs kept to "
                          "return to may take " + format_bytes(double(m_budget)) +
                          ", half the timeline's memory budget");
        auto curves_only = std::make_shared<ComparedRun>(*run);
        curves_only->kept.reset();
        run = std::move(curves_only);
    };
    for (auto& run : m_compared)
        if (run->kept && run->kept->bytes() > m_budget) drop_state(run);
    for (auto& run : m_compared)
        if (run->kept && kept_bytes() > m_budget) drop_state(run);
}

}  // namespace aelab
