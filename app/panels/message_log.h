// The window's message log: trainer messages and UI notices, with repeats folded into one
// line ("NaN loss ×312"), as Polyscope does; and which of them the status bar shows now, in
// which colour. GUI thread only.
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
        aelab::Severity severity = aelab::Severity::Info;
        // A prompt's moment ("the unsaved-run question", "the tour"): the status bar shows the
        // prompt until that moment ends, however long it lasts. "" for other messages.
        std::string moment;
        bool moment_over = false;
    };

    void add(const std::string& text, double time,
             aelab::Severity severity = aelab::Severity::Info);
    // A message that holds only while something waits on screen (a question and its keys, the
    // tour's step): shown in the status bar until end_moment(moment); a new prompt of the
    // same moment ends the one before.
    void add_prompt(const std::string& moment, const std::string& text, double time);
    void end_moment(const std::string& moment);

    // How long a message is news in the status bar: a warning longer than an info, an error
    // longest. After that the status bar leaves it to View ▸ Messages.
    static double shown_seconds(aelab::Severity severity);
    // The message the status bar shows at `time`: the newest one, while its moment lasts (a
    // prompt) or for shown_seconds after its last repeat; null when none is current.
    const Entry* current(double time) const;
    // Changes whenever what current(time) shows changes (a new message or repeat, a moment
    // over, a message's time up), so the window knows to draw the status bar again.
    uint64_t status_version(double time) const {
        return m_changes << 1 | uint64_t(current(time) != nullptr);
    }

    // Also writes each new message (not its repeats) to `echo` as "aelab: …" — the app
    // passes stderr, so a log of what happened in the window survives it; null: off.
    void set_echo(std::ostream* echo) { m_echo = echo; }
    // Appends the snapshot's messages that have not been seen yet.
    void take_new(const std::vector<aelab::LogMessage>& messages, double time);

    const std::vector<Entry>& entries() const { return m_entries; }
    const Entry* newest() const { return m_entries.empty() ? nullptr : &m_entries.back(); }
    size_t bytes() const;  // what the entries hold, their texts included

private:
    Entry& append(const std::string& text, double time, aelab::Severity severity);

    std::vector<Entry> m_entries;
    uint64_t m_last_id = 0;
    uint64_t m_changes = 0;  // messages, repeats and moments ended so far
    std::ostream* m_echo = nullptr;
};

// "a; b; c": the clauses of one message joined, with no separator dangling at its end.
std::string join_clauses(const std::vector<std::string>& clauses, const char* separator = "; ");
