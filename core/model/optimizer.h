// Parameter updates over the flat parameter buffer: SGD, momentum and Adam. Trainer thread;
// with a pool, the update is spread over its threads (core/base/worker_pool.h).
#pragma once

#include <span>

#include "core/base/tensor.h"
#include "core/base/worker_pool.h"
#include "core/config/config.h"
#include "core/model/optimizer_state.h"

namespace aelab {

class Optimizer {
public:
    // θ := θ − η·update(∂J/∂θ). Switching the kind clears the state (momentum, moments).
    void step(OptimizerKind kind, float lr, Vec& params, const Vec& grad);
    // The same for a gradient left in parts by a batch cut into slices (ParallelObjective):
    // ∂J/∂θ = parts[0] + parts[1] + … in that order, summed into parts[0] as the update
    // passes. Each parameter's update is its own, so how the pool splits the parameters
    // changes nothing: the result depends on the parts alone.
    void step(OptimizerKind kind, float lr, Vec& params, std::span<Vec* const> parts,
              WorkerPool* pool);
    void reset();
    OptimizerState state() const { return {m_kind, m_fresh, m_t, m_first, m_second}; }
    // The same into `out`, reusing its buffers (a timeline's checkpoints are refilled).
    void copy_state_to(OptimizerState& out) const {
        out.kind = m_kind, out.fresh = m_fresh, out.t = m_t, out.first = m_first,
        out.second = m_second;
    }
    void restore(const OptimizerState& s) {
        m_kind = s.kind, m_fresh = s.fresh, m_t = long(s.t), m_first = s.first, m_second = s.second;
    }

    static constexpr float kMomentum = 0.9f;  // PyTorch's convention: v = μv + g; θ −= ηv
    static constexpr float kBeta1 = 0.9f, kBeta2 = 0.999f, kEpsilon = 1e-8f;

private:
    // Starts the state afresh when the kind changed or it does not fit; counts Adam's step.
    void begin_step(OptimizerKind kind, Eigen::Index parameters);
    // The update of parameters [begin, end) from the (summed) gradient g there.
    void update(OptimizerKind kind, float lr, Vec& params, const Vec& g, Eigen::Index begin,
                Eigen::Index end);

    OptimizerKind m_kind = OptimizerKind::Sgd;
    bool m_fresh = true;
    long m_t = 0;
    Vec m_first, m_second;  // velocity / first moment, second moment
};

}  // namespace aelab
