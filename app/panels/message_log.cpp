#include "app/panels/message_log.h"

#include <ostream>

namespace {
constexpr size_t kKeptEntries = 200;
}

void MessageLog::add(const std::string& text, double time) {
    if (!m_entries.empty() && m_entries.back().text == text) {
        ++m_entries.back().count;
        m_entries.back().time = time;
        return;
    }
    m_entries.push_back({text, 1, time});
    if (m_echo) *m_echo << "aelab: " << text << std::endl;
    if (m_entries.size() > kKeptEntries) m_entries.erase(m_entries.begin());
}

void MessageLog::take_new(const std::vector<aelab::LogMessage>& messages, double time) {
    for (const aelab::LogMessage& m : messages) {
        if (m.id <= m_last_id) continue;
        add(m.text, time);
        m_last_id = m.id;
    }
}
