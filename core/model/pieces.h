// Passes over many samples (a test set, 10,000 codes, a grid of decoded images) cut into
// pieces of a fixed size, the pieces spread over a pool's threads. The pieces do not depend on
// the thread count, so a result kept per piece and combined in piece order is the same for
// any number of threads. Thread of the pass's owner; the pieces run on the pool.
#pragma once

#include <algorithm>
#include <vector>

#include "core/base/worker_pool.h"
#include "core/model/objective.h"

namespace aelab {

// Samples per piece of the views' passes (latent codes, PCA's comparison, anomaly errors):
// large enough for efficient products, small enough that a pause of training for one piece a
// thread stays short.
inline constexpr int kViewPiece = 256;

// One workspace per thread of a pass (reserve_workspaces sizes them).
using ThreadWorkspaces = std::vector<Workspace>;

// [0, total) in pieces of `size` samples; the last may be shorter.
struct Pieces {
    int total = 0;
    int size = 1;

    int count() const { return total <= 0 ? 0 : (total + size - 1) / size; }
    int start(int piece) const { return piece * size; }
    int length(int piece) const { return std::min(size, total - piece * size); }
};

// The threads a pass over `pieces` pieces takes on `pool` (1 without one).
inline int pass_threads(WorkerPool* pool, int pieces) {
    return std::max(1, std::min(pool ? pool->size() : 1, pieces));
}

// fn(thread, piece) for every piece in [first, last), each thread taking a contiguous run of
// them; `thread` < pass_threads(pool, last − first) indexes the caller's per-thread buffers.
template <class Fn>
void for_each_piece(WorkerPool* pool, int first, int last, Fn&& fn) {
    const int count = last - first;
    if (count <= 0) return;
    const int threads = pass_threads(pool, count);
    run_parts(pool, threads, [&](int thread) {
        const int begin = first + WorkerPool::first_item(count, threads, thread);
        const int end = first + WorkerPool::first_item(count, threads, thread + 1);
        for (int piece = begin; piece < end; ++piece) fn(thread, piece);
    });
}

// One workspace per thread of a pass, each reserved for `network` and `columns` samples.
inline void reserve_workspaces(ThreadWorkspaces& workspaces, int threads,
                               const Network& network, int columns) {
    if (int(workspaces.size()) < threads) workspaces.resize(threads);
    for (int t = 0; t < threads; ++t) workspaces[t].reserve(network, columns);
}

}  // namespace aelab
