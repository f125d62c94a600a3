#include "app/panels/undo_history.h"

using namespace aelab;

std::string ConfigChange::describe() const {
    std::string text;
    for (bool live : {true, false})
        for (const std::string& c : describe_changes(before, after, live))
            text += (text.empty() ? "" : "; ") + c;
    return text;
}

bool ConfigChange::rebuilds() const { return !describe_changes(before, after, false).empty(); }

void UndoHistory::record(const Config& before, const Config& after, uint64_t run_before,
                         uint64_t run_after) {
    if (before == after) return;
    m_done.push_back({before, after, run_before, run_after});
    if (m_done.size() > kLimit) m_done.erase(m_done.begin());
    m_undone.clear();
}

std::optional<ConfigChange> UndoHistory::undo() {
    if (m_done.empty()) return std::nullopt;
    ConfigChange change = m_done.back();
    m_done.pop_back();
    m_undone.push_back(change);
    return change;
}

std::optional<ConfigChange> UndoHistory::redo() {
    if (m_undone.empty()) return std::nullopt;
    ConfigChange change = m_undone.back();
    m_undone.pop_back();
    m_done.push_back(change);
    return change;
}

namespace {
size_t config_bytes(const Config& c) {
    return sizeof(Config) + c.hidden.capacity() * sizeof(HiddenLayer) + c.dataset.capacity() +
           c.holdout_class.capacity();
}
}  // namespace

size_t UndoHistory::bytes() const {
    size_t total = (m_done.capacity() + m_undone.capacity()) * sizeof(ConfigChange);
    for (const auto* list : {&m_done, &m_undone})
        for (const ConfigChange& c : *list)
            total += config_bytes(c.before) + config_bytes(c.after) - 2 * sizeof(Config);
    return total;
}
