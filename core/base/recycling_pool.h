// Objects handed out as std::shared_ptr and taken back for reuse when the last reference
// goes, on whichever thread that is. Any thread. Why: in these VMs a fresh multi-megabyte
// buffer costs milliseconds of page faults, a reused one microseconds — and snapshots and
// decoded images are produced 30 times a second.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

namespace aelab {

template <class T>
class RecyclingPool {
public:
    explicit RecyclingPool(size_t keep = 4) : m_keep(keep) {}

    // A recycled object (holding whatever it held before) or a new one.
    static std::shared_ptr<T> acquire(const std::shared_ptr<RecyclingPool>& pool) {
        std::unique_ptr<T> object;
        {
            std::lock_guard lock(pool->m_mutex);
            if (!pool->m_free.empty()) {
                object = std::move(pool->m_free.back());
                pool->m_free.pop_back();
            }
        }
        if (!object) object = std::make_unique<T>();
        return std::shared_ptr<T>(object.release(), [pool](T* returned) {
            std::lock_guard lock(pool->m_mutex);
            if (pool->m_free.size() < pool->m_keep)
                pool->m_free.emplace_back(returned);
            else
                delete returned;
        });
    }

private:
    std::mutex m_mutex;
    std::vector<std::unique_ptr<T>> m_free;
    size_t m_keep;
};

}  // namespace aelab
