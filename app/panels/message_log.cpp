#include "app/panels/message_log.h"

#include <ostream>
#include <string>

namespace {

// `text` cut to at most `bytes` bytes, ending in "…", never inside a UTF-8 sequence.
std::string cut(const std::string& text, size_t bytes) {
    if (text.size() <= bytes) return text;
    const std::string ellipsis = "…";
    size_t end = bytes - ellipsis.size();
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    return text.substr(0, end) + ellipsis;
}

}  // namespace

void MessageLog::add(const std::string& full_text, double time) {
    const std::string text = cut(full_text, kMaxTextBytes);
    if (!m_entries.empty() && m_entries.back().text == text) {
        ++m_entries.back().count;
        m_entries.back().time = time;
        return;
    }
    if (m_echo) *m_echo << "aelab: " << full_text << std::endl;
    if (m_entries.size() >= kMaxEntries) m_entries.erase(m_entries.begin());
    m_entries.push_back({text, 1, time});
    m_entries.back().text.shrink_to_fit();
}

size_t MessageLog::bytes() const {
    size_t total = m_entries.capacity() * sizeof(Entry);
    for (const Entry& e : m_entries) total += e.text.capacity() + 1;
    return total;
}

void MessageLog::take_new(const std::vector<aelab::LogMessage>& messages, double time) {
    for (const aelab::LogMessage& m : messages) {
        if (m.id <= m_last_id) continue;
        add(m.text, time);
        m_last_id = m.id;
    }
}
