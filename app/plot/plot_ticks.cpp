// The plot module's pure helpers: palette, tick positions, tick labels, axis fitting and the
// value ↔ axis-fraction mapping. No ImGui state is touched here, so any thread may use them.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "app/plot/plot_internal.h"

namespace plot {

namespace {

// Position of the last significant digit of a step (0.25 → −2, 2000 → 3), so a label shows
// exactly the digits that change from tick to tick.
int last_digit(double step) {
    const int top = static_cast<int>(std::floor(std::log10(step)));
    // Three more digits cover 1/2/5 steps and the 0.25-like steps of a readout; past that a
    // step is not "nice" and more digits would only show noise.
    for (int p = top; p > top - 3; --p) {
        const double t = step / std::pow(10.0, p);
        if (std::fabs(t - std::round(t)) < 1e-6 * t) return p;
    }
    return top - 3;
}

}  // namespace

ImU32 palette_color(int i, float alpha) {
    // matplotlib's tab10, with blue and brown lifted a little so they still read on
    // ImGui's dark window background; the rest are mid-luminance and read on both themes.
    static constexpr ImU32 rgb[10] = {0x3a8fd6, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd,
                                      0xa9705f, 0xe377c2, 0x8c8c8c, 0xbcbd22, 0x17becf};
    const ImU32 c = rgb[((i % 10) + 10) % 10];
    const int a = static_cast<int>(std::clamp(alpha, 0.0f, 1.0f) * 255.0f + 0.5f);
    return IM_COL32((c >> 16) & 0xff, (c >> 8) & 0xff, c & 0xff, a);
}

namespace detail {

void nice_ticks_into(double lo, double hi, int max_ticks, std::vector<double>& out) {
    out.clear();
    if (max_ticks < 1 || !std::isfinite(lo) || !std::isfinite(hi)) return;
    if (lo > hi) std::swap(lo, hi);
    const double range = hi - lo;
    if (!std::isfinite(range)) {  // wider than the largest double: no step is representable
        out.push_back(lo);
        if (max_ticks >= 2) out.push_back(hi);
        return;
    }
    // Below ~1e-13 of the magnitude, multiples of a step collapse onto the same doubles.
    if (range <= 1e-13 * std::max(std::fabs(lo), std::fabs(hi))) {
        out.push_back(lo + 0.5 * range);
        return;
    }
    static constexpr double mult[3] = {1, 2, 5};
    // Steps ascend from just below range/max_ticks; the first that fits has the most ticks.
    double decade = std::pow(10.0, std::floor(std::log10(range / max_ticks)));
    double finer = 0;
    for (int k = 0; k < 60; ++k) {
        const double step = decade * mult[k % 3];
        if (k % 3 == 2) decade *= 10;
        const double first = std::ceil(lo / step - 1e-9);
        const double last = std::floor(hi / step + 1e-9);
        const double n = last - first + 1;
        if (n > max_ticks) {
            finer = step;
            continue;
        }
        if (n >= 1) {
            for (int i = 0; i < static_cast<int>(n); ++i) {
                double v = (first + i) * step;
                if (std::fabs(v) < 1e-9 * step) v = 0;  // no "-0" or 1e-17 at the origin
                out.push_back(v);
            }
        } else if (finer > 0) {
            // No multiple of this step lies inside: one tick of the finer step, mid-range.
            out.push_back(std::round(0.5 * (lo + hi) / finer) * finer);
        } else {
            out.push_back(0.5 * (lo + hi));
        }
        return;
    }
    out.push_back(0.5 * (lo + hi));
}

void log_ticks_into(double lo, double hi, int max_ticks, std::vector<double>& out) {
    out.clear();
    if (max_ticks < 1 || !std::isfinite(lo) || !std::isfinite(hi)) return;
    if (lo > hi) std::swap(lo, hi);
    if (hi <= 0) return;
    if (lo <= 0) lo = hi * 1e-3;  // outside the contract; show three decades below hi
    const double l = std::log10(lo), h = std::log10(hi);
    const int e0 = static_cast<int>(std::ceil(l - 1e-9));
    const int e1 = static_cast<int>(std::floor(h + 1e-9));
    if (h - l < 3) {
        // A short range has too few powers of ten to read values off: add 2× and 5×.
        for (int e = e0 - 1; e <= e1; ++e) {
            for (double m : {1.0, 2.0, 5.0}) {
                const double v = m * std::pow(10.0, e);
                if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) out.push_back(v);
            }
        }
        if (static_cast<int>(out.size()) <= max_ticks && out.size() >= 2) return;
        if (out.size() < 2) {  // within one decade the axis is nearly linear
            nice_ticks_into(lo, hi, max_ticks, out);
            return;
        }
        out.clear();
    }
    const int n = e1 - e0 + 1;
    if (n <= 0) return;
    // Every k-th power, on multiples of k so the ticks stay put while the range grows.
    const int k = (n + max_ticks - 1) / max_ticks;
    int e = e0 >= 0 ? (e0 + k - 1) / k * k : -((-e0) / k * k);
    for (; e <= e1; e += k) out.push_back(std::pow(10.0, e));
    if (out.empty()) out.push_back(std::pow(10.0, e0));
}

int format_tick_into(char* buf, int size, double value, double step) {
    if (!std::isfinite(value)) return std::snprintf(buf, size, "%g", value);
    step = std::fabs(step);
    if (!std::isfinite(step) || step == 0) step = value != 0 ? std::fabs(value) : 1.0;
    const double a = std::fabs(value);
    if (a < 1e-9 * step || a == 0) return std::snprintf(buf, size, "0");
    const int p = last_digit(step);
    int n = 0;
    if (a >= 1e15 || p <= -4) {
        // Scientific, with mantissa digits down to the step's last digit.
        const int e = static_cast<int>(std::floor(std::log10(a)));
        n = std::snprintf(buf, size, "%.*e", std::clamp(e - p, 0, 12), value);
    } else if (a >= 1e4) {
        static constexpr char suffix[] = {'k', 'M', 'G', 'T'};
        const int group = std::clamp(static_cast<int>(std::floor(std::log10(a) / 3)), 1, 4);
        const double scaled = value / std::pow(10.0, 3 * group);
        n = std::snprintf(buf, size, "%.*f%c", std::clamp(3 * group - p, 0, 12), scaled,
                          suffix[group - 1]);
    } else {
        n = std::snprintf(buf, size, "%.*f", std::clamp(-p, 0, 12), value);
    }
    // A value that rounds to zero at this precision is "0", never "-0.00".
    if (buf[0] == '-' && std::strspn(buf + 1, "0.") == std::strlen(buf + 1)) {
        std::memmove(buf, buf + 1, std::strlen(buf));
        --n;
    }
    return n;
}

}  // namespace detail

