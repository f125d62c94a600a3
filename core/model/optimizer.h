// Parameter updates over the flat parameter buffer: SGD, momentum and Adam. Trainer thread;
// update() of disjoint ranges also from the threads of its step (ParallelObjective::train).
#pragma once

#include "core/base/tensor.h"
#include "core/config/config.h"
#include "core/model/network.h"
#include "core/model/optimizer_state.h"

namespace aelab {

class Optimizer {
public:
    // θ := θ − η·update(∂J/∂θ). Switching the kind clears the state (momentum, moments).
    void step(OptimizerKind kind, float lr, Vec& params, const Vec& grad);
    // The same in ranges, for a gradient finished range by range (ParallelObjective::train):
    // begin_step() once, then update() for each range, disjoint ranges from any threads at
    // once. Each parameter's update is its own, so how the ranges are cut changes nothing.
    void begin_step(OptimizerKind kind, Eigen::Index parameters);
    void update(OptimizerKind kind, float lr, Vec& params, const Vec& grad, ParamRange range);
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
    OptimizerKind m_kind = OptimizerKind::Sgd;
    bool m_fresh = true;
    long m_t = 0;
    Vec m_first, m_second;  // velocity / first moment, second moment
};

}  // namespace aelab
