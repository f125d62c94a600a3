// Tests of the plot module's drawing and interaction through headless ImGui frames (no
// renderer, as ImPlot's CI runs them).
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <functional>
#include <new>
#include <random>
#include <vector>

#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>

#include "app/plot/plot.h"
#include "app/plot/plot3d.h"

// Counts heap allocations, so a test can prove a warm plot frame makes none.
namespace {
std::atomic<long> g_allocations{0};
}
void* operator new(std::size_t size) {
    ++g_allocations;
    if (void* p = std::malloc(size ? size : 1)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
    std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    std::free(p);
}

namespace {

// ---- Headless ImGui frames ----

// An ImGui context with a built font atlas and no renderer; each frame draws one window "w"
// at the origin and runs `body` inside it.
class Headless {
public:
    Headless() : m_context(ImGui::CreateContext()) {
        ImGuiIO& io = ImGui::GetIO();
        io.DisplaySize = ImVec2(1280, 720);
        io.DeltaTime = 1.0f / 60.0f;
        io.IniFilename = nullptr;
        io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // as the GL3 backend
        unsigned char* pixels = nullptr;
        int w = 0, h = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    }
    ~Headless() { ImGui::DestroyContext(m_context); }

    void frame(const std::function<void()>& body) {
        ImGui::NewFrame();
        ImGui::SetNextWindowPos(ImVec2(0, 0));
        ImGui::SetNextWindowSize(ImVec2(800, 600));
        ImGui::Begin("w", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize);
        body();
        ImGui::End();
        ImGui::Render();
    }
    int vertices() const { return ImGui::FindWindowByName("w")->DrawList->VtxBuffer.Size; }
    // Whether a tooltip was open in the last frame.
    bool tooltip_shown() const {
        const ImGuiWindow* tip = ImGui::FindWindowByName("##Tooltip_00");
        return tip && tip->LastFrameActive == ImGui::GetFrameCount();
    }
    void mouse(ImVec2 pos, bool down = false, float wheel = 0) {
        ImGuiIO& io = ImGui::GetIO();
        io.MousePos = pos;
        io.MouseDown[0] = down;
        io.MouseWheel = wheel;
    }
    // A left click at `pos` as a person gives it: moved there, pressed, released, with
    // `draw` (one frame) run after each.
    void click(ImVec2 pos, const std::function<void()>& draw) {
        for (bool down : {false, true, false}) {
            mouse(pos, down);
            draw();
        }
    }

private:
    ImGuiContext* m_context;
};

ImVec2 centre(const plot::PixelRect& r) {
    return ImVec2(0.5f * (r.min.x + r.max.x), 0.5f * (r.min.y + r.max.y));
}

struct Series {
    std::vector<float> x, small, huge, lo, hi;
    explicit Series(int n) {
        for (int i = 0; i < n; ++i) {
            x.push_back(static_cast<float>(i));
            small.push_back(std::sin(0.1f * i));
            huge.push_back(1000.0f + i);
            lo.push_back(small.back() - 0.2f);
            hi.push_back(small.back() + 0.2f);
        }
    }
};

TEST(PlotFrames, ItemsAddVertices) {
    Headless h;
    const Series s(200);
    int empty = 0, few = 0, many = 0;
    // The same axes in every frame, so only the items change the vertex count.
    const auto fixed_limits = [] {
        plot::setup_axis_limits(plot::Axis::X, 0, 200);
        plot::setup_axis_limits(plot::Axis::Y, -1.5, 1.5);
    };
    for (int f = 0; f < 3; ++f) {
        h.frame([&] {
            if (plot::begin_plot("##v", ImVec2(0, 0))) {
                fixed_limits();
                plot::end_plot();
            }
        });
        empty = h.vertices();
        h.frame([&] {
            if (plot::begin_plot("##v", ImVec2(0, 0))) {
                fixed_limits();
                plot::plot_line("a", s.x.data(), s.small.data(), 10);
                plot::end_plot();
            }
        });
        few = h.vertices();
        h.frame([&] {
            if (plot::begin_plot("##v", ImVec2(0, 0))) {
                fixed_limits();
                plot::plot_line("a", s.x.data(), s.small.data(), 200);
                plot::plot_band("a", s.x.data(), s.lo.data(), s.hi.data(), 200);
                plot::end_plot();
            }
        });
        many = h.vertices();
    }
    EXPECT_GT(few, empty);
    EXPECT_GT(many, few + 1000);
}

TEST(PlotFrames, FiveHundredFramesOfEveryItemKind) {
    Headless h;
    const Series s(300);
    std::vector<float> values(1000);
    std::mt19937 rng(1);
    std::normal_distribution<float> normal(0, 1);
    for (float& v : values) v = normal(rng);
    const double marks[2] = {50, 120};
    const char* mark_labels[2] = {"lr 1e-3", "noise 0.2"};
    const ImU32 bar_colors[3] = {plot::palette_color(3), plot::palette_color(4), 0xff00ff00};
    const float bars[3] = {1, 3, 2};
    int drawn = 0, sane_limits = 0, full_frames = 0, tooltips = 0;
    int fewest_vertices = 1 << 30;
    for (int f = 0; f < 500; ++f) {
        // Sweep the mouse over both plots, with clicks, drags and wheel turns on the way.
        const float t = static_cast<float>(f) / 500;
        h.mouse(ImVec2(40 + 700 * t, 60 + 500 * std::fabs(std::sin(9 * t))), (f / 7) % 3 == 0,
                f % 11 == 0 ? 1.0f : (f % 13 == 0 ? -1.0f : 0.0f));
        h.frame([&] {
            plot::PlotOptions options;
            options.x_label = "step";
            options.y_label = "loss";
            options.pan_zoom = (f / 100) % 2 == 0;
            if (plot::begin_plot("##all", ImVec2(-1, 280), options)) {
                plot::setup_axis(plot::Axis::Y,
                                 f % 200 < 100 ? plot::Scale::Log10 : plot::Scale::Linear);
                plot::setup_axis_limits(plot::Axis::X, 0, 250, false);
                plot::plot_band("train", s.x.data(), s.lo.data(), s.hi.data(), 300);
                plot::plot_line("train", s.x.data(), s.small.data(), 300);
                plot::plot_line("implicit", s.huge.data(), 300, 0.0, 0.5);
                plot::plot_scatter("pts", s.x.data(), s.small.data(), 50, 0, 3.0f);
                plot::plot_bars("bars", bars, 3, 10, 20, 8, 0, bar_colors);
                plot::plot_hline("target", 0.5);
                plot::plot_vline("##now", 100);
                plot::plot_markers(marks, mark_labels, 2);
                plot::plot_image(reinterpret_cast<ImTextureID>(1), 0, 0, 40, 1);
                plot::plot_text(20, 0.5, "note");
                // Zoom, pan and log/linear switches must never leave the view empty or NaN.
                const plot::Limits l = plot::current_limits();
                if (std::isfinite(l.x_lo) && std::isfinite(l.x_hi) && std::isfinite(l.y_lo) &&
                    std::isfinite(l.y_hi) && l.x_lo < l.x_hi && l.y_lo < l.y_hi)
                    ++sane_limits;
                plot::end_plot();
                ++drawn;
            }
            if (plot::begin_plot("##hist", ImVec2(0, 0))) {
                plot::plot_histogram("w", values.data(), 1000, 40, -4, 4, 0, f % 2 == 0);
                plot::plot_histogram("b", values.data(), 500, 0, 0, 1);  // no bins: nothing
                plot::end_plot();
            }
        });
        // Every frame ends balanced (no window or ID left pushed) and draws its items.
        ImGuiContext& g = *ImGui::GetCurrentContext();
        const ImGuiWindow* w = ImGui::FindWindowByName("w");
        if (g.CurrentWindowStack.Size == 0 && w->IDStack.Size == 1) ++full_frames;
        fewest_vertices = std::min(fewest_vertices, h.vertices());
        tooltips += h.tooltip_shown();
    }
    EXPECT_EQ(drawn, 500);
    EXPECT_EQ(sane_limits, 500) << "a view became empty, inverted or NaN";
    EXPECT_EQ(full_frames, 500) << "a frame left a window or an ID pushed";
    // Band, 300-point lines, scatter, bars, image and 40 histogram bins: thousands of vertices.
    EXPECT_GT(fewest_vertices, 3000) << "some frame drew (almost) nothing";
    EXPECT_GT(tooltips, 10) << "the sweeping mouse should raise the hover read-out";
}

TEST(PlotFrames, LegendClickHidesAnItemAndRefits) {
    Headless h;
    const Series s(100);
    plot::Limits limits;
    plot::PixelRect legend;
    bool hidden = false;
    const auto draw = [&] {
        h.frame([&] {
            if (plot::begin_plot("##legend", ImVec2(0, 0))) {
                plot::plot_line("small", s.x.data(), s.small.data(), 100);
                plot::plot_line("huge", s.x.data(), s.huge.data(), 100);
                plot::end_plot();
            }
            limits = plot::current_limits();
            legend = plot::legend_rect();
            hidden = plot::is_item_hidden("##legend", "huge");
        });
    };
    // The legend's second row, wherever the legend went: 4 px padding, one text line per row.
    const auto second_row = [&] {
        return ImVec2(legend.max.x - 8, legend.min.y + 4 + 1.5f * ImGui::GetTextLineHeight());
    };
    for (int f = 0; f < 3; ++f) draw();
    EXPECT_GT(limits.y_hi, 1000);
    EXPECT_FALSE(hidden);
    ASSERT_GT(legend.max.x, legend.min.x) << "a legend is shown";
    h.click(second_row(), draw);
    EXPECT_TRUE(hidden);
    EXPECT_LT(limits.y_hi, 10);
    h.mouse(ImVec2(-100, -100));
    draw();
    h.click(second_row(), draw);
    EXPECT_FALSE(hidden);
    EXPECT_GT(limits.y_hi, 1000);
}

// A plot too short for its legend draws none (rather than a box cut by the plot's edge): a
// click where its first row would be falls on the plot and hides nothing. height_for_legend()
// is where the legend starts to fit: at that height the same click hides the first line.
TEST(PlotFrames, APlotTooSmallForItsLegendShowsNone) {
    const auto click_first_row = [](float height) {
        Headless h;
        const Series s(100);
        plot::PixelRect rect;
        bool hidden = false;
        const auto draw = [&] {
            h.frame([&] {
                if (plot::begin_plot("##short", ImVec2(300, height))) {
                    plot::plot_line("small", s.x.data(), s.small.data(), 100);
                    plot::plot_line("huge", s.x.data(), s.huge.data(), 100);
                    plot::end_plot();
                }
                rect = plot::plot_rect();
                hidden = plot::is_item_hidden("##short", "small") ||
                         plot::is_item_hidden("##short", "huge");
            });
        };
        for (int f = 0; f < 3; ++f) draw();
        const float line_h = ImGui::GetTextLineHeight();
        const ImVec2 row(rect.max.x - 8, rect.min.y + 6 + 4 + 0.5f * line_h);  // the first row's
        EXPECT_LT(row.y, rect.max.y);
        h.click(row, draw);
        return hidden;
    };
    float fits = 0;
    {
        Headless h;  // the font's line height, as the plots will have it
        h.frame([&] { fits = plot::height_for_legend(2); });
    }
    EXPECT_FALSE(click_first_row(fits - 3)) << "no legend: the click lands on the plot";
    EXPECT_TRUE(click_first_row(fits)) << "the legend fits and its first row is clicked";
}

TEST(PlotFrames, HoverShowsATooltip) {
    Headless h;
    const Series s(100);
    const double mark[1] = {50};
    const char* mark_label[1] = {"lr changed"};
    plot::PixelRect rect;
    plot::PlotOptions options;
    const auto draw = [&] {
        h.frame([&] {
            if (plot::begin_plot("##hover", ImVec2(0, 0), options)) {
                plot::plot_line("small", s.x.data(), s.small.data(), 100);
                plot::plot_markers(mark, mark_label, 1);
                plot::end_plot();
            }
            rect = plot::plot_rect();
        });
    };
    for (int f = 0; f < 3; ++f) draw();
    EXPECT_FALSE(h.tooltip_shown());
    const ImVec2 off_marker(rect.min.x + 0.2f * (rect.max.x - rect.min.x), centre(rect).y);
    h.mouse(off_marker);
    draw();
    draw();
    EXPECT_TRUE(h.tooltip_shown());
    // Without the read-out only a marker under the mouse opens one.
    options.hover_readout = false;
    draw();
    EXPECT_FALSE(h.tooltip_shown());
    ImVec2 on_marker;
    h.frame([&] {
        if (plot::begin_plot("##hover", ImVec2(0, 0), options)) {
            on_marker = plot::plot_to_pixels(50, 0);
            plot::end_plot();
        }
    });
    h.mouse(ImVec2(on_marker.x + 2, centre(rect).y));
    draw();
    EXPECT_TRUE(h.tooltip_shown());
    h.mouse(ImVec2(-100, -100));
    draw();
    EXPECT_FALSE(h.tooltip_shown());
}

// The legend goes where it covers no data: a line rising to the top-right corner leaves the
// top left free, and the box lands there, off every point of the line.
TEST(PlotFrames, TheLegendGoesWhereItCoversNoData) {
    Headless h;
    const Series s(100);  // x 0…99
    std::vector<float> rising(s.x);
    plot::PixelRect legend, rect;
    std::vector<ImVec2> line;
    for (int f = 0; f < 3; ++f)
        h.frame([&] {
            if (plot::begin_plot("##rising", ImVec2(400, 300))) {
                plot::plot_line("rising", s.x.data(), rising.data(), 100);
                plot::end_plot();
            }
            legend = plot::legend_rect();
            rect = plot::plot_rect();
            line.clear();
            for (int i = 0; i < 100; ++i) line.push_back(plot::plot_to_pixels(s.x[i], rising[i]));
        });
    ASSERT_GT(legend.max.x, legend.min.x) << "a legend is shown";
    EXPECT_LT(legend.max.x, centre(rect).x) << "in the left half";
    EXPECT_LT(legend.max.y, centre(rect).y) << "at the top";
    for (const ImVec2& p : line)
        EXPECT_FALSE(p.x >= legend.min.x && p.x <= legend.max.x && p.y >= legend.min.y && p.y <= legend.max.y)
            << "a point of the line under the legend at " << p.x << ", " << p.y;
}

// Points everywhere: no corner or edge is free, so the legend stands beside the data, and
// the plotting rectangle gives up its width.
TEST(PlotFrames, WithDataEverywhereTheLegendStandsBesideIt) {
    Headless h;
    std::vector<float> xs, ys;
    for (int i = 0; i < 40; ++i)
        for (int j = 0; j < 40; ++j) xs.push_back(float(i)), ys.push_back(float(j));
    plot::PixelRect legend, rect, without;
    const auto draw = [&](bool with_legend) {
        h.frame([&] {
            plot::PlotOptions options;
            options.legend = with_legend;
            if (plot::begin_plot("##everywhere", ImVec2(500, 300), options)) {
                plot::plot_scatter("points", xs.data(), ys.data(), int(xs.size()));
                plot::end_plot();
            }
            legend = plot::legend_rect();
            rect = plot::plot_rect();
        });
    };
    for (int f = 0; f < 3; ++f) draw(false);
    without = rect;
    for (int f = 0; f < 3; ++f) draw(true);
    ASSERT_GT(legend.max.x, legend.min.x) << "a legend is shown";
    EXPECT_GE(legend.min.x, rect.max.x) << "right of the data";
    EXPECT_LT(rect.max.x, without.max.x) << "the rectangle narrowed for it";
    EXPECT_GE(rect.max.x - rect.min.x, plot::kMinPlotWidth);
}

// The read-out stays within the data's x range: left of a curve that starts at 0 there is
// nothing to read out (it used to say "x −206" and the first point's value).
TEST(PlotFrames, TheHoverReadOutStaysWithinTheData) {
    Headless h;
    const Series s(100);  // x 0…99
    const auto draw = [&] {
        h.frame([&] {
            if (plot::begin_plot("##range", ImVec2(0, 0), {.legend = false})) {
                plot::setup_axis_limits(plot::Axis::X, -100, 100);
                plot::plot_line("small", s.x.data(), s.small.data(), 100);
                plot::end_plot();
            }
        });
    };
    for (int f = 0; f < 3; ++f) draw();
    ImVec2 before_data, on_data;
    h.frame([&] {
        if (plot::begin_plot("##range", ImVec2(0, 0), {.legend = false})) {
            before_data = plot::plot_to_pixels(-50, 0);
            on_data = plot::plot_to_pixels(50, 0);
            plot::end_plot();
        }
    });
    h.mouse(before_data);
    draw();
    draw();
    EXPECT_FALSE(h.tooltip_shown()) << "left of the data";
    h.mouse(on_data);
    draw();
    draw();
    EXPECT_TRUE(h.tooltip_shown()) << "over the data";
}

TEST(PlotFrames, WheelZoomsDragPansDoubleClickRefits) {
    Headless h;
    const Series s(100);
    plot::PlotOptions options;
    options.pan_zoom = true;
    plot::Limits limits;
    plot::PixelRect rect;
    const auto draw = [&] {
        h.frame([&] {
            if (plot::begin_plot("##pz", ImVec2(0, 0), options)) {
                plot::setup_axis_limits(plot::Axis::X, 20, 60, false);
                plot::plot_line("small", s.x.data(), s.small.data(), 100);
                plot::end_plot();
            }
            limits = plot::current_limits();
            rect = plot::plot_rect();
        });
    };
    for (int f = 0; f < 3; ++f) draw();
    EXPECT_EQ(limits.x_lo, 20);  // the initial view
    EXPECT_EQ(limits.x_hi, 60);
    const plot::Limits before = limits;
    const ImVec2 c = centre(rect);
    h.mouse(c, false, 1.0f);
    draw();
    const double width_before = before.x_hi - before.x_lo;
    EXPECT_LT(limits.x_hi - limits.x_lo, 0.9 * width_before);
    EXPECT_LT(limits.y_hi - limits.y_lo, 0.9 * (before.y_hi - before.y_lo));
    // The point under the mouse stays under it.
    const double fx = (c.x - rect.min.x) / (rect.max.x - rect.min.x);
    EXPECT_NEAR(before.x_lo + fx * width_before, limits.x_lo + fx * (limits.x_hi - limits.x_lo),
                1e-3 * width_before);
    h.mouse(c);
    draw();
    const plot::Limits zoomed = limits;
    EXPECT_EQ(zoomed.x_lo, limits.x_lo);  // the view persists
    // Drag 100 px to the right: the view moves left by 100 px worth of x.
    h.mouse(c, true);
    draw();
    h.mouse(ImVec2(c.x + 100, c.y), true);
    draw();
    const double per_px = (zoomed.x_hi - zoomed.x_lo) / (rect.max.x - rect.min.x);
    EXPECT_NEAR(limits.x_lo, zoomed.x_lo - 100 * per_px, 1e-3 * per_px * 100);
    h.mouse(ImVec2(c.x + 100, c.y), false);
    draw();
    // Double click: fit to the data (x 0..99), not back to the initial view.
    h.mouse(c, true);
    draw();
    h.mouse(c, false);
    draw();
    h.mouse(c, true);
    draw();
    h.mouse(c, false);
    draw();
    EXPECT_LT(limits.x_lo, 0);
    EXPECT_GT(limits.x_hi, 99);
    EXPECT_LT(limits.x_hi, 110);
}

TEST(PlotFrames, LogAxisIgnoresNonPositiveValues) {
    Headless h;
    const float xs[6] = {0, 1, 2, 3, 4, 5};
    const float ys[6] = {0.5f, 0.0f, -1.0f, NAN, 0.01f, 2.0f};
    const float bad[3] = {0.0f, -2.0f, -3.0f};
    plot::Limits mixed, none;
    for (int f = 0; f < 3; ++f) {
        h.frame([&] {
            if (plot::begin_plot("##log", ImVec2(0, 200))) {
                plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);
                plot::plot_line("loss", xs, ys, 6);
                plot::plot_bars("bars", ys, 6);
                plot::end_plot();
            }
            mixed = plot::current_limits();
            if (plot::begin_plot("##log_bad", ImVec2(0, 200))) {
                plot::setup_axis(plot::Axis::X, plot::Scale::Log10);
                plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);
                plot::plot_line("bad", xs, bad, 3);
                plot::end_plot();
            }
            none = plot::current_limits();
        });
    }
    for (const plot::Limits& l : {mixed, none}) {
        EXPECT_TRUE(std::isfinite(l.x_lo) && std::isfinite(l.x_hi));
        EXPECT_TRUE(std::isfinite(l.y_lo) && std::isfinite(l.y_hi));
        EXPECT_GT(l.y_lo, 0);
        EXPECT_LT(l.y_lo, l.y_hi);
    }
    EXPECT_LT(mixed.y_lo, 0.01);
    EXPECT_GT(mixed.y_hi, 2.0);
    EXPECT_GT(none.x_lo, 0);
}

