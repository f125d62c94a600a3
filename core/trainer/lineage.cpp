#include "core/trainer/lineage.h"

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

std::string Lineage::branch(const History& history, int64_t step) {
    m_compared.push_back(std::make_shared<ComparedRun>(ComparedRun{m_name, history, step}));
    if (m_compared.size() > kMaxCompared) m_compared.erase(m_compared.begin());
    std::string parent = m_name;
    m_name = run_name(++m_runs_named);
    return parent;
}

}  // namespace aelab
