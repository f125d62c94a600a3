// A fixed set of threads, made once, that run one job at a time cut into parts: the training
// step's batch slices, the views' pieces of a data set. The calling thread runs part 0 and
// worker i runs part i, so a job's parts land on the same threads every time, and nothing is
// allocated per job. run(): one calling thread at a time (the trainer's, or a headless run's);
// size() and the constructor: any thread.
//
// Between jobs a worker spins for a short while (the training step's jobs follow each other
// within microseconds), yielding its core between looks after the first few microseconds,
// then sleeps on an atomic wait, so an idle pool costs no CPU. A pool with more threads than
// the process has cores never spins: a spinning worker would take the core that the thread it
// waits for needs.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace aelab {

// The cores this process may run on (its affinity mask, else the hardware's count), ≥ 1.
int available_cores();

class WorkerPool {
public:
    // `threads` ≥ 1: the calling thread and threads − 1 workers.
    explicit WorkerPool(int threads);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    int size() const { return m_size; }
    // Whether its threads spin before they sleep: only while they do not outnumber the cores.
    bool spins() const { return m_spin; }

    // Calls job(part) for part = 0 … parts − 1 (parts ≤ size()), part 0 on this thread, and
    // returns when every part has returned. An exception thrown by a part is rethrown here
    // (the first one, after every part has finished).
    template <class Job>
    void run(int parts, Job&& job) {
        using Target = std::remove_reference_t<Job>;
        run_erased(parts,
                   [](void* context, int part) { (*static_cast<Target*>(context))(part); },
                   const_cast<void*>(static_cast<const void*>(&job)));
    }

    // Spreads `count` items over `parts` parts: part p takes items [first(p), first(p + 1)),
    // contiguous and as even as possible. The same split for the same (count, parts).
    static int first_item(int count, int parts, int part) {
        return int(int64_t(count) * part / parts);
    }

private:
    using Call = void (*)(void* context, int part);
    void run_erased(int parts, Call call, void* context);
    void work(int index);
    void call_part(int part);

    int m_size;
    bool m_spin;  // wait by spinning first (not when the threads outnumber the cores)
    // The job on offer: written by run() before m_generation moves, read by the workers after.
    Call m_call = nullptr;
    void* m_context = nullptr;
    int m_parts = 0;
    std::atomic<uint32_t> m_generation{0};  // one more per job; workers wait for it to move
    std::atomic<int> m_pending{0};          // workers still inside the job
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_running{false};     // a job is under way: run() is not re-entrant
    std::mutex m_error_mutex;
    std::exception_ptr m_error;  // the first exception a part threw
    std::vector<std::thread> m_threads;
};

// Runs `job(part)` on `pool` (null: one part, on this thread).
template <class Job>
void run_parts(WorkerPool* pool, int parts, Job&& job) {
    if (!pool || parts <= 1) {
        for (int part = 0; part < parts; ++part) job(part);
        return;
    }
    pool->run(parts, job);
}

}  // namespace aelab