TEST(PlotFrames, EqualAspectGivesSquareUnits) {
    Headless h;
    const float xs[3] = {0, 10, 5}, ys[3] = {0, 1, 0.5f};
    plot::PlotOptions options;
    options.equal_aspect = true;
    plot::Limits l;
    plot::PixelRect r;
    for (int f = 0; f < 3; ++f) {
        h.frame([&] {
            if (plot::begin_plot("##aspect", ImVec2(500, 300), options)) {
                plot::plot_scatter("p", xs, ys, 3);
                plot::end_plot();
            }
            l = plot::current_limits();
            r = plot::plot_rect();
        });
    }
    const double ux = (l.x_hi - l.x_lo) / (r.max.x - r.min.x);
    const double uy = (l.y_hi - l.y_lo) / (r.max.y - r.min.y);
    EXPECT_NEAR(ux / uy, 1.0, 1e-6);
    EXPECT_LT(l.x_lo, 0);
    EXPECT_GT(l.x_hi, 10);
    EXPECT_LT(l.y_lo, 0);
    EXPECT_GT(l.y_hi, 1);
}

TEST(PlotFrames, QueriesMapBetweenPlotAndPixels) {
    Headless h;
    plot::PixelRect inside, after;
    plot::Limits limits;
    ImVec2 origin;
    plot::PlotPoint back, mouse;
    bool hovered = false;
    for (int f = 0; f < 3; ++f) {
        h.mouse(ImVec2(-100, -100));
        if (f == 2) h.mouse(centre(after));
        h.frame([&] {
            if (plot::begin_plot("##q", ImVec2(400, 300))) {
                plot::setup_axis_limits(plot::Axis::X, 0, 10);
                plot::setup_axis_limits(plot::Axis::Y, 0, 1);
                inside = plot::plot_rect();
                limits = plot::current_limits();
                origin = plot::plot_to_pixels(0, 0);
                back = plot::pixels_to_plot(plot::plot_to_pixels(3, 0.25));
                hovered = plot::is_plot_hovered();
                mouse = plot::mouse_position();
                plot::end_plot();
            }
            after = plot::plot_rect();
        });
    }
    EXPECT_EQ(limits.x_lo, 0);
    EXPECT_EQ(limits.x_hi, 10);
    EXPECT_EQ(limits.y_hi, 1);
    EXPECT_EQ(inside.min.x, after.min.x);
    EXPECT_EQ(inside.max.y, after.max.y);
    EXPECT_FLOAT_EQ(origin.x, after.min.x);
    EXPECT_FLOAT_EQ(origin.y, after.max.y);
    EXPECT_NEAR(back.x, 3, 1e-4);
    EXPECT_NEAR(back.y, 0.25, 1e-5);
    EXPECT_TRUE(hovered);
    EXPECT_NEAR(mouse.x, 5, 0.05);
    EXPECT_NEAR(mouse.y, 0.5, 0.01);
    // A 400×300 frame holds a smaller plotting rectangle; size 0 fills the window's width.
    EXPECT_LT(after.max.x - after.min.x, 400);
    EXPECT_GT(after.max.x - after.min.x, 300);
    plot::PixelRect filled;
    h.frame([&] {
        if (plot::begin_plot("##fill", ImVec2(0, 0))) plot::end_plot();
        filled = plot::plot_rect();
    });
    EXPECT_GT(filled.max.x - filled.min.x, 700);
}

