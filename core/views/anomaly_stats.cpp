#include "core/views/anomaly_stats.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>

#include "core/base/check.h"

namespace aelab {

namespace {

std::vector<float> sorted_without_nan(const std::vector<float>& values) {
    std::vector<float> out;
    out.reserve(values.size());
    for (float v : values)
        if (!std::isnan(v)) out.push_back(v);
    std::sort(out.begin(), out.end());
    return out;
}

// The qualifying indices, the first `count` of them in `before` order, ties by index.
template <class Before>
std::vector<int> extreme_indices(const std::vector<float>& values, const std::vector<bool>& mask,
                                 int count, Before before) {
    AELAB_CHECK(mask.empty() || mask.size() == values.size(), "indices: mask size != values");
    std::vector<int> indices;
    for (size_t i = 0; i < values.size(); ++i)
        if ((mask.empty() || mask[i]) && !std::isnan(values[i])) indices.push_back(int(i));
    const size_t kept = std::min(indices.size(), size_t(std::max(0, count)));
    std::partial_sort(indices.begin(), indices.begin() + kept, indices.end(), [&](int a, int b) {
        if (values[a] != values[b]) return before(values[a], values[b]);
        return a < b;
    });
    indices.resize(kept);
    return indices;
}

}  // namespace

MeanSigma mean_and_sigma(const std::vector<float>& values) {
    if (values.empty()) return {};
    double sum = 0;
    for (float v : values) sum += v;
    const double mean = sum / double(values.size());
    double squares = 0;
    for (float v : values) squares += (v - mean) * (v - mean);
    return {mean, std::sqrt(squares / double(values.size()))};
}

double fraction_above(const std::vector<float>& values, double t) {
    if (values.empty()) return 0;
    size_t above = 0;
    for (float v : values) above += double(v) > t;
    return double(above) / double(values.size());
}

double fraction_above_sorted(const std::vector<float>& sorted_values, double t) {
    if (sorted_values.empty()) return 0;
    // Compared in double, as fraction_above does, so t equal to a value is exact.
    const auto first_above =
        std::upper_bound(sorted_values.begin(), sorted_values.end(), t,
                         [](double threshold, float v) { return threshold < double(v); });
    return double(sorted_values.end() - first_above) / double(sorted_values.size());
}

double gaussian_tail(double k) {
    return 0.5 * std::erfc(k / std::sqrt(2.0));
}

std::string format_rate(double fraction) {
    if (std::isnan(fraction)) return "n/a";
    const double percent = 100 * std::clamp(fraction, 0.0, 1.0);
    char text[32];
    if (percent == 0) return "0\u00a0%";
    if (percent < 1e-4)  // %g would switch to an exponent below here
        return "<\u00a00.0001\u00a0%";
    if (percent < 1)
        std::snprintf(text, sizeof text, "%.2g\u00a0%%", percent);
    else if (percent < 99.95)
        std::snprintf(text, sizeof text, "%.1f\u00a0%%", percent);
    else  // never "100.0 %" for a rate that missed some
        return percent == 100 ? "100\u00a0%" : ">\u00a099.9\u00a0%";
    return text;
}

TailComparison compare_with_gaussian(double measured_rate, double gaussian_rate, int samples) {
    if (samples <= 0) return TailComparison::AsGaussian;
    const double n = double(samples);
    const double expected = gaussian_rate * n, seen = measured_rate * n;
    const double noise = 2 * std::sqrt(expected * (1 - gaussian_rate)) + 0.5;
    if (std::fabs(seen - expected) <= noise) return TailComparison::AsGaussian;
    if (measured_rate >= 1.25 * gaussian_rate) return TailComparison::Heavier;
    if (measured_rate <= 0.8 * gaussian_rate) return TailComparison::Lighter;
    return TailComparison::AsGaussian;
}

std::string gaussian_comparison_sentence(double k, double measured_rate, int samples) {
    if (samples <= 0) return "";
    const double gaussian = gaussian_tail(k);
    char opening[160];
    std::snprintf(opening, sizeof opening,
                  "If the errors were Gaussian, %.1fσ would flag %s of normal samples; here it "
                  "flags %s of %d normal test images",
                  k, format_rate(gaussian).c_str(), format_rate(measured_rate).c_str(), samples);
    switch (compare_with_gaussian(measured_rate, gaussian, samples)) {
        case TailComparison::Heavier:
            return std::string(opening) +
                   ": more, the errors' right tail is longer than a Gaussian's.";
        case TailComparison::Lighter:
            return std::string(opening) +
                   ": fewer, the errors' right tail is shorter than a Gaussian's.";
        case TailComparison::AsGaussian:
            break;
    }
    return std::string(opening) + ": no clear difference from a Gaussian on that many.";
}

std::vector<RocPoint> roc_curve(const std::vector<float>& normal,
                                const std::vector<float>& anomalous, int max_points) {
    AELAB_CHECK(max_points >= 2, "roc_curve: max_points < 2");
    const std::vector<float> neg = sorted_without_nan(normal);
    const std::vector<float> pos = sorted_without_nan(anomalous);
    if (neg.empty() || pos.empty()) return {};
    const float inf = std::numeric_limits<float>::infinity();
    std::vector<RocPoint> curve{{0, 0, inf}};
    // Lower the threshold through the distinct scores, largest first: after passing score s
    // everything ≥ s is flagged, which is "error > t" for t = the next lower distinct score.
    size_t i = neg.size(), j = pos.size();  // neg[i..], pos[j..] are flagged
    while (i > 0 || j > 0) {
        const float s = std::max(i > 0 ? neg[i - 1] : -inf, j > 0 ? pos[j - 1] : -inf);
        while (i > 0 && neg[i - 1] == s) --i;
        while (j > 0 && pos[j - 1] == s) --j;
        const float next = std::max(i > 0 ? neg[i - 1] : -inf, j > 0 ? pos[j - 1] : -inf);
        curve.push_back({float(double(neg.size() - i) / double(neg.size())),
                         float(double(pos.size() - j) / double(pos.size())), next});
    }
    if (int(curve.size()) <= max_points) return curve;
    std::vector<RocPoint> thinned(max_points);
    const double step = double(curve.size() - 1) / double(max_points - 1);
    for (int k = 0; k < max_points; ++k) thinned[k] = curve[size_t(std::lround(k * step))];
    return thinned;
}

double auc(const std::vector<float>& normal, const std::vector<float>& anomalous) {
    std::vector<std::pair<float, bool>> pooled;  // (score, is anomalous)
    pooled.reserve(normal.size() + anomalous.size());
    for (float v : normal)
        if (!std::isnan(v)) pooled.push_back({v, false});
    const size_t n = pooled.size();
    for (float v : anomalous)
        if (!std::isnan(v)) pooled.push_back({v, true});
    const size_t m = pooled.size() - n;
    if (n == 0 || m == 0) return std::numeric_limits<double>::quiet_NaN();
    std::sort(pooled.begin(), pooled.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    // Ranks and their sum are multiples of ½ far below 2⁵³: exact in double.
    double rank_sum = 0;
    for (size_t a = 0; a < pooled.size();) {
        size_t b = a;
        size_t anomalous_in_tie = 0;
        for (; b < pooled.size() && pooled[b].first == pooled[a].first; ++b)
            anomalous_in_tie += pooled[b].second;
        const double average_rank = 0.5 * double(a + 1 + b);  // ranks a+1 … b
        rank_sum += average_rank * double(anomalous_in_tie);
        a = b;
    }
    const double u = rank_sum - 0.5 * double(m) * double(m + 1);
    return u / (double(n) * double(m));
}

std::vector<int> largest_indices(const std::vector<float>& values, const std::vector<bool>& mask,
                                 int count) {
    return extreme_indices(values, mask, count, [](float a, float b) { return a > b; });
}

std::vector<int> smallest_indices(const std::vector<float>& values, const std::vector<bool>& mask,
                                  int count) {
    return extreme_indices(values, mask, count, [](float a, float b) { return a < b; });
}

}  // namespace aelab
