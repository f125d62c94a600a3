#include "core/model/optimizer.h"

#include <algorithm>
#include <cmath>

#include "core/base/check.h"

namespace aelab {
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
                       ParamRange range) {
    const Eigen::Index begin = range.begin, size = range.end - range.begin;
    AELAB_CHECK(begin >= 0 && size >= 0 && range.end <= params.size() &&
                    params.size() == grad.size() && kind == m_kind && !m_fresh &&
                    m_first.size() == params.size() &&
                    (kind != OptimizerKind::Adam || m_second.size() == params.size()),
                "Optimizer::update: a range outside the parameters, or no begin_step");
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
    update(kind, lr, params, grad, {0, params.size()});
}

}  // namespace aelab
