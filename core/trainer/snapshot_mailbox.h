// Where the trainer leaves its snapshots for the window: the newest one, swapped in under a
// mutex held only to copy a pointer, and a pool the snapshots are recycled from. The window
// never waits for a step. latest() and wait_for(): any thread; fresh() and publish(): the
// trainer thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>

#include "core/base/recycling_pool.h"
#include "core/run/snapshot.h"

namespace aelab {

class SnapshotMailbox {
public:
    // `first` is there before anything is published, so latest() is never null; `wake` is
    // called after each publication (e.g. glfwPostEmptyEvent).
    SnapshotMailbox(std::shared_ptr<const Snapshot> first, std::function<void()> wake)
        : m_latest(std::move(first)),
          m_pool(std::make_shared<RecyclingPool<Snapshot>>()),
          m_wake(std::move(wake)) {}

    std::shared_ptr<const Snapshot> latest() const {
        std::lock_guard lock(m_mutex);
        return m_latest;
    }
    // Blocks until the newest snapshot satisfies `ready`, or the timeout passes (then returns
    // the newest one anyway). For tests and headless tools, not the window.
    std::shared_ptr<const Snapshot> wait_for(const std::function<bool(const Snapshot&)>& ready,
                                             std::chrono::milliseconds timeout) {
        std::unique_lock lock(m_mutex);
        m_published.wait_for(lock, timeout, [&] { return ready(*m_latest); });
        return m_latest;
    }

    // A snapshot to fill (recycled: its buffers may hold an old publication's values).
    std::shared_ptr<Snapshot> fresh() { return RecyclingPool<Snapshot>::acquire(m_pool); }
    void publish(std::shared_ptr<const Snapshot> snapshot) {
        {
            std::lock_guard lock(m_mutex);
            m_latest = std::move(snapshot);
        }
        m_published.notify_all();
        m_last_publish = std::chrono::steady_clock::now();
        if (m_wake) m_wake();
    }
    std::chrono::steady_clock::time_point last_publish() const { return m_last_publish; }

private:
    mutable std::mutex m_mutex;
    std::condition_variable m_published;
    std::shared_ptr<const Snapshot> m_latest;
    std::shared_ptr<RecyclingPool<Snapshot>> m_pool;
    std::function<void()> m_wake;
    std::chrono::steady_clock::time_point m_last_publish;  // trainer thread only
};

}  // namespace aelab
