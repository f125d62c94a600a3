// The statistics of the 3σ anomaly-detection lesson: the reconstruction errors' mean and σ,
// the share above a threshold against the Gaussian promise, ROC curve and AUC, and the
// samples to show in the galleries. Pure functions; any thread.
//
// Scores are per-sample errors; "anomalous if error > t" throughout (strictly above).
#pragma once

#include <string>
#include <vector>

namespace aelab {

struct MeanSigma {
    double mean = 0;
    double sigma = 0;  // population standard deviation (divides by N, not N − 1)
};

// Mean and σ of the values, accumulated in double in two passes (errors are all of one sign
// and similar size, where Σx² − N·μ² would cancel). {0, 0} when empty; NaN propagates.
MeanSigma mean_and_sigma(const std::vector<float>& values);

// Fraction of values strictly above t (0 for an empty set; NaN is never above).
double fraction_above(const std::vector<float>& values, double t);

// The same on values sorted ascending (no NaN), by binary search: O(log N), so the UI can
// call it every frame as a slider moves.
double fraction_above_sorted(const std::vector<float>& sorted_values, double t);

// What the Gaussian rule promises: P(X > μ + kσ) for X ~ N(μ, σ²) = 1 − Φ(k) = ½ erfc(k/√2).
double gaussian_tail(double k);

// A rate (a fraction in [0, 1]) as a percentage that never rounds a small rate to nothing:
// "48.5 %", "1.9 %" from 1 % up, two significant digits below ("0.13 %", "0.0032 %"), "0 %" for
// none, "< 0.0001 %" below that (a Gaussian's 6σ tail), "> 99.9 %" for all but a few. NaN
// prints "n/a". The spaces are no-break spaces: a wrapped line never parts a figure from its %.
std::string format_rate(double fraction);

// How the share of normal samples above t = μ + kσ compares with what a Gaussian promises
// (1 − Φ(k)), given how many samples measured it: a difference counts when it is beyond
// sampling noise (two binomial standard deviations of the expected count, and half a count)
// and a factor of 1.25 or more either way.
enum class TailComparison { Heavier, AsGaussian, Lighter };
TailComparison compare_with_gaussian(double measured_rate, double gaussian_rate, int samples);

// The sentence under the rates, built from the numbers on screen: what a Gaussian would flag
// at kσ, what the rule flags among `samples` normal test images, and what that says about the
// errors' right tail (a longer one, a shorter one, or no clear difference on that many). ""
// when there are no samples.
std::string gaussian_comparison_sentence(double k, double measured_rate, int samples);

struct RocPoint {
    float false_alarm_rate;  // fraction of normal samples with error > threshold
    float detection_rate;    // fraction of anomalous samples with error > threshold
    float threshold;         // +∞ at (0,0), −∞ at (1,1), one of the scores in between
};

// The ROC curve of "anomalous if error > t" over every distinct threshold: (0,0) at t = +∞,
// then one point per distinct score below the largest, then (1,1) at t = −∞. Inputs need not
// be sorted; equal scores move both rates in one step (a diagonal segment). At most
// max_points (≥ 2) points, thinned evenly by index with both endpoints kept. Empty when
// either set is empty; NaN scores are skipped (they have no order).
std::vector<RocPoint> roc_curve(const std::vector<float>& normal,
                                const std::vector<float>& anomalous, int max_points = 512);

// Area under the ROC curve = P(error of a random anomalous sample > that of a random normal
// one) + ½ P(equal): the Mann–Whitney U / (N_normal·N_anomalous), from average ranks of the
// pooled sorted scores, O((N+M) log(N+M)). NaN when either set is empty; NaN scores skipped.
double auc(const std::vector<float>& normal, const std::vector<float>& anomalous);

// Indices of the `count` largest (descending) or smallest (ascending) values among those with
// mask[i] true (mask empty = all; else mask.size() == values.size()), for the galleries.
// Fewer when fewer qualify; equal values in index order; NaN values skipped.
std::vector<int> largest_indices(const std::vector<float>& values, const std::vector<bool>& mask,
                                 int count);
std::vector<int> smallest_indices(const std::vector<float>& values, const std::vector<bool>& mask,
                                  int count);

}  // namespace aelab
