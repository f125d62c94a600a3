// aelab's plot module: axes, ticks, lines, bands, scatters, bars, histograms, markers and
// images drawn on ImDrawList, in the shape of ImPlot (there is no ImPlot package). GUI thread
// only (it uses the current ImGui context).
//
// Use:   if (plot::begin_plot("##loss", size, options)) {
//            plot::setup_axis(plot::Axis::Y, plot::Scale::Log10);   // before the first item
//            plot::plot_line("train", xs, ys, count);
//            plot::end_plot();
//        }
// Items are recorded and drawn in end_plot(), after the axes have been fitted to every
// item, so the data an item points at must stay valid until end_plot(). Pointers come with
// a count and a stride in bytes, so an Eigen row or column is plotted without a copy.
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

namespace plot {

enum class Axis { X, Y };
enum class Scale { Linear, Log10 };

// Where the legend box goes. Best: the first of the plot's corners and edges where it covers
// no data (the top right first), else outside the plotting rectangle on its right (which
// narrows it), else none when the plot is too small for that. A fixed corner is for a caller
// that knows where its data are not (and for tests).
enum class LegendPlace { Best, TopRight };

struct PlotOptions {
    const char* x_label = nullptr;
    const char* y_label = nullptr;
    bool legend = true;         // legend box; clicking an entry hides the item; none when the
                                // plot is too small to hold it
    LegendPlace legend_place = LegendPlace::Best;
    bool hover_readout = true;  // crosshair and a tooltip with each line's value at the mouse x
    bool pan_zoom = false;      // wheel zooms about the mouse, drag pans, double-click refits
    int pan_button = 0;         // the mouse button that pans (ImGuiMouseButton_; 1 = right,
                                // leaving left clicks to the caller, e.g. to pick a point)
    bool equal_aspect = false;  // one unit on x spans as many pixels as one unit on y
};

// A point in plot coordinates.
struct PlotPoint {
    double x = 0, y = 0;
};
struct PixelRect {
    ImVec2 min, max;
};
struct Limits {
    double x_lo = 0, x_hi = 1, y_lo = 0, y_hi = 1;
};

// Colour of the i-th default series (ten distinct hues that read on light and dark themes).
ImU32 palette_color(int i, float alpha = 1.0f);

bool begin_plot(const char* id, ImVec2 size, const PlotOptions& options = {});
void end_plot();
// The height a plot with these options needs for a legend of `entries` rows to fit (a smaller
// plot shows none): for a panel deciding whether a plot is worth its room.
float height_for_legend(int entries, const PlotOptions& options = {});

// The smallest plotting rectangle (inside the axes) a panel should give a plot: below it a
// plot is not read from across a room (the layout audit fails on it).
inline constexpr float kMinPlotWidth = 240, kMinPlotHeight = 160;
// The frame a plot with these options needs around a plotting rectangle of `rect` (its
// labels and tick labels), at the current font size: what a panel asks begin_plot for.
ImVec2 frame_for_rect(ImVec2 rect, const PlotOptions& options = {});

// Axis setup: call after begin_plot and before the first item.
void setup_axis(Axis axis, Scale scale);
// Fixed limits. With `always` false they are only the initial view of a pan/zoom plot.
void setup_axis_limits(Axis axis, double lo, double hi, bool always = true);

// Items. color 0 means the next palette colour. stride is in bytes (0 = tightly packed).
void plot_line(const char* label, const float* xs, const float* ys, int count, ImU32 color = 0,
               int stride = 0);
// Line with implicit x: x_i = x0 + i·dx.
void plot_line(const char* label, const float* ys, int count, double x0, double dx, ImU32 color = 0,
               int stride = 0);
// Filled band between lo and hi at each x (e.g. the min/max of a thinned history).
void plot_band(const char* label, const float* xs, const float* lo, const float* hi, int count,
               ImU32 color = 0, int stride = 0);
// A line measured only at its points (a held-out loss evaluated every N steps): drawn as dots
// with nothing between them, yet in the legend and the hover read-out as a line is.
void plot_points(const char* label, const float* xs, const float* ys, int count, ImU32 color = 0,
                 float radius = 2.5f, int stride = 0);
void plot_scatter(const char* label, const float* xs, const float* ys, int count, ImU32 color = 0,
                  float radius = 2.0f, int stride = 0);
// Bars at x_i = x0 + i·dx, each `width` wide (in x units); colors optional, one per bar.
void plot_bars(const char* label, const float* values, int count, double x0 = 0, double dx = 1,
               double width = 0.8, ImU32 color = 0, const ImU32* colors = nullptr);
// Histogram of values into `bins` equal bins over [lo, hi]; values outside are dropped.
// With density, bar heights integrate to one (so sets of different sizes compare).
void plot_histogram(const char* label, const float* values, int count, int bins, double lo,
                    double hi, ImU32 color = 0, bool density = false);
void plot_hline(const char* label, double y, ImU32 color = 0);
void plot_vline(const char* label, double x, ImU32 color = 0);
// Vertical dashed lines, e.g. where a knob changed; hovering one shows its label. They are
// annotations: color 0 is a muted text colour, and they take no part in fitting.
void plot_markers(const double* xs, const char* const* labels, int count, ImU32 color = 0);
// An image spanning the plot rectangle [x0, x1] × [y0, y1] (uv as ImGui::Image).
void plot_image(ImTextureID texture, double x0, double y0, double x1, double y1,
                ImVec2 uv0 = ImVec2(0, 0), ImVec2 uv1 = ImVec2(1, 1));
// Text centred on (x, y); color 0 is the theme's text colour.
void plot_text(double x, double y, const char* text, ImU32 color = 0);

// Queries, valid between begin_plot and end_plot (they see the previous frame's fitted
// limits until end_plot has fitted this frame's, which is what interaction needs).
bool is_plot_hovered();
PlotPoint mouse_position();
Limits current_limits();
ImVec2 plot_to_pixels(double x, double y);
PlotPoint pixels_to_plot(ImVec2 pixel);
// The plotting rectangle (inside the axes) of the current or last plot, in screen pixels.
PixelRect plot_rect();
// The legend box of the last plot drawn (empty, min == max, when it showed none).
PixelRect legend_rect();
// Every plot forgets its pan, zoom and the lines its legend hid (a lesson opening, File ▸ New:
// no view carries over).
void forget_views();
// Whether the legend currently hides the item `label` in plot `plot_id`. plot_id is resolved
// in the caller's current ID scope (ImGui::GetID), so call it inside the same window and ID
// stack as the begin_plot it names.
bool is_item_hidden(const char* plot_id, const char* label);

// ---- What the frame drew where, for the layout audit (app/panels/layout_audit.h) ----

// A plot as drawn: its rectangles, and where its vertices lie in its window's draw list.
struct DrawnPlot {
    const ImDrawList* draw_list = nullptr;  // its window's (a child window's, inside a child)
    PixelRect frame, rect;                  // the whole frame; the plotting rectangle
    PixelRect legend;                       // min == max: no legend
    PixelRect shown;                        // the part of the window that shows it (its clip)
    int vtx_begin = 0, vtx_end = 0;         // all its vertices: its own texts and images
    int items_idx_begin = 0, items_idx_end = 0;  // the items' triangles (IdxBuffer), its data
};
// An image tile: one picture (a probe image, a filter, a decoded image), as a panel drew it.
struct DrawnTile {
    const ImDrawList* draw_list = nullptr;
    PixelRect rect, shown;
};
struct DrawnFrame {
    int frame = -1;  // ImGui's frame count when drawn
    std::vector<DrawnPlot> plots;
    std::vector<DrawnTile> tiles;
};
// This frame's record (empty before anything was drawn in it). Valid until the next frame.
const DrawnFrame& drawn_frame();
// Notes one image tile drawn in the current window (image_views does, for every tile).
void note_tile(ImVec2 min, ImVec2 max);

// ---- Pure helpers, no ImGui needed (also used by the tests) ----

// At most max_ticks "nice" tick positions (1, 2, 5 × 10^k steps) covering [lo, hi].
std::vector<double> nice_ticks(double lo, double hi, int max_ticks);
// Ticks at powers of ten (and 2×, 5× when the range is short) within [lo, hi], lo > 0.
std::vector<double> log_ticks(double lo, double hi, int max_ticks);
// A tick label with as many decimals as the step needs ("0.25", "1e-04", "3000", "12k").
std::string format_tick(double value, double step);
// The step tick i of an axis's ticks is labelled to: the distance between ticks; on a log
// axis each tick's own value (they differ in magnitude); a lone tick its own value too (the
// axis's range is no step: 0.0204 … 0.0913 with one tick at 0.05 read "5.000e-02").
double label_step(const std::vector<double>& ticks, size_t i, double lo, double hi, bool log);
// Limits that contain [lo, hi] with a small margin; a flat range is widened, log ranges
// are padded in log space. Non-finite inputs give [0, 1] ([0.1, 1] on a log axis).
void fit_range(double lo, double hi, Scale scale, double& out_lo, double& out_hi);
// Data value ↔ fraction of the axis in [0, 1] (log axes map log10).
double to_axis_fraction(double value, double lo, double hi, Scale scale);
double from_axis_fraction(double fraction, double lo, double hi, Scale scale);

}  // namespace plot
