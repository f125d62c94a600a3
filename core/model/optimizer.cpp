#include "core/model/optimizer.h"

#include <algorithm>
#include <cmath>

#include "core/base/check.h"

namespace aelab {
namespace {

// Parameters per block of the summing pass: the parts' block is summed while it is in the
// L1 cache, then updated. A multiple of every SIMD width, so blocks start aligned and each
// parameter takes the same (vector or scalar) path as in one pass over the whole buffer.
constexpr Eigen::Index kBlock = 4096;
// A thread of the update pass pays from this many parameters (it is memory-bound).
constexpr Eigen::Index kMinParametersPerThread = 1 << 16;

}  // namespace

void Optimizer::reset() {
    m_fresh = true;
    m_t = 0;
}

void Optimizer::begin_step(OptimizerKind kind, Eigen::Index parameters) {
    // A restored state is checked (Session::resume), but a moment of the wrong size must
    // never be written through: it starts again rather than run past its end.
    if (kind != m_kind || m_fresh || m_first.size() != parameters ||
        (kind == OptimizerKind::Adam && m_second.size() != parameters)) {
        m_kind = kind;
        m_fresh = false;
        m_t = 0;
        m_first.setZero(parameters);
        if (kind == OptimizerKind::Adam) m_second.setZero(parameters);
    }
    if (kind == OptimizerKind::Adam) ++m_t;
}

void Optimizer::update(OptimizerKind kind, float lr, Vec& params, const Vec& grad,
                       Eigen::Index begin, Eigen::Index end) {
    const Eigen::Index size = end - begin;
    auto theta = params.segment(begin, size).array();
    auto g = grad.segment(begin, size).array();
    switch (kind) {
        case OptimizerKind::Sgd:
            theta -= lr * g;
            break;
        case OptimizerKind::Momentum: {
            auto v = m_first.segment(begin, size).array();
            v = kMomentum * v + g;
            theta -= lr * v;
            break;
        }
        case OptimizerKind::Adam: {
            auto m = m_first.segment(begin, size).array();
            auto v = m_second.segment(begin, size).array();
            m = kBeta1 * m + (1 - kBeta1) * g;
            v = kBeta2 * v + (1 - kBeta2) * g.square();
            const float c1 = 1.0f / (1.0f - std::pow(kBeta1, float(m_t)));
            const float c2 = 1.0f / (1.0f - std::pow(kBeta2, float(m_t)));
            theta -= (lr * c1) * m / ((v * c2).sqrt() + kEpsilon);
            break;
        }
    }
}

void Optimizer::step(OptimizerKind kind, float lr, Vec& params, const Vec& grad) {
    begin_step(kind, params.size());
    update(kind, lr, params, grad, 0, params.size());
}

void Optimizer::step(OptimizerKind kind, float lr, Vec& params, std::span<Vec* const> parts,
                     WorkerPool* pool) {
    AELAB_CHECK(!parts.empty(), "Optimizer::step: no gradient");
    for (const Vec* part : parts)
        AELAB_CHECK(part->size() == params.size(), "Optimizer::step: a gradient part's size");
    begin_step(kind, params.size());
    const Eigen::Index total = params.size();
    const Eigen::Index blocks = (total + kBlock - 1) / kBlock;
    const int threads = pool ? int(std::clamp<Eigen::Index>(total / kMinParametersPerThread, 1,
                                                           pool->size()))
                             : 1;
    run_parts(pool, threads, [&](int part) {
        const Eigen::Index first = WorkerPool::first_item(int(blocks), threads, part);
        const Eigen::Index last = WorkerPool::first_item(int(blocks), threads, part + 1);
        for (Eigen::Index b = first; b < last; ++b) {
            const Eigen::Index begin = b * kBlock, end = std::min(total, begin + kBlock);
            auto sum = parts[0]->segment(begin, end - begin);
            for (size_t p = 1; p < parts.size(); ++p) sum += parts[p]->segment(begin, end - begin);
            update(kind, lr, params, *parts[0], begin, end);
        }
    });
}

}  // namespace aelab
