#include "core/files/run_writer.h"

#include <chrono>

#include <sys/resource.h>
#include <unistd.h>

#include "core/files/run_file.h"

namespace aelab {

RunWriter::RunWriter(std::function<void()> done)
    : m_done(std::move(done)), m_thread([this] { run(); }) {}

RunWriter::~RunWriter() {
    {
        std::lock_guard lock(m_mutex);
        m_quit = true;
    }
    m_wake.notify_all();
    m_thread.join();
}

void RunWriter::write(std::string path, std::shared_ptr<const RunState> state, uint64_t tag) {
    {
        std::lock_guard lock(m_mutex);
        m_jobs.push_back({std::move(path), std::move(state), tag});
    }
    m_wake.notify_all();
}

std::vector<RunWriter::Result> RunWriter::take_results() {
    std::lock_guard lock(m_mutex);
    return std::exchange(m_results, {});
}

bool RunWriter::busy() const {
    std::lock_guard lock(m_mutex);
    return m_writing || !m_jobs.empty();
}

void RunWriter::run() {
    // Writing is background work: where cores are scarce the window and the trainer come
    // first (a failure only means the default priority).
    setpriority(PRIO_PROCESS, id_t(gettid()), 10);
    for (;;) {
        Job job;
        {
            std::unique_lock lock(m_mutex);
            m_wake.wait(lock, [&] { return m_quit || !m_jobs.empty(); });
            if (m_jobs.empty()) return;  // quitting, and nothing left to write
            job = std::move(m_jobs.front());
            m_jobs.pop_front();
            m_writing = true;
        }
        const auto start = std::chrono::steady_clock::now();
        Result result{job.path, std::nullopt, job.tag, job.state->step, 0};
        try {
            result.error = save_run(job.path, *job.state);
        } catch (const std::exception& e) {  // bad_alloc while encoding: a failed save, not a crash
            result.error = Error{job.path + ": " + e.what()};
        }
        result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        {
            std::lock_guard lock(m_mutex);
            m_results.push_back(std::move(result));
            m_writing = false;
        }
        if (m_done) m_done();
    }
}

}  // namespace aelab
