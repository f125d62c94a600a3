// State shared by the plot module's files: plot.cpp (frame, axes, interaction, queries),
// plot_items.cpp (recording, fitting, drawing items and what they cover), plot_legend.cpp
// (where the legend goes, and drawing it). GUI thread only.
#pragma once

#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/plot/plot.h"

namespace plot::detail {

enum class ItemKind : unsigned char {
    line,
    band,
    scatter,
    bars,
    hline,
    vline,
    markers,
    image,
    text
};

// One recorded item. Data pointers are the caller's and stay valid until end_plot(), except
// histogram heights, which the module counts into Context::hist (at `hist`).
struct Item {
    ItemKind kind = ItemKind::line;
    ImU32 color = 0;
    ImGuiID key = 0;         // hash of the label in this plot: legend entry and hidden state
    int label = -1;          // offset of the label in Context::text, -1 for none
    bool in_legend = false;  // labelled, and the label does not start with "##"
    bool hidden = false;
    const float* xs = nullptr;  // null: implicit x_i = x0 + i·dx
    const float* ys = nullptr;  // line and scatter y, band low edge, bar heights
    const float* hi = nullptr;  // band high edge
    int count = 0;
    int stride = sizeof(float);
    double x0 = 0, dx = 1;          // implicit x; hline/vline/text position in x0 (and y0)
    double y0 = 0, x1 = 0, y1 = 0;  // image corners (x0, y0)–(x1, y1)
    double width = 0;               // bar width in x units
    float radius = 2.0f;            // scatter, and a line drawn as its points
    bool points_only = false;       // a line measured only at its points (plot_points): dots
    bool outline = false;           // histogram: translucent fill with an outline
    int hist = -1;                  // offset of the histogram heights in Context::hist
    const ImU32* colors = nullptr;  // per-bar colours
    const double* marker_xs = nullptr;
    const char* const* marker_labels = nullptr;
    ImTextureID texture = nullptr;
    ImVec2 uv0, uv1;
};

// Plot coordinates ↔ screen pixels for one frame of one plot. Index 0 is x, 1 is y.
struct Transform {
    double lo[2] = {0, 0}, hi[2] = {1, 1};
    Scale scale[2] = {Scale::Linear, Scale::Linear};
    ImRect rect{0, 0, 1, 1};

    ImVec2 to_pixels(double x, double y) const;
    PlotPoint to_plot(ImVec2 pixel) const;
    float x_pixel(double x) const;
    float y_pixel(double y) const;
};

// What one plot id keeps from frame to frame.
struct PlotState {
    Transform xf;               // the last drawn frame's limits and rectangle (queries use them)
    bool drawn = false;         // xf holds a drawn frame
    ImRect legend{0, 0, 0, 0};  // the last legend box: a drag never starts on it
    double view_lo[2] = {0, 0}, view_hi[2] = {1, 1};  // pan/zoom view, on axes in `user`
    bool user[2] = {false, false};                    // the user has panned or zoomed
    bool refit = false;     // double-clicked: fit to the data, not the initial limits
    bool dragging = false;  // a pan that started inside the plot is under way
};

struct AxisSetup {
    Scale scale = Scale::Linear;
    bool has_limits = false;
    bool always = true;
    double lo = 0, hi = 1;
};

struct Tick {
    double value = 0;
    int text = 0;  // offset of the label in Context::tick_text
    float width = 0;
};

struct LegendEntry {
    ImGuiID key = 0;
    int label = 0;
    ImU32 color = 0;
    bool hidden = false;
};

// Data extent of the visible items along one axis (log axes skip values ≤ 0).
struct Extent {
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    bool valid() const { return lo <= hi; }
};

// All module state, one per ImGui context (context_state.h). The vectors are cleared per
// plot and keep their capacity, so a warm frame does not allocate.
struct Context {
    std::unordered_map<ImGuiID, PlotState> states;
    ImGuiStorage hidden;  // ImHashStr(label, 0, plot id) → hidden by the legend
    ImGuiID last_id = 0;  // the last plot begun, for queries after end_plot

    // The plot between begin_plot and end_plot.
    bool in_plot = false;
    ImGuiID id = 0;
    PlotState* state = nullptr;  // node of `states`: stable while others are inserted
    PlotOptions options;
    ImRect frame;
    bool hovered = false;  // the frame is ImGui's hovered item
    AxisSetup axis[2];
    int next_color = 0;
    std::vector<Item> items;
    std::string text;  // item labels and texts, each followed by '\0'
    std::vector<float> hist;
    Transform xf;  // this frame's, once end_plot has fitted it
    Extent data_x;  // the visible items' x extent: the hover read-out stays within it
    ImRect legend_box{0, 0, 0, 0};  // this frame's legend (empty: none), once placed

    // end_plot's scratch space.
    std::vector<ImVec2> points;
    std::vector<double> tick_values;
    std::vector<Tick> ticks[2];
    std::string tick_text;
    std::vector<LegendEntry> legend;

    DrawnFrame drawn;  // what this frame drew where (drawn_frame())
};

Context& context();
// This frame's record, emptied when a new frame has begun.
DrawnFrame& drawn(Context& c);
const char* item_label(const Context& c, const Item& item);

inline constexpr float kLegendMargin = 6.0f;  // legend box ↔ plot corner (the tests rely on it)
inline constexpr float kLegendPad = 4.0f;     // legend box ↔ its rows

// plot_layout.cpp: the plotting rectangle inside the frame and ticks whose labels fit.
void layout(Context& c);
// The frame's height above and below the plotting rectangle (labels, ticks, padding).
float height_around_rect(const PlotOptions& options);
// The frame's width left and right of it, with y tick labels of up to six characters.
float width_around_rect();
// New ticks for changed limits, keeping the rectangle.
void refresh_ticks(Context& c);
// The grid (under the items) or the frame, tick labels and axis labels (over them).
void draw_axes(const Context& c, ImDrawList* draw_list, bool grid);

// plot_items.cpp
void add_item_extents(const Context& c, const Item& item, Extent ext[2]);
void draw_item(Context& c, const Item& item, ImDrawList* draw_list, bool fills);
// Whether the drawn item has anything (a line, a point, a bar, a fill, a text) inside `box`
// (screen pixels) at this frame's transform. Markers are annotations: they cover nothing.
bool item_covers(const Context& c, const Item& item, const ImRect& box);

// plot_legend.cpp: the legend's entries, and its box where it covers no data — inside, or
// outside on the right, narrowing the plotting rectangle (then the ticks are redone) — or
// none (c.legend_box empty).
// Returns true when it narrowed the rectangle.
bool place_legend(Context& c);
void draw_legend(Context& c, PlotState& s, ImDrawList* draw_list);
// y of the line point whose x is nearest to `x` (xs increasing); false when there is none.
bool line_value_at(const Item& item, double x, double& y);

// plot_ticks.cpp: the allocation-free forms behind the public helpers.
void nice_ticks_into(double lo, double hi, int max_ticks, std::vector<double>& out);
void log_ticks_into(double lo, double hi, int max_ticks, std::vector<double>& out);
int format_tick_into(char* buf, int size, double value, double step);

inline float value_at(const float* data, int i, int stride) {
    return *reinterpret_cast<const float*>(reinterpret_cast<const char*>(data) +
                                           static_cast<size_t>(i) * stride);
}

}  // namespace plot::detail
