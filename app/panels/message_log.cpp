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

MessageLog::Entry& MessageLog::append(const std::string& full_text, double time,
                                      aelab::Severity severity) {
    const std::string text = cut(full_text, kMaxTextBytes);
    ++m_changes;
    if (!m_entries.empty() && m_entries.back().text == text &&
        m_entries.back().severity == severity) {
        ++m_entries.back().count;
        m_entries.back().time = time;
        return m_entries.back();
    }
    if (m_echo) *m_echo << "aelab: " << full_text << std::endl;
    if (m_entries.size() >= kMaxEntries) m_entries.erase(m_entries.begin());
    m_entries.push_back({text, 1, time, severity});
    m_entries.back().text.shrink_to_fit();
    return m_entries.back();
}

void MessageLog::add(const std::string& text, double time, aelab::Severity severity) {
    append(text, time, severity);
}

void MessageLog::add_prompt(const std::string& moment, const std::string& text, double time) {
    end_moment(moment);
    Entry& entry = append(text, time, aelab::Severity::Info);
    entry.moment = moment;
    entry.moment_over = false;
}

void MessageLog::end_moment(const std::string& moment) {
    for (Entry& e : m_entries)
        if (e.moment == moment && !e.moment_over) {
            e.moment_over = true;
            ++m_changes;
        }
}

double MessageLog::shown_seconds(aelab::Severity severity) {
    switch (severity) {
        case aelab::Severity::Error:
            return 30;
        case aelab::Severity::Warning:
            return 15;
        case aelab::Severity::Info:
            break;
    }
    return 8;
}

const MessageLog::Entry* MessageLog::current(double time) const {
    if (m_entries.empty()) return nullptr;
    const Entry& e = m_entries.back();
    if (!e.moment.empty()) return e.moment_over ? nullptr : &e;
    return time - e.time < shown_seconds(e.severity) ? &e : nullptr;
}

size_t MessageLog::bytes() const {
    size_t total = m_entries.capacity() * sizeof(Entry);
    for (const Entry& e : m_entries) total += e.text.capacity() + e.moment.capacity() + 1;
    return total;
}

void MessageLog::take_new(const std::vector<aelab::LogMessage>& messages, double time) {
    for (const aelab::LogMessage& m : messages) {
        if (m.id <= m_last_id) continue;
        add(m.text, time, m.severity);
        m_last_id = m.id;
    }
}

std::string join_clauses(const std::vector<std::string>& clauses, const char* separator) {
    std::string text;
    for (const std::string& clause : clauses) {
        if (clause.empty()) continue;
        if (!text.empty()) text += separator;
        text += clause;
    }
    return text;
}
