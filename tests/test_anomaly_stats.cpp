// The 3σ lesson's statistics against their definitions: the Gaussian tail on normal samples,
// mean and σ against direct sums, the sorted fraction against the linear one, AUC against the
// pairwise count, the ROC curve's shape and area, and the gallery indices.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "core/views/anomaly_stats.h"

using namespace aelab;

namespace {

std::vector<float> normal_samples(int count, float mean, float sigma, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(mean, sigma);
    std::vector<float> out(count);
    for (float& v : out) v = normal(rng);
    return out;
}

// Integers lo..hi as floats: many ties within and across sets.
std::vector<float> integer_samples(int count, int lo, int hi, uint32_t seed) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pick(lo, hi);
    std::vector<float> out(count);
    for (float& v : out) v = float(pick(rng));
    return out;
}

// The definition, O(N·M): P(anomalous > normal) + ½ P(equal).
double pairwise_auc(const std::vector<float>& normal, const std::vector<float>& anomalous) {
    double wins = 0;
    for (float a : anomalous)
        for (float n : normal) wins += a > n ? 1.0 : a == n ? 0.5 : 0.0;
    return wins / (double(normal.size()) * double(anomalous.size()));
}

double trapezoid_area(const std::vector<RocPoint>& curve) {
    double area = 0;
    for (size_t i = 1; i < curve.size(); ++i)
        area += 0.5 * double(curve[i].false_alarm_rate - curve[i - 1].false_alarm_rate) *
                double(curve[i].detection_rate + curve[i - 1].detection_rate);
    return area;
}

void expect_roc_shape(const std::vector<RocPoint>& curve) {
    ASSERT_GE(curve.size(), 2u);
    EXPECT_EQ(curve.front().false_alarm_rate, 0.0f);
    EXPECT_EQ(curve.front().detection_rate, 0.0f);
    EXPECT_EQ(curve.back().false_alarm_rate, 1.0f);
    EXPECT_EQ(curve.back().detection_rate, 1.0f);
    for (size_t i = 1; i < curve.size(); ++i) {
        EXPECT_GE(curve[i].false_alarm_rate, curve[i - 1].false_alarm_rate) << "point " << i;
        EXPECT_GE(curve[i].detection_rate, curve[i - 1].detection_rate) << "point " << i;
        EXPECT_LT(curve[i].threshold, curve[i - 1].threshold) << "point " << i;
    }
}

}  // namespace

TEST(AnomalyStats, ThreeSigmaOfGaussianSamplesMatchesTheTail) {
    EXPECT_NEAR(gaussian_tail(3), 0.0013499, 1e-6);
    EXPECT_DOUBLE_EQ(gaussian_tail(0), 0.5);
    EXPECT_NEAR(gaussian_tail(-1) + gaussian_tail(1), 1.0, 1e-15);

    const int count = 400000;
    const std::vector<float> values = normal_samples(count, 0, 1, 11);
    const MeanSigma ms = mean_and_sigma(values);
    EXPECT_NEAR(ms.mean, 0.0, 5 / std::sqrt(double(count)));
    EXPECT_NEAR(ms.sigma, 1.0, 5 / std::sqrt(2.0 * count));
    for (double k : {1.0, 2.0, 3.0}) {
        const double p = gaussian_tail(k);
        // Four binomial standard errors: a wrong σ (or N − 1 vs N mixed with a wrong mean)
        // moves the 3σ share far more than this.
        EXPECT_NEAR(fraction_above(values, ms.mean + k * ms.sigma), p,
                    4 * std::sqrt(p * (1 - p) / count))
            << "k = " << k;
    }
}

