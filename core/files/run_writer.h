// Writes run files on a thread of its own, so that neither the window nor the trainer waits
// for a disk: the trainer copies its state between two steps (a few milliseconds) and hands
// the copy over; encoding and the atomic write (temporary file, fsync, rename) happen here.
// Jobs run one at a time, in order. Public methods: any thread.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/base/expected.h"
#include "core/run/run_state.h"

namespace aelab {

class RunWriter {
public:
    struct Result {
        std::string path;
        std::optional<Error> error;  // why the file was not written; the old one is intact
        uint64_t tag = 0;            // the caller's, passed through (the trainer: its change count)
        int64_t step = 0;
        double seconds = 0;          // encoding and writing
    };

    // `done` is called on the writer's thread after each job (e.g. to wake the trainer).
    explicit RunWriter(std::function<void()> done = {});
    // Finishes the jobs already asked for (a save that was asked for is a save done), then stops.
    ~RunWriter();
    RunWriter(const RunWriter&) = delete;
    RunWriter& operator=(const RunWriter&) = delete;

    void write(std::string path, std::shared_ptr<const RunState> state, uint64_t tag);
    std::vector<Result> take_results();  // finished jobs since the last call, in order
    bool busy() const;                   // a job is queued or being written

private:
    struct Job {
        std::string path;
        std::shared_ptr<const RunState> state;
        uint64_t tag = 0;
    };
    void run();

    std::function<void()> m_done;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job> m_jobs;
    std::vector<Result> m_results;
    bool m_writing = false;
    bool m_quit = false;
    std::thread m_thread;  // last: starts after every member above exists
};

}  // namespace aelab
