#include "app/undo_history.h"

using namespace aelab;

std::string ConfigChange::describe() const {
    std::string text;
    for (bool live : {true, false})
        for (const std::string& c : describe_changes(before, after, live))
            text += (text.empty() ? "" : "; ") + c;
    return text;
}

bool ConfigChange::rebuilds() const { return !describe_changes(before, after, false).empty(); }

void UndoHistory::record(const Config& before, const Config& after) {
    if (before == after) return;
    m_done.push_back({before, after});
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