TEST(AnomalyStats, MeanAndSigmaAgreeWithDirectSums) {
    const MeanSigma small = mean_and_sigma({1, 2, 3, 4});
    EXPECT_DOUBLE_EQ(small.mean, 2.5);
    EXPECT_DOUBLE_EQ(small.sigma, std::sqrt(1.25)) << "population σ: divides by N";
    const MeanSigma one = mean_and_sigma({7});
    EXPECT_EQ(one.mean, 7.0);
    EXPECT_EQ(one.sigma, 0.0);
    const MeanSigma none = mean_and_sigma({});
    EXPECT_EQ(none.mean, 0.0);
    EXPECT_EQ(none.sigma, 0.0);

    // Float inputs far from 0 with a tiny spread: a float sum loses the mean's digits and
    // Σx² − Nμ² loses σ. The reference is a long-double two-pass over the same floats.
    const std::vector<float> offset = normal_samples(200000, 1e4f, 0.05f, 5);
    long double sum = 0;
    for (float v : offset) sum += v;
    const long double mean = sum / offset.size();
    long double squares = 0;
    for (float v : offset) squares += (v - mean) * (v - mean);
    const double sigma = double(std::sqrt(squares / offset.size()));
    const MeanSigma ms = mean_and_sigma(offset);
    EXPECT_NEAR(ms.mean, double(mean), 1e-9);
    EXPECT_NEAR(ms.sigma, sigma, 1e-7 * sigma);
    EXPECT_NEAR(ms.sigma, 0.05, 0.001);
}

TEST(AnomalyStats, SortedFractionMatchesTheLinearOne) {
    std::vector<float> values = integer_samples(3000, 0, 50, 3);
    for (float& v : values) v *= 0.1f;  // non-integral, still with many ties
    std::vector<float> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const double inf = std::numeric_limits<double>::infinity();
    std::vector<double> thresholds = {-1e9, -0.01, 0, 5, 5.0001, 1e9, inf, -inf};
    std::mt19937 rng(9);
    std::uniform_real_distribution<double> uniform(-0.5, 5.5);
    for (int i = 0; i < 500; ++i) thresholds.push_back(uniform(rng));
    for (int i = 0; i < 500; ++i) thresholds.push_back(values[i]);  // equal: strictly above
    for (double t : thresholds)
        EXPECT_EQ(fraction_above_sorted(sorted, t), fraction_above(values, t)) << "t = " << t;

    EXPECT_DOUBLE_EQ(fraction_above({1, 2, 3, 4}, 2.0), 0.5) << "2 itself is not above 2";
    EXPECT_DOUBLE_EQ(fraction_above_sorted({1, 2, 3, 4}, 2.0), 0.5);
    EXPECT_EQ(fraction_above({}, 0), 0.0);
    EXPECT_EQ(fraction_above_sorted({}, 0), 0.0);
}

TEST(AnomalyStats, AucMatchesThePairwiseCountWithTies) {
    for (uint32_t seed : {1u, 2u, 3u}) {
        const std::vector<float> normal = integer_samples(300 + seed, 0, 9, seed);
        const std::vector<float> anomalous = integer_samples(200, 2, 9, seed + 100);
        const double a = auc(normal, anomalous);
        EXPECT_NEAR(a, pairwise_auc(normal, anomalous), 1e-12) << "seed " << seed;
        EXPECT_NEAR(auc(anomalous, normal), 1 - a, 1e-12) << "swapped roles";
        // U{2..9} against U{0..9}: P(>) + ½ P(=) = 0.55 + ½·0.1.
        EXPECT_NEAR(a, 0.6, 0.04) << "the anomalous set is shifted up";
    }
    const std::vector<float> x = normal_samples(20000, 1, 2, 21);
    const std::vector<float> y = normal_samples(20000, 1, 2, 22);
    EXPECT_NEAR(auc(x, y), 0.5, 0.01) << "one distribution";
    EXPECT_EQ(auc({0, 1, 2}, {3, 4}), 1.0) << "separated";
    EXPECT_EQ(auc({3, 4}, {0, 1, 2}), 0.0);
    EXPECT_EQ(auc({1, 1}, {1}), 0.5) << "all tied";
    EXPECT_TRUE(std::isnan(auc({}, {1})));
    EXPECT_TRUE(std::isnan(auc({1}, {})));
}

