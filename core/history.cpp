#include "core/history.h"

#include <algorithm>

namespace aelab {

ThinnedSeries::ThinnedSeries(int capacity) : m_capacity(std::max(4, capacity & ~1)) {}

void ThinnedSeries::clear() {
    m_per_bucket = 1;
    m_x.clear();
    m_mean.clear();
    m_min.clear();
    m_max.clear();
    m_count.clear();
}

void ThinnedSeries::add(double x, float y) {
    m_last = y;
    if (!m_x.empty() && m_count.back() < m_per_bucket) {
        long& c = m_count.back();
        m_mean.back() = (m_mean.back() * c + y) / (c + 1);
        m_min.back() = std::min(m_min.back(), y);
        m_max.back() = std::max(m_max.back(), y);
        m_x.back() = float(x);
        ++c;
        return;
    }
    if (int(m_x.size()) == m_capacity) halve();
    m_x.push_back(float(x));
    m_mean.push_back(y);
    m_min.push_back(y);
    m_max.push_back(y);
    m_count.push_back(1);
}

void ThinnedSeries::halve() {
    // Merge neighbours pairwise: resolution halves, the envelope (min/max) is kept exactly.
    const int half = int(m_x.size()) / 2;
    for (int i = 0; i < half; ++i) {
        const int a = 2 * i, b = 2 * i + 1;
        const long count = m_count[a] + m_count[b];
        m_mean[i] = (m_mean[a] * m_count[a] + m_mean[b] * m_count[b]) / count;
        m_min[i] = std::min(m_min[a], m_min[b]);
        m_max[i] = std::max(m_max[a], m_max[b]);
        m_x[i] = m_x[b];
        m_count[i] = count;
    }
    for (auto* v : {&m_x, &m_mean, &m_min, &m_max}) v->resize(half);
    m_count.resize(half);
    m_per_bucket *= 2;
}

const char* term_name(Term term) {
    switch (term) {
        case Term::Recon:
            return "reconstruction";
        case Term::L2:
            return "L2";
        case Term::Sparsity:
            return "sparsity";
        case Term::Contractive:
            return "contractive";
        case Term::Kl:
            return "KL";
        case Term::Count:
            break;
    }
    return "?";
}

void History::clear() {
    train.clear();
    test.clear();
    test_clean.clear();
    for (auto& s : train_terms) s.clear();
    probe_jacobian.clear();
    probe_code_jacobian.clear();
    markers.clear();
}

}  // namespace aelab