TEST(PlotFrames, HistogramHeightsCountAndIntegrate) {
    Headless h;
    std::vector<float> values(20, 0.05f);             // all in the first of ten bins over [0, 1]
    values.insert(values.end(), {2.0f, -1.0f, NAN});  // outside: dropped
    plot::Limits counts, density;
    for (int f = 0; f < 2; ++f) {
        h.frame([&] {
            if (plot::begin_plot("##counts", ImVec2(0, 200))) {
                plot::plot_histogram("h", values.data(), static_cast<int>(values.size()), 10, 0, 1);
                plot::end_plot();
            }
            counts = plot::current_limits();
            if (plot::begin_plot("##density", ImVec2(0, 200))) {
                plot::plot_histogram("h", values.data(), static_cast<int>(values.size()), 10, 0, 1,
                                     0, true);
                plot::end_plot();
            }
            density = plot::current_limits();
        });
    }
    // Heights 20 and 1/(bin width) = 10, fitted with a 5 % margin.
    EXPECT_NEAR(counts.y_hi, 21.0, 1e-4);
    EXPECT_NEAR(density.y_hi, 10.5, 1e-4);
    EXPECT_NEAR(density.x_lo, -0.05, 1e-6);
    EXPECT_NEAR(density.x_hi, 1.05, 1e-6);
}