TEST(AnomalyStats, RocCurveShapeAreaAndThresholds) {
    const std::vector<float> normal = integer_samples(400, 0, 9, 7);
    const std::vector<float> anomalous = integer_samples(250, 3, 12, 8);
    const std::vector<RocPoint> curve = roc_curve(normal, anomalous, 100000);
    expect_roc_shape(curve);
    EXPECT_EQ(curve.size(), 14u) << "13 distinct scores (0..12): one point each, plus (0,0)";
    EXPECT_NEAR(trapezoid_area(curve), auc(normal, anomalous), 1e-6);
    // Each point is exactly "error > threshold" on both sets.
    for (const RocPoint& p : curve) {
        EXPECT_FLOAT_EQ(p.false_alarm_rate, float(fraction_above(normal, p.threshold)));
        EXPECT_FLOAT_EQ(p.detection_rate, float(fraction_above(anomalous, p.threshold)));
    }

    // Continuous scores: many points, thinned.
    const std::vector<float> n2 = normal_samples(5000, 0, 1, 31);
    const std::vector<float> a2 = normal_samples(3000, 1.5f, 1, 32);
    const std::vector<RocPoint> full = roc_curve(n2, a2, 1 << 20);
    expect_roc_shape(full);
    std::vector<float> pooled = n2;
    pooled.insert(pooled.end(), a2.begin(), a2.end());
    std::sort(pooled.begin(), pooled.end());
    const size_t distinct = size_t(std::unique(pooled.begin(), pooled.end()) - pooled.begin());
    EXPECT_EQ(full.size(), distinct + 1) << "one point per distinct score, plus (0,0)";
    EXPECT_GT(distinct, 7900u);
    EXPECT_NEAR(trapezoid_area(full), auc(n2, a2), 1e-5);
    for (int max_points : {2, 17, 512}) {
        const std::vector<RocPoint> thin = roc_curve(n2, a2, max_points);
        EXPECT_EQ(int(thin.size()), max_points);
        expect_roc_shape(thin);
        EXPECT_NEAR(trapezoid_area(thin), auc(n2, a2), max_points >= 512 ? 2e-3 : 0.5);
    }
    EXPECT_TRUE(roc_curve({}, {1, 2}).empty());
}

TEST(AnomalyStats, ExtremeIndicesRespectMaskAndOrder) {
    const std::vector<float> values = {5, 1, 9, 3, 9, 7, 0, 2, 8, 4};
    const std::vector<bool> mask = {true, true, false, true, true, true, false, true, true, true};
    EXPECT_EQ(largest_indices(values, {}, 3), (std::vector<int>{2, 4, 8}));
    EXPECT_EQ(largest_indices(values, mask, 3), (std::vector<int>{4, 8, 5}));
    EXPECT_EQ(smallest_indices(values, {}, 2), (std::vector<int>{6, 1}));
    EXPECT_EQ(smallest_indices(values, mask, 3), (std::vector<int>{1, 7, 3}));
    EXPECT_EQ(largest_indices(values, mask, 100).size(), 8u) << "all that the mask lets in";
    EXPECT_TRUE(smallest_indices(values, mask, 0).empty());

    // Against a full sort on a larger random case.
    const std::vector<float> big = normal_samples(2000, 0, 1, 41);
    std::vector<bool> half(big.size());
    for (size_t i = 0; i < half.size(); ++i) half[i] = i % 3 != 0;
    std::vector<int> reference;
    for (int i = 0; i < int(big.size()); ++i)
        if (half[i]) reference.push_back(i);
    std::sort(reference.begin(), reference.end(), [&](int a, int b) { return big[a] > big[b]; });
    reference.resize(50);
    EXPECT_EQ(largest_indices(big, half, 50), reference);
    std::reverse(reference.begin(), reference.end());
    const std::vector<int> smallest = smallest_indices(big, half, int(big.size()));
    EXPECT_TRUE(std::equal(reference.begin(), reference.end(), smallest.end() - 50))
        << "the full ascending list ends with the 50 largest";
}

