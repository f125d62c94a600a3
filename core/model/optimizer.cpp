#include "core/model/optimizer.h"

#include <cmath>

namespace aelab {

void Optimizer::reset() {
    m_fresh = true;
    m_t = 0;
}

void Optimizer::step(OptimizerKind kind, float lr, Vec& params, const Vec& grad) {
    // A restored state is checked (Session::resume), but a moment of the wrong size must
    // never be written through: it starts again rather than run past its end.
    if (kind != m_kind || m_fresh || m_first.size() != params.size() ||
        (kind == OptimizerKind::Adam && m_second.size() != params.size())) {
        m_kind = kind;
        m_fresh = false;
        m_t = 0;
        m_first.setZero(params.size());
        if (kind == OptimizerKind::Adam) m_second.setZero(params.size());
    }
    auto theta = params.array();
    auto g = grad.array();
    switch (kind) {
        case OptimizerKind::Sgd:
            theta -= lr * g;
            break;
        case OptimizerKind::Momentum: {
            auto v = m_first.array();
            v = kMomentum * v + g;
            theta -= lr * v;
            break;
        }
        case OptimizerKind::Adam: {
            ++m_t;
            auto m = m_first.array();
            auto v = m_second.array();
            m = kBeta1 * m + (1 - kBeta1) * g;
            v = kBeta2 * v + (1 - kBeta2) * g.square();
            const float c1 = 1.0f / (1.0f - std::pow(kBeta1, float(m_t)));
            const float c2 = 1.0f / (1.0f - std::pow(kBeta2, float(m_t)));
            theta -= (lr * c1) * m / ((v * c2).sqrt() + kEpsilon);
            break;
        }
    }
}

}  // namespace aelab
