#include "core/run/history.h"

#include <algorithm>
#include <cctype>
#include <cmath>

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

void ThinnedSeries::drop_after(double x) {
    while (!m_x.empty() && m_x.back() > x) {
        m_x.pop_back();
        m_mean.pop_back();
        m_min.pop_back();
        m_max.pop_back();
        m_count.pop_back();
    }
    if (!m_mean.empty()) m_last = m_mean.back();
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

ThinnedSeries::Buckets ThinnedSeries::buckets() const {
    return {m_per_bucket, m_last, m_x, m_mean, m_min, m_max, m_count};
}

std::optional<std::string> ThinnedSeries::restore(const Buckets& b) {
    const size_t n = b.x.size();
    if (b.mean.size() != n || b.min.size() != n || b.max.size() != n || b.count.size() != n)
        return "columns of different lengths";
    if (int(n) > m_capacity) return "more buckets than a series keeps";
    if (b.per_bucket < 1 || (b.per_bucket & (b.per_bucket - 1)) != 0)
        return "samples per bucket is not a power of two";
    for (size_t i = 0; i < n; ++i) {
        if (b.count[i] < 1 || b.count[i] > b.per_bucket) return "a bucket count out of range";
        if (!std::isfinite(b.x[i]) || (i > 0 && b.x[i] < b.x[i - 1])) return "steps out of order";
    }
    m_per_bucket = b.per_bucket;
    m_last = b.last;
    m_x = b.x;
    m_mean = b.mean;
    m_min = b.min;
    m_max = b.max;
    m_count = b.count;
    return std::nullopt;
}

std::string test_cadence_words(const History& history) {
    if (history.test_every <= 0) return "";
    if (history.test_every == 1) return "every step";
    return "every " + std::to_string(history.test_every) + " steps";
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
    test_every = test_every_since = 0;
}

void History::add_marker(int64_t step, std::string label) {
    markers.push_back({step, std::move(label)});
    // Dropped in blocks of a tenth, so a long session moves the vector once per 100 markers.
    if (markers.size() > kMaxMarkers)
        markers.erase(markers.begin(), markers.begin() + long(markers.size() - kMaxMarkers * 9 / 10));
}

void History::drop_after(int64_t step) {
    for (auto& [name, series] : named_series()) series->drop_after(double(step));
    std::erase_if(markers, [&](const Marker& m) { return m.step > step; });
}

std::vector<std::pair<std::string, ThinnedSeries*>> History::named_series() {
    std::vector<std::pair<std::string, ThinnedSeries*>> all = {
        {"train", &train}, {"test", &test}, {"test_clean", &test_clean}};
    for (int t = 0; t < kTermCount; ++t) {
        std::string name = std::string("term_") + term_name(Term(t));
        std::transform(name.begin(), name.end(), name.begin(),
                       [](unsigned char c) { return char(std::tolower(c)); });
        all.push_back({name, &train_terms[t]});
    }
    all.push_back({"probe_jacobian", &probe_jacobian});
    all.push_back({"probe_code_jacobian", &probe_code_jacobian});
    return all;
}

std::vector<std::pair<std::string, const ThinnedSeries*>> History::named_series() const {
    std::vector<std::pair<std::string, const ThinnedSeries*>> all;
    for (const auto& [name, series] : const_cast<History*>(this)->named_series())
        all.push_back({name, series});
    return all;
}

}  // namespace aelab
