#include "core/base/worker_pool.h"

#include <chrono>
#include <string>

#include <pthread.h>
#include <sched.h>

#include "core/base/check.h"

namespace aelab {
namespace {

// How long a thread spins on a value before it sleeps: longer than the gaps between the
// jobs of a training step (the batch's indices, the noise, a VAE's ε: up to a few hundred
// microseconds of serial work; a worker woken from sleep on a virtual machine can take as
// long again to start), shorter than anything a person could notice as a busy core. 100 µs
// was too short: AE b256 on 2 threads ran 2.73–3.02 ms a step against 2.83–3.55 ms.
constexpr std::chrono::microseconds kSpin{2000};

void relax() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#else
    std::this_thread::yield();
#endif
}

// Rounds of pure spinning before a waiting thread yields its core between looks.
constexpr int kPauseRounds = 256;

// Waits until `value` differs from `old`; returns the new value. Spins first, then sleeps.
// After a few microseconds the spin yields its core on each round: when another process keeps
// the other cores busy (a second lesson check, a compiler, the window beside a headless run),
// the thread waited for may be queued behind this one, and a pure spin would hold it off for
// a whole time slice at every job. A lesson check beside one busy core took 57.7 s spinning,
// 14.8 s yielding (9.1 s alone, either way).
template <class T>
T wait_while_equal(const std::atomic<T>& value, T old, bool spin) {
    const auto start = std::chrono::steady_clock::now();
    for (int round = 0; spin; ++round) {
        const T now = value.load(std::memory_order_acquire);
        if (now != old) return now;
        if ((round & 63) == 63 && std::chrono::steady_clock::now() - start > kSpin) break;
        if (round < kPauseRounds)
            relax();
        else
            std::this_thread::yield();
    }
    for (;;) {
        value.wait(old, std::memory_order_acquire);
        const T now = value.load(std::memory_order_acquire);
        if (now != old) return now;
    }
}

}  // namespace

int available_cores() {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        const int count = CPU_COUNT(&set);
        if (count > 0) return count;
    }
    return std::max(1u, std::thread::hardware_concurrency());
}

WorkerPool::WorkerPool(int threads)
    : m_size(std::max(1, threads)), m_spin(m_size <= available_cores()) {
    m_threads.reserve(size_t(m_size - 1));
    for (int index = 1; index < m_size; ++index)
        m_threads.emplace_back([this, index] {
            const std::string name = "aelab-worker-" + std::to_string(index);
            pthread_setname_np(pthread_self(), name.substr(0, 15).c_str());
            work(index);
        });
}

WorkerPool::~WorkerPool() {
    m_stop.store(true, std::memory_order_release);
    m_generation.fetch_add(1, std::memory_order_release);
    m_generation.notify_all();
    for (std::thread& thread : m_threads) thread.join();
}

void WorkerPool::call_part(int part) {
    try {
        m_call(m_context, part);
    } catch (...) {
        std::lock_guard<std::mutex> lock(m_error_mutex);
        if (!m_error) m_error = std::current_exception();
    }
}

void WorkerPool::work(int index) {
    uint32_t seen = 0;
    for (;;) {
        seen = wait_while_equal(m_generation, seen, m_spin);
        if (m_stop.load(std::memory_order_acquire)) return;
        // Every worker reports back, those without a part too: the caller returns only once
        // no worker can still be reading this job's fields.
        if (index < m_parts) call_part(index);
        if (m_pending.fetch_sub(1, std::memory_order_acq_rel) == 1) m_pending.notify_one();
    }
}

void WorkerPool::run_erased(int parts, Call call, void* context) {
    AELAB_CHECK(parts >= 1 && parts <= m_size, "WorkerPool::run: parts outside 1 … size()");
    AELAB_CHECK(!m_running.exchange(true, std::memory_order_acq_rel),
                "WorkerPool::run called while a job is under way");
    m_call = call;
    m_context = context;
    m_parts = parts;
    m_pending.store(m_size - 1, std::memory_order_relaxed);
    m_generation.fetch_add(1, std::memory_order_release);
    m_generation.notify_all();
    call_part(0);
    for (int pending = m_pending.load(std::memory_order_acquire); pending != 0;
         pending = m_pending.load(std::memory_order_acquire))
        wait_while_equal(m_pending, pending, m_spin);
    std::exception_ptr error;
    {
        std::lock_guard<std::mutex> lock(m_error_mutex);
        std::swap(error, m_error);
    }
    m_running.store(false, std::memory_order_release);
    if (error) std::rethrow_exception(error);
}

}  // namespace aelab
