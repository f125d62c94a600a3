// Tests of the plot module's pure helpers: ticks, labels, fitting, axis mapping, palette, and
// the 3-D view's rotation and drag.
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "app/plot/plot.h"
#include "app/plot/plot3d.h"

namespace {

// ---- Pure helpers ----

bool is_125_step(double step) {
    const double m = step / std::pow(10.0, std::floor(std::log10(step)));
    for (double want : {1.0, 2.0, 5.0, 10.0}) {
        if (std::fabs(m - want) < 1e-6) return true;
    }
    return false;
}

TEST(NiceTicks, RandomRangesUseNiceStepsWithinLimits) {
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> u(0, 1);
    for (int iter = 0; iter < 3000; ++iter) {
        const double width = std::pow(10.0, -9 + 18 * u(rng));
        const double centre = (2 * u(rng) - 1) * width * std::pow(10.0, 4 * u(rng));
        double lo = centre - 0.5 * width, hi = centre + 0.5 * width;
        const int max_ticks = 1 + static_cast<int>(u(rng) * 15);
        const std::vector<double> t =
            iter % 2 ? plot::nice_ticks(hi, lo, max_ticks) : plot::nice_ticks(lo, hi, max_ticks);
        SCOPED_TRACE(testing::Message() << "lo " << lo << " hi " << hi << " max " << max_ticks);
        ASSERT_FALSE(t.empty());
        ASSERT_LE(static_cast<int>(t.size()), max_ticks);
        // A 1/2/5 sequence whose next finer step gave too many ticks has at least a third.
        EXPECT_GE(static_cast<int>(t.size()), max_ticks / 3);
        const double tol = 1e-6 * width;
        for (double v : t) {
            EXPECT_GE(v, lo - tol);
            EXPECT_LE(v, hi + tol);
        }
        if (t.size() < 2) continue;
        const double step = t[1] - t[0];
        EXPECT_TRUE(is_125_step(step)) << "step " << step;
        for (size_t i = 1; i < t.size(); ++i) EXPECT_NEAR(t[i] - t[i - 1], step, 1e-6 * step);
        // Covering: no room for one more tick at either end.
        EXPECT_LT(t.front() - step, lo + tol);
        EXPECT_GT(t.back() + step, hi - tol);
    }
}

TEST(NiceTicks, IncludesBothEndsWhenTheyAreOnAStep) {
    const std::vector<double> t = plot::nice_ticks(0, 1, 6);
    ASSERT_EQ(t.size(), 6u);
    EXPECT_EQ(t.front(), 0.0);
    EXPECT_NEAR(t.back(), 1.0, 1e-12);
    EXPECT_NEAR(t[1], 0.2, 1e-12);
    const std::vector<double> n = plot::nice_ticks(-10, 10, 5);
    ASSERT_EQ(n.size(), 5u);
    EXPECT_EQ(n.front(), -10);
    EXPECT_EQ(n[2], 0.0);
    EXPECT_EQ(n.back(), 10);
}

TEST(NiceTicks, TinyWidthsStillGetNiceSteps) {
    const std::vector<double> t = plot::nice_ticks(0.5, 0.5 + 1e-9, 6);
    ASSERT_GE(t.size(), 2u);
    EXPECT_TRUE(is_125_step(t[1] - t[0]));
    EXPECT_NEAR(t[1] - t[0], 2e-10, 1e-15);
}

TEST(NiceTicks, DegenerateInputsGiveSomethingSensible) {
    for (double v : {0.0, 5.0, -3.0, 1e300}) {
        const std::vector<double> t = plot::nice_ticks(v, v, 5);
        ASSERT_EQ(t.size(), 1u);
        EXPECT_EQ(t[0], v);
    }
    EXPECT_TRUE(plot::nice_ticks(NAN, 1, 5).empty());
    EXPECT_TRUE(plot::nice_ticks(0, INFINITY, 5).empty());
    EXPECT_TRUE(plot::nice_ticks(0, 1, 0).empty());
    const std::vector<double> huge = plot::nice_ticks(-1e308, 1e308, 7);
    ASSERT_FALSE(huge.empty());
    EXPECT_LE(huge.size(), 7u);
    for (double v : huge) EXPECT_TRUE(std::isfinite(v));
    const std::vector<double> ulps = plot::nice_ticks(1.0, 1.0 + 1e-15, 5);
    ASSERT_EQ(ulps.size(), 1u);
    EXPECT_NEAR(ulps[0], 1.0, 1e-14);
    EXPECT_EQ(plot::nice_ticks(3, 1, 5), plot::nice_ticks(1, 3, 5));
    EXPECT_EQ(plot::nice_ticks(0.31, 0.39, 1).size(), 1u);
}

TEST(LogTicks, WideRangesArePowersOfTen) {
    for (auto [lo, hi, max_ticks] : {std::tuple{1e-6, 1e3, 10}, std::tuple{1e-30, 1e30, 5},
                                     std::tuple{0.37, 4.2e7, 8}, std::tuple{1e-3, 1.0, 4}}) {
        const std::vector<double> t = plot::log_ticks(lo, hi, max_ticks);
        SCOPED_TRACE(testing::Message() << lo << ".." << hi);
        ASSERT_GE(t.size(), 2u);
        EXPECT_LE(static_cast<int>(t.size()), max_ticks);
        for (size_t i = 0; i < t.size(); ++i) {
            const double e = std::log10(t[i]);
            EXPECT_NEAR(e, std::round(e), 1e-9);
            EXPECT_GE(t[i], lo * (1 - 1e-9));
            EXPECT_LE(t[i], hi * (1 + 1e-9));
            if (i > 0) {
                EXPECT_GT(t[i], t[i - 1]);
            }
        }
    }
    EXPECT_EQ(plot::log_ticks(1e-6, 1e3, 10).size(), 10u);
}

TEST(LogTicks, ShortRangesAdd2And5) {
    const std::vector<double> t = plot::log_ticks(0.01, 0.5, 10);
    const auto has = [&](double v) {
        for (double x : t) {
            if (std::fabs(x - v) < 1e-12) return true;
        }
        return false;
    };
    EXPECT_TRUE(has(0.01) && has(0.02) && has(0.05) && has(0.1) && has(0.2) && has(0.5));
    const std::vector<double> inside = plot::log_ticks(2, 8, 5);  // no power of ten inside
    ASSERT_FALSE(inside.empty());
    for (double v : inside) EXPECT_TRUE(v >= 2 && v <= 8);
    EXPECT_TRUE(plot::log_ticks(-5, -1, 5).empty());
}

// The PCA panel's error axis, 0.0204 … 0.0913 with one tick, read "5.000e-02": a lone tick
// was labelled to the axis's range as if it were a step.
TEST(FormatTick, ALoneTickIsLabelledToItsOwnPrecision) {
    const std::vector<double> lone = {0.05};
    EXPECT_EQ(plot::format_tick(0.05, plot::label_step(lone, 0, 0.0204, 0.0913, false)), "0.05");
    const std::vector<double> two = {0.04, 0.06};
    EXPECT_EQ(plot::format_tick(0.06, plot::label_step(two, 1, 0.0204, 0.0913, false)), "0.06");
    const std::vector<double> log = {0.01, 0.1, 1};
    EXPECT_EQ(plot::format_tick(1, plot::label_step(log, 2, 0.005, 2, true)), "1");
    EXPECT_EQ(plot::format_tick(0.01, plot::label_step(log, 0, 0.005, 2, true)), "0.01");
}

TEST(FormatTick, DecimalsFollowTheStep) {
    EXPECT_EQ(plot::format_tick(0.25, 0.25), "0.25");
    EXPECT_EQ(plot::format_tick(0.5, 0.25), "0.50");
    EXPECT_EQ(plot::format_tick(3, 1), "3");
    EXPECT_EQ(plot::format_tick(3000, 1000), "3000");
    EXPECT_EQ(plot::format_tick(12000, 2000), "12k");
    EXPECT_EQ(plot::format_tick(12500, 500), "12.5k");
    EXPECT_EQ(plot::format_tick(2e6, 1e6), "2M");
    EXPECT_EQ(plot::format_tick(1e-4, 1e-4), "1e-04");
    EXPECT_EQ(plot::format_tick(1.5e-4, 5e-5), "1.5e-04");
    EXPECT_EQ(plot::format_tick(0.001, 0.001), "0.001");
    EXPECT_EQ(plot::format_tick(0.30000000000000004, 0.1), "0.3");
    EXPECT_EQ(plot::format_tick(-0.5, 0.5), "-0.5");
    EXPECT_EQ(plot::format_tick(1e-17, 0.1), "0");
    EXPECT_EQ(plot::format_tick(-1e-3, 1), "0");
    EXPECT_EQ(plot::format_tick(0, 0), "0");
    EXPECT_EQ(plot::format_tick(NAN, 1), "nan");
}

TEST(FitRange, ContainsTheInputWithAMargin) {
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> u(-1000, 1000);
    for (int i = 0; i < 1000; ++i) {
        const double a = u(rng), b = u(rng);
        double lo, hi;
        plot::fit_range(a, b, plot::Scale::Linear, lo, hi);
        EXPECT_LT(lo, std::min(a, b));
        EXPECT_GT(hi, std::max(a, b));
        EXPECT_LT(hi - lo, 1.2 * std::fabs(a - b) + 1e-9);
    }
    double lo, hi;
    plot::fit_range(5, 5, plot::Scale::Linear, lo, hi);  // flat
    EXPECT_LT(lo, 5);
    EXPECT_GT(hi, 5);
    plot::fit_range(0, 0, plot::Scale::Linear, lo, hi);
    EXPECT_LT(lo, 0);
    EXPECT_GT(hi, 0);
    plot::fit_range(NAN, 1, plot::Scale::Linear, lo, hi);
    EXPECT_EQ(lo, 0);
    EXPECT_EQ(hi, 1);
    plot::fit_range(1e-3, 10, plot::Scale::Log10, lo, hi);
    EXPECT_GT(lo, 0);
    EXPECT_LT(lo, 1e-3);
    EXPECT_GT(hi, 10);
    EXPECT_NEAR(std::log10(1e-3) - std::log10(lo), std::log10(hi) - std::log10(10), 1e-9);
    plot::fit_range(-1, 10, plot::Scale::Log10, lo, hi);
    EXPECT_GT(lo, 0);
    EXPECT_GT(hi, 10);
    plot::fit_range(NAN, NAN, plot::Scale::Log10, lo, hi);
    EXPECT_GT(lo, 0);
    EXPECT_GT(hi, lo);
}

TEST(AxisFraction, RoundTripsLinearAndLog) {
    std::mt19937 rng(11);
    std::uniform_real_distribution<double> u(0, 1);
    for (int i = 0; i < 1000; ++i) {
        const double lo = -50 + 100 * u(rng), hi = lo + 1e-3 + 100 * u(rng), f = 2 * u(rng) - 0.5;
        const double v = plot::from_axis_fraction(f, lo, hi, plot::Scale::Linear);
        EXPECT_NEAR(plot::to_axis_fraction(v, lo, hi, plot::Scale::Linear), f, 1e-9);
        const double llo = std::pow(10.0, -8 + 10 * u(rng)), lhi = llo * (1.01 + 1e6 * u(rng));
        const double lv = plot::from_axis_fraction(f, llo, lhi, plot::Scale::Log10);
        EXPECT_NEAR(plot::to_axis_fraction(lv, llo, lhi, plot::Scale::Log10), f, 1e-9);
    }
    EXPECT_DOUBLE_EQ(plot::to_axis_fraction(10, 1, 100, plot::Scale::Log10), 0.5);
    EXPECT_DOUBLE_EQ(plot::to_axis_fraction(50, 0, 100, plot::Scale::Linear), 0.5);
}

TEST(Palette, TenDistinctColours) {
    for (int i = 0; i < 10; ++i) {
        for (int j = 0; j < i; ++j) EXPECT_NE(plot::palette_color(i), plot::palette_color(j));
        EXPECT_EQ(plot::palette_color(i), plot::palette_color(i + 10));
        EXPECT_EQ(plot::palette_color(i) >> IM_COL32_A_SHIFT, 255u);
    }
    EXPECT_EQ(plot::palette_color(0, 0.0f) >> IM_COL32_A_SHIFT, 0u);
}

TEST(Plot3dRotation, UnturnedViewLooksAlongY) {
    const plot::View3d flat{0.0f, 0.0f};
    const auto x = plot::rotate_to_camera(flat, 1, 0, 0);
    const auto y = plot::rotate_to_camera(flat, 0, 1, 0);
    const auto z = plot::rotate_to_camera(flat, 0, 0, 1);
    for (int k = 0; k < 3; ++k) {
        EXPECT_NEAR(x[k], k == 0, 1e-12) << "x is right";
        EXPECT_NEAR(z[k], k == 1, 1e-12) << "z is up";
        EXPECT_NEAR(y[k], k == 2, 1e-12) << "y points away";
    }
    // Looking down from above, the top of the scene is nearer and the far side higher.
    const plot::View3d above{0.0f, 0.5f};
    EXPECT_LT(plot::rotate_to_camera(above, 0, 0, 1)[2], 0);
    EXPECT_GT(plot::rotate_to_camera(above, 0, 1, 0)[1], 0);
    // A quarter turn of yaw brings x round to face away and y to the left.
    const plot::View3d quarter{static_cast<float>(M_PI / 2), 0.0f};
    EXPECT_NEAR(plot::rotate_to_camera(quarter, 1, 0, 0)[2], 1, 1e-7);
    EXPECT_NEAR(plot::rotate_to_camera(quarter, 0, 1, 0)[0], -1, 1e-7);
}

TEST(Plot3dRotation, KeepsLengthsAndAngles) {
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(-1, 1);
    for (int i = 0; i < 1000; ++i) {
        const plot::View3d view{static_cast<float>(4 * u(rng)), static_cast<float>(1.5 * u(rng))};
        const double a[3] = {10 * u(rng), 10 * u(rng), 10 * u(rng)};
        const double b[3] = {u(rng), u(rng), u(rng)};
        const auto ra = plot::rotate_to_camera(view, a[0], a[1], a[2]);
        const auto rb = plot::rotate_to_camera(view, b[0], b[1], b[2]);
        double dot = 0, rdot = 0, len = 0, rlen = 0;
        for (int k = 0; k < 3; ++k) {
            dot += a[k] * b[k], rdot += ra[k] * rb[k];
            len += a[k] * a[k], rlen += ra[k] * ra[k];
        }
        EXPECT_NEAR(rlen, len, 1e-9 * (1 + len));
        EXPECT_NEAR(rdot, dot, 1e-9 * (1 + std::fabs(dot) + len));
    }
}

TEST(Plot3dDrag, RightTurnsTheSceneRightAndPitchClamps) {
    plot::View3d view;
    const plot::View3d start = view;
    const double near_before = plot::rotate_to_camera(view, 0, -1, 0)[0];
    plot::drag_view(view, 20, 0);
    EXPECT_GT(view.yaw, start.yaw);
    EXPECT_EQ(view.pitch, start.pitch);
    EXPECT_GT(plot::rotate_to_camera(view, 0, -1, 0)[0], near_before)
        << "the side facing the viewer should follow the mouse to the right";
    plot::drag_view(view, 0, 10);
    EXPECT_GT(view.pitch, start.pitch);  // a drag down looks further from above
    plot::drag_view(view, 0, 1e5f);
    EXPECT_EQ(view.pitch, 1.5f);
    plot::drag_view(view, 0, -1e6f);
    EXPECT_EQ(view.pitch, -1.5f);
    // A long spin stays within one turn, where a float keeps its precision.
    for (int i = 0; i < 1000; ++i) plot::drag_view(view, 997, 0);
    EXPECT_LE(std::fabs(view.yaw), static_cast<float>(M_PI) + 1e-6f);
}

}  // namespace