TEST(PlotFrames, WarmFramesDoNotAllocate) {
    Headless h;
    const Series s(300);
    const double marks[1] = {40};
    const char* mark_labels[1] = {"lr"};
    long allocations = 0;
    plot::PixelRect rect;
    for (int f = 0; f < 40; ++f) {
        if (f == 5) h.mouse(centre(rect));
        h.frame([&] {
            const long before = g_allocations.load();
            plot::PlotOptions options;
            options.pan_zoom = true;
            options.x_label = "step";
            if (plot::begin_plot("##alloc", ImVec2(0, 0), options)) {
                plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);
                plot::plot_band("train", s.x.data(), s.lo.data(), s.hi.data(), 300);
                plot::plot_line("train", s.x.data(), s.huge.data(), 300);
                plot::plot_histogram("hist", s.small.data(), 300, 30, -1, 1);
                plot::plot_markers(marks, mark_labels, 1);
                plot::plot_text(10, 1000, "note");
                plot::end_plot();
            }
            rect = plot::plot_rect();
            if (f >= 20) allocations += g_allocations.load() - before;
        });
    }
    EXPECT_TRUE(h.tooltip_shown());
    EXPECT_EQ(allocations, 0);
}

TEST(PlotFrames, ANewContextStartsWithFreshState) {
    const Series s(100);
    plot::PlotOptions options;
    options.pan_zoom = true;
    plot::Limits limits;
    plot::PixelRect rect;
    double fitted_width = 0;
    for (int round = 0; round < 2; ++round) {
        Headless h;
        for (int f = 0; f < 4; ++f) {
            if (round == 0 && f == 2) h.mouse(centre(rect), false, 3.0f);
            h.frame([&] {
                if (plot::begin_plot("##ctx", ImVec2(0, 0), options)) {
                    plot::plot_line("small", s.x.data(), s.small.data(), 100);
                    plot::end_plot();
                }
                limits = plot::current_limits();
                rect = plot::plot_rect();
            });
            if (round == 0 && f == 1) fitted_width = limits.x_hi - limits.x_lo;
        }
        if (round == 0)
            EXPECT_LT(limits.x_hi - limits.x_lo, 0.7 * fitted_width);
        else
            EXPECT_DOUBLE_EQ(limits.x_hi - limits.x_lo, fitted_width);
    }
}

