// The entries of an ImageStore (one per key: textures and their version), kept while they are
// shown. An entry not asked for in `keep_frames` frames is dropped, so the images of a closed
// panel, a hidden tab or a view no longer shown do not hold their textures (under a software
// renderer such as llvmpipe, texture memory is the process's own memory). Coming back costs
// one upload. GUI thread only; no GL here, so the rule is tested without a context.
#pragma once

#include <string>
#include <unordered_map>
#include <utility>

template <class Entry>
class FrameCache {
public:
    explicit FrameCache(int keep_frames) : m_keep(keep_frames) {}

    // The entry under `key`, marked as used in `frame`; `inserted` is true for a new one.
    struct Use {
        Entry& entry;
        bool inserted;
    };
    Use use(const std::string& key, int frame) {
        auto [it, inserted] = m_entries.try_emplace(key);
        it->second.last_frame = frame;
        return {it->second.entry, inserted};
    }

    // Drops the entries last used before frame − keep_frames; returns how many went.
    int sweep(int frame) {
        int dropped = 0;
        for (auto it = m_entries.begin(); it != m_entries.end();) {
            if (it->second.last_frame < frame - m_keep) {
                it = m_entries.erase(it);
                ++dropped;
            } else {
                ++it;
            }
        }
        return dropped;
    }

    size_t size() const { return m_entries.size(); }

private:
    struct Slot {
        Entry entry;
        int last_frame = 0;
    };
    int m_keep;
    std::unordered_map<std::string, Slot> m_entries;
};