std::vector<double> nice_ticks(double lo, double hi, int max_ticks) {
    std::vector<double> out;
    detail::nice_ticks_into(lo, hi, max_ticks, out);
    return out;
}

std::vector<double> log_ticks(double lo, double hi, int max_ticks) {
    std::vector<double> out;
    detail::log_ticks_into(lo, hi, max_ticks, out);
    return out;
}

double label_step(const std::vector<double>& ticks, size_t i, double lo, double hi, bool log) {
    if (i < ticks.size() && (log || ticks.size() == 1)) return ticks[i];
    return ticks.size() >= 2 ? ticks[1] - ticks[0] : hi - lo;
}

std::string format_tick(double value, double step) {
    char buf[64];
    detail::format_tick_into(buf, sizeof buf, value, step);
    return buf;
}

void fit_range(double lo, double hi, Scale scale, double& out_lo, double& out_hi) {
    if (!std::isfinite(lo) || !std::isfinite(hi)) {
        out_lo = scale == Scale::Log10 ? 0.1 : 0.0;  // 0 cannot lie on a log axis
        out_hi = 1.0;
        return;
    }
    if (lo > hi) std::swap(lo, hi);
    if (scale == Scale::Log10) {
        if (hi <= 0) {
            out_lo = 0.1;
            out_hi = 1.0;
            return;
        }
        if (lo <= 0) lo = hi * 0.1;
        double l = std::log10(lo), h = std::log10(hi);
        const double pad = h > l ? 0.05 * (h - l) : 0.5;
        l -= pad;
        h += pad;
        out_lo = std::pow(10.0, std::max(l, -300.0));
        out_hi = std::pow(10.0, std::min(h, 300.0));
        return;
    }
    const double range = hi - lo;
    if (!std::isfinite(range)) {  // padding would overflow
        out_lo = lo;
        out_hi = hi;
        return;
    }
    // A flat series is widened by a tenth of its magnitude so it sits mid-plot.
    const double pad = range > 0 ? 0.05 * range : (lo != 0 ? 0.1 * std::fabs(lo) : 0.5);
    out_lo = lo - pad;
    out_hi = hi + pad;
    if (out_lo == out_hi) {  // denormal magnitudes: the pad vanished
        out_lo = lo - 0.5;
        out_hi = hi + 0.5;
    }
}

double to_axis_fraction(double value, double lo, double hi, Scale scale) {
    if (scale == Scale::Log10) {
        const double l = std::log10(lo), h = std::log10(hi);
        return h != l ? (std::log10(value) - l) / (h - l) : 0.0;
    }
    return hi != lo ? (value - lo) / (hi - lo) : 0.0;
}

double from_axis_fraction(double fraction, double lo, double hi, Scale scale) {
    if (scale == Scale::Log10) {
        const double l = std::log10(lo), h = std::log10(hi);
        return std::pow(10.0, l + fraction * (h - l));
    }
    return lo + fraction * (hi - lo);
}

}  // namespace plot