// ---- The 3-D view ----

// A box stretched along x, a helix and a tilted plane beside them: the fit must take every
// axis and the plane's corners into account.
struct Scene3d {
    std::vector<float> corners, helix;  // 3×N, column-major
    const float centre[3] = {4, 2, -1}, u[3] = {3, 0, 0}, v[3] = {0, 2, 1};
    Scene3d() {
        for (int i = 0; i < 8; ++i) {
            corners.insert(corners.end(),
                           {i & 1 ? 10.0f : 0.0f, i & 2 ? 1.0f : 0.0f, i & 4 ? 1.0f : 0.0f});
        }
        for (int i = 0; i < 100; ++i) {
            const float t = 0.2f * static_cast<float>(i);
            helix.insert(helix.end(), {std::cos(t), std::sin(t), 0.05f * static_cast<float>(i)});
        }
    }
    void draw() const {
        plot::plot3d_plane("plane", centre, u, v);
        plot::plot3d_line("helix", helix.data(), 100);
        plot::plot3d_points("corners", corners.data(), 8, 0, 3.0f);
    }
};

float pixel_distance(ImVec2 a, ImVec2 b) {
    return std::hypot(a.x - b.x, a.y - b.y);
}

TEST(Plot3dFrames, EveryViewDrawsItsItemsInsideTheFrame) {
    Headless h;
    const Scene3d scene;
    plot::View3d view;
    plot::PixelRect rect;
    int first = 0, last = 0;
    const auto draw = [&](bool items) {
        h.frame([&] {
            ImDrawList* dl = ImGui::GetWindowDrawList();
            first = dl->VtxBuffer.Size;
            if (plot::begin_plot3d("##scene", ImVec2(400, 300), view)) {
                if (items) scene.draw();
                plot::end_plot3d();
            }
            last = dl->VtxBuffer.Size;
            rect = plot::plot3d_rect();
        });
    };
    draw(false);
    const int empty = last - first;
    EXPECT_GT(empty, 0) << "an empty view still draws its frame and axis triad";
    EXPECT_FLOAT_EQ(rect.max.x - rect.min.x, 400);
    const float views[][2] = {{0, 0}, {0.6f, 0.35f}, {2.0f, -1.2f}, {-2.5f, 1.5f}, {3.1f, 0.9f}};
    std::vector<float> unit_z;  // pixels per world unit, one per view
    float widest = 0;
    for (const auto& yp : views) {
        view.yaw = yp[0];
        view.pitch = yp[1];
        draw(true);
        SCOPED_TRACE(testing::Message() << "yaw " << yp[0] << " pitch " << yp[1]);
        EXPECT_GT(last - first, empty + 500) << "the plane, helix and points add vertices";
        const ImDrawList* dl = ImGui::FindWindowByName("w")->DrawList;
        int outside = 0, point_colour = 0;
        for (int i = first; i < last; ++i) {
            const ImDrawVert& vert = dl->VtxBuffer[i];
            // The frame's border reaches one pixel out with its anti-aliased fringe.
            const float slack = 1.01f;
            outside += vert.pos.x < rect.min.x - slack || vert.pos.x > rect.max.x + slack ||
                       vert.pos.y < rect.min.y - slack || vert.pos.y > rect.max.y + slack;
            point_colour += vert.col == plot::palette_color(2);  // the third item's colour
        }
        EXPECT_EQ(outside, 0);
        EXPECT_GT(point_colour, 0);
        // Every item point, with the points' radius, lies inside the frame.
        float lo_x = 1e9f, hi_x = -1e9f;
        for (int i = 0; i < 8; ++i) {
            const float* p = &scene.corners[3 * i];
            const ImVec2 q = plot::plot3d_to_pixels(p[0], p[1], p[2]);
            EXPECT_GE(q.x - 3, rect.min.x);
            EXPECT_LE(q.x + 3, rect.max.x);
            EXPECT_GE(q.y - 3, rect.min.y);
            EXPECT_LE(q.y + 3, rect.max.y);
            lo_x = std::min(lo_x, q.x);
            hi_x = std::max(hi_x, q.x);
        }
        widest = std::max(widest, hi_x - lo_x);
        // The vertical axis foreshortens by cos(pitch) only: the scale is the same in every
        // view, so the picture does not breathe as it turns.
        const ImVec2 o = plot::plot3d_to_pixels(0, 0, 0), z = plot::plot3d_to_pixels(0, 0, 1);
        unit_z.push_back(pixel_distance(z, o) / std::cos(yp[1]));
    }
    for (float s : unit_z) EXPECT_NEAR(s, unit_z[0], 1e-3f * unit_z[0]);
    EXPECT_GT(widest, 0.5f * 300) << "the scene should fill most of the frame";
    // Equal aspect: seen straight on, a unit along x spans as many pixels as one along z,
    // though the data spans 10 on x and 1.5 on z.
    view = plot::View3d{0, 0};
    draw(true);
    const ImVec2 o = plot::plot3d_to_pixels(0, 0, 0);
    EXPECT_NEAR(pixel_distance(plot::plot3d_to_pixels(1, 0, 0), o),
                pixel_distance(plot::plot3d_to_pixels(0, 0, 1), o), 1e-3);
}

