#include "core/views/run_hints.h"

#include <algorithm>
#include <cstdio>

#include "core/views/metrics.h"

namespace aelab {

namespace {
constexpr double kFlatSteps = 200;     // the loss curve's last steps that must be flat…
constexpr size_t kMinFlatBuckets = 8;  // …seen in at least this many buckets,
constexpr double kFlatRange = 0.005;   // within 0.5 % of their mean,
constexpr double kAboveBest = 2.0;     // and at least twice the best bucket before them
}  // namespace

std::optional<std::string> stalled_run_hint(const History& history, const Vec& p_hat,
                                            bool saturating) {
    if (p_hat.size() > 0 && (p_hat.array() < kDeadUnit).all())
        return std::string(
            "Every code unit is dead (p̂ < 0.01 for all of them): the code carries nothing, so "
            "the reconstruction cannot improve. Lower the learning rate and Reset, or Ctrl+Z the "
            "change that did it.");
    if (saturating && p_hat.size() > 0 &&
        (p_hat.array() < kDeadUnit || p_hat.array() > kSaturatedUnit).all())
        return std::string(
            "Every code unit is stuck at 0 or 1 (p̂ < 0.01 or > 0.99): a saturated sigmoid passes "
            "almost no gradient, so the model has stopped learning. Lower the learning rate and "
            "Reset, or Ctrl+Z the change that did it.");
    // The last kFlatSteps steps of the curve, against the buckets before them.
    const ThinnedSeries& train = history.train;
    const auto& x = train.x();
    const auto& mean = train.mean();
    if (train.size() < 2) return std::nullopt;
    const double from = x.back() - kFlatSteps;
    const auto first = std::upper_bound(x.begin(), x.end(), float(from));
    const size_t start = size_t(first - x.begin());
    if (start == 0 || mean.size() - start < kMinFlatBuckets) return std::nullopt;
    const auto last = mean.begin() + long(start);
    const auto [lo, hi] = std::minmax_element(last, mean.end());
    double recent = 0;
    for (auto it = last; it != mean.end(); ++it) recent += *it;
    recent /= double(mean.end() - last);
    const double best = *std::min_element(mean.begin(), last);
    const double steps = kFlatSteps;
    if (*hi - *lo > kFlatRange * recent || recent < kAboveBest * best) return std::nullopt;
    char text[320];
    std::snprintf(text, sizeof text,
                  "The loss has stayed at %.4g for the last %.0f steps, %.1f× its best (%.4g): the "
                  "run has stopped learning, often after too large a step. Lower the learning "
                  "rate, Ctrl+Z the change, or Reset.",
                  recent, steps, recent / best, best);
    return std::string(text);
}

}  // namespace aelab
