// The window's message log: trainer messages and UI notices, with repeats folded into one
// line ("NaN loss ×312"), as Polyscope does. GUI thread only.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "core/run/snapshot.h"

class MessageLog {
public:
    // A lecture's worth of messages is thousands of lines: the newest kMaxEntries are kept
    // (the oldest go first), each cut to kMaxTextBytes (an error quoting a whole file would
    // otherwise sit in memory and in every status bar draw); stderr gets them whole.
    static constexpr size_t kMaxEntries = 200;
    static constexpr size_t kMaxTextBytes = 1000;

    struct Entry {
        std::string text;
        int count = 1;
        double time = 0;  // ImGui time of the last repeat
    };

    void add(const std::string& text, double time);
    // Also writes each new message (not its repeats) to `echo` as "aelab: …" — the app
    // passes stderr, so a log of what happened in the window survives it; null: off.
    void set_echo(std::ostream* echo) { m_echo = echo; }
    // Appends the snapshot's messages that have not been seen yet.
    void take_new(const std::vector<aelab::LogMessage>& messages, double time);

    const std::vector<Entry>& entries() const { return m_entries; }
    const Entry* newest() const { return m_entries.empty() ? nullptr : &m_entries.back(); }
    size_t bytes() const;  // what the entries hold, their texts included

private:
    std::vector<Entry> m_entries;
    uint64_t m_last_id = 0;
    std::ostream* m_echo = nullptr;
};