TEST(Plot3dFrames, DragInsideTurnsTheViewAndDoubleClickResets) {
    Headless h;
    const Scene3d scene;
    plot::View3d view;
    const plot::View3d start = view;
    plot::PixelRect rect;
    const auto draw = [&] {
        h.frame([&] {
            ImGui::TextUnformatted("above the view");
            if (plot::begin_plot3d("##drag", ImVec2(400, 300), view)) {
                scene.draw();
                plot::end_plot3d();
            }
            rect = plot::plot3d_rect();
        });
    };
    for (int f = 0; f < 3; ++f) draw();
    const ImVec2 c = centre(rect);
    h.mouse(c);
    draw();
    h.mouse(c, true);
    draw();
    h.mouse(ImVec2(c.x + 50, c.y + 20), true);
    draw();
    EXPECT_GT(view.yaw, start.yaw + 0.1f) << "a drag right turns the scene right";
    EXPECT_GT(view.pitch, start.pitch + 0.05f);
    h.mouse(ImVec2(c.x + 50, c.y + 20));
    draw();
    const plot::View3d turned = view;
    h.mouse(ImVec2(c.x - 80, c.y));  // released: moving the mouse does nothing
    draw();
    EXPECT_EQ(view.yaw, turned.yaw);
    // A drag that starts outside the view (on the window, above it) does not turn it.
    const ImVec2 outside(c.x, rect.min.y - 2);
    h.mouse(outside);
    draw();
    h.mouse(outside, true);
    draw();
    h.mouse(ImVec2(outside.x + 60, outside.y + 40), true);
    draw();
    h.mouse(ImVec2(outside.x + 60, outside.y + 40));
    draw();
    EXPECT_EQ(view.yaw, turned.yaw);
    EXPECT_EQ(view.pitch, turned.pitch);
    // Double-click inside: back to the default view.
    for (bool down : {false, true, false, true, false}) {
        h.mouse(c, down);
        draw();
    }
    EXPECT_EQ(view.yaw, start.yaw);
    EXPECT_EQ(view.pitch, start.pitch);
}

TEST(Plot3dFrames, WarmFramesDoNotAllocate) {
    Headless h;
    const Scene3d scene;
    plot::View3d view;
    const char* const names[3] = {"h1", "h2", "h3"};
    plot::PixelRect rect;
    long allocations = 0;
    for (int f = 0; f < 40; ++f) {
        if (f >= 3) {
            // Press at the centre, then keep dragging right while counting.
            h.mouse(ImVec2(centre(rect).x + static_cast<float>(f - 3), centre(rect).y), true);
        }
        h.frame([&] {
            const long before = g_allocations.load();
            if (plot::begin_plot3d("##alloc3d", ImVec2(0, 0), view, names)) {
                scene.draw();
                plot::end_plot3d();
            }
            if (f >= 20) allocations += g_allocations.load() - before;
            if (f < 3) rect = plot::plot3d_rect();
        });
    }
    EXPECT_GT(view.yaw, plot::View3d{}.yaw) << "the counted frames should include a drag";
    EXPECT_EQ(allocations, 0);
}

}  // namespace