// Issue 20: 4σ printed "0.00 %". Every rate prints with enough digits to be read, and none
// rounds to nothing or to all.
TEST(FormatRate, SmallRatesKeepTheirDigits) {
    EXPECT_EQ(format_rate(gaussian_tail(4)), "0.0032\u00a0%");
    EXPECT_EQ(format_rate(gaussian_tail(3)), "0.13\u00a0%");
    EXPECT_EQ(format_rate(gaussian_tail(2)), "2.3\u00a0%");
    EXPECT_EQ(format_rate(1.0 / 9000), "0.011\u00a0%");
    EXPECT_EQ(format_rate(0.019), "1.9\u00a0%");
    EXPECT_EQ(format_rate(0.485), "48.5\u00a0%");
    EXPECT_EQ(format_rate(0), "0\u00a0%");
    EXPECT_EQ(format_rate(1), "100\u00a0%");
    EXPECT_EQ(format_rate(0.99999), ">\u00a099.9\u00a0%");
    EXPECT_EQ(format_rate(gaussian_tail(6)), "<\u00a00.0001\u00a0%");
    EXPECT_EQ(format_rate(std::numeric_limits<double>::quiet_NaN()), "n/a");
    // No positive rate prints as zero, at any size from 1e-12 to 1.
    for (double rate = 1e-12; rate < 1; rate *= 1.7) {
        const std::string text = format_rate(rate);
        EXPECT_EQ(text.find("0.00\u00a0%"), std::string::npos) << rate;
        EXPECT_NE(text, "0\u00a0%") << rate;
    }
}

TEST(GaussianComparison, SaysLongerShorterOrNoClearDifferenceFromTheNumbers) {
    const double g3 = gaussian_tail(3), g4 = gaussian_tail(4);
    // The lesson's figures: 1.9 % of 9,000 against 0.13 %.
    EXPECT_EQ(compare_with_gaussian(0.019, g3, 9000), TailComparison::Heavier);
    // Below the Gaussian's rate, beyond noise: the tail is shorter, never "long".
    EXPECT_EQ(compare_with_gaussian(0.0002, g3, 9000), TailComparison::Lighter);
    // 0 of 9,000 where a Gaussian expects 0.28: nothing to tell.
    EXPECT_EQ(compare_with_gaussian(0, g4, 9000), TailComparison::AsGaussian);
    // Within sampling noise either way, or within a factor of 1.25: no clear difference.
    EXPECT_EQ(compare_with_gaussian(0.0016, g3, 9000), TailComparison::AsGaussian);
    EXPECT_EQ(compare_with_gaussian(0.025, gaussian_tail(2), 1000000), TailComparison::AsGaussian);
    EXPECT_EQ(compare_with_gaussian(0.5, g3, 0), TailComparison::AsGaussian);

    const std::string longer = gaussian_comparison_sentence(3, 0.019, 9000);
    EXPECT_EQ(longer,
              "If the errors were Gaussian, 3.0σ would flag 0.13\u00a0% of normal samples; here it "
              "flags 1.9\u00a0% of 9000 normal test images: more, the errors' right tail is longer "
              "than a Gaussian's.");
    const std::string shorter = gaussian_comparison_sentence(3, 0.0002, 9000);
    EXPECT_NE(shorter.find("flags 0.02\u00a0%"), std::string::npos) << shorter;
    EXPECT_NE(shorter.find("shorter"), std::string::npos) << shorter;
    EXPECT_EQ(shorter.find("long"), std::string::npos) << shorter;
    const std::string none = gaussian_comparison_sentence(4, 0, 9000);
    EXPECT_NE(none.find("0.0032\u00a0%"), std::string::npos) << none;
    EXPECT_NE(none.find("no clear difference"), std::string::npos) << none;
    EXPECT_EQ(gaussian_comparison_sentence(3, 0, 0), "");
}
