// The plot module's frame: begin_plot/end_plot, fitting, axes and ticks, legend, hover
// read-out, pan/zoom and the queries. Items are in plot_items.cpp, pure helpers in
// plot_ticks.cpp.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "app/plot/context_state.h"
#include "app/plot/plot_internal.h"
#include "core/base/check.h"

namespace plot {

using detail::Context;
using detail::Item;
using detail::ItemKind;
using detail::PlotState;
using detail::Transform;

namespace detail {

Context& context() {
    // Held by the ImGui context: states are keyed by that context's ImGuiIDs.
    constexpr ImGuiID kOwner = 0x706c6f74;  // "plot"
    return context_state<Context>(kOwner);
}

DrawnFrame& drawn(Context& c) {
    const int frame = ImGui::GetFrameCount();
    if (c.drawn.frame != frame) {
        c.drawn.frame = frame;
        c.drawn.plots.clear();
        c.drawn.tiles.clear();
    }
    return c.drawn;
}

const char* item_label(const Context& c, const Item& item) {
    return item.label >= 0 ? c.text.c_str() + item.label : "";
}

float Transform::x_pixel(double x) const {
    return rect.Min.x +
           static_cast<float>(to_axis_fraction(x, lo[0], hi[0], scale[0]) * rect.GetWidth());
}

float Transform::y_pixel(double y) const {
    return rect.Max.y -
           static_cast<float>(to_axis_fraction(y, lo[1], hi[1], scale[1]) * rect.GetHeight());
}

ImVec2 Transform::to_pixels(double x, double y) const {
    return ImVec2(x_pixel(x), y_pixel(y));
}

PlotPoint Transform::to_plot(ImVec2 pixel) const {
    const double fx = (pixel.x - rect.Min.x) / std::max(rect.GetWidth(), 1.0f);
    const double fy = (rect.Max.y - pixel.y) / std::max(rect.GetHeight(), 1.0f);
    return {from_axis_fraction(fx, lo[0], hi[0], scale[0]),
            from_axis_fraction(fy, lo[1], hi[1], scale[1])};
}

}  // namespace detail

namespace {

constexpr float marker_hover_px = 4.0f;

bool is_fixed(const Context& c, int a) {
    // Without pan/zoom nothing moves the view, so an initial view is a fixed one.
    return c.axis[a].has_limits && (c.axis[a].always || !c.options.pan_zoom);
}

const Transform no_plot;  // what queries see before any plot was drawn

const Transform& query_transform() {
    Context& c = detail::context();
    if (c.in_plot) return c.state->xf;
    const auto it = c.states.find(c.last_id);
    return it != c.states.end() ? it->second.xf : no_plot;
}

// Pan (drag with options.pan_button), zoom (wheel) and refit (double click), in the
// coordinates of the frame the user is looking at: the previous one.
void handle_pan_zoom(Context& c, PlotState& s) {
    const ImGuiIO& io = ImGui::GetIO();
    const ImRect r = s.xf.rect;
    const bool inside =
        s.drawn && c.hovered && r.Contains(io.MousePos) && !s.legend.Contains(io.MousePos);
    const int button = c.options.pan_button;
    if (!ImGui::IsMouseDown(button)) s.dragging = false;
    if (!c.options.pan_zoom) return;
    if (inside && ImGui::IsMouseDoubleClicked(button)) {
        s.user[0] = s.user[1] = false;
        s.refit = true;
        s.dragging = false;
        return;
    }
    if (inside && ImGui::IsMouseClicked(button)) s.dragging = true;
    const double shift[2] = {-io.MouseDelta.x / std::max(r.GetWidth(), 1.0f),
                             io.MouseDelta.y / std::max(r.GetHeight(), 1.0f)};
    const bool pan = s.dragging && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0);
    const bool zoom = inside && io.MouseWheel != 0;
    if (!pan && !zoom) return;
    // Wheel up zooms in; working in axis fractions makes log axes zoom the same way.
    const double factor = std::pow(0.85, io.MouseWheel);
    const double mouse[2] = {(io.MousePos.x - r.Min.x) / std::max(r.GetWidth(), 1.0f),
                             (r.Max.y - io.MousePos.y) / std::max(r.GetHeight(), 1.0f)};
    for (int a = 0; a < 2; ++a) {
        if (is_fixed(c, a)) continue;
        double f_lo = 0, f_hi = 1;
        if (pan) {
            f_lo += shift[a];
            f_hi += shift[a];
        }
        if (zoom) {
            f_lo = mouse[a] - (mouse[a] - f_lo) * factor;
            f_hi = mouse[a] + (f_hi - mouse[a]) * factor;
        }
        const Scale scale = s.xf.scale[a];
        const double lo = from_axis_fraction(f_lo, s.xf.lo[a], s.xf.hi[a], scale);
        const double hi = from_axis_fraction(f_hi, s.xf.lo[a], s.xf.hi[a], scale);
        // Past ~1e-12 of the magnitude, doubles cannot tell the ends apart: stop zooming.
        if (!std::isfinite(lo) || !std::isfinite(hi) ||
            hi - lo <= 1e-12 * std::max(std::fabs(lo), std::fabs(hi))) {
            continue;
        }
        s.view_lo[a] = lo;
        s.view_hi[a] = hi;
        s.user[a] = true;
    }
}

void fit_limits(Context& c, PlotState& s) {
    detail::Extent ext[2];
    for (const Item& item : c.items) {
        if (!item.hidden) detail::add_item_extents(c, item, ext);
    }
    c.data_x = ext[0];
    for (int a = 0; a < 2; ++a) {
        const detail::AxisSetup& ax = c.axis[a];
        double lo = 0, hi = 0;
        if (is_fixed(c, a)) {
            lo = ax.lo, hi = ax.hi;
        } else if (c.options.pan_zoom && s.user[a]) {
            lo = s.view_lo[a], hi = s.view_hi[a];
        } else if (ax.has_limits && !s.refit) {
            lo = ax.lo, hi = ax.hi;
        } else {
            fit_range(ext[a].valid() ? ext[a].lo : NAN, ext[a].valid() ? ext[a].hi : NAN, ax.scale,
                      lo, hi);
        }
        // Limits that this scale cannot show (a flat range, or ≤ 0 on a log axis after the
        // scale changed under a user view) fall back to a fit.
        const bool usable = std::isfinite(lo) && std::isfinite(hi) && lo != hi &&
                            (ax.scale == Scale::Linear || (lo > 0 && hi > 0));
        if (!usable) {
            s.user[a] = false;
            fit_range(lo, hi, ax.scale, lo, hi);
        }
        c.xf.lo[a] = lo;
        c.xf.hi[a] = hi;
        c.xf.scale[a] = ax.scale;
    }
}

// Widens the shorter axis so one unit spans as many pixels on x as on y. Returns whether a
// limit moved. Log axes have no constant unit, and fixed limits win over the aspect, so
// both are left alone.
bool apply_equal_aspect(Context& c) {
    Transform& xf = c.xf;
    if (!c.options.equal_aspect || xf.scale[0] != Scale::Linear || xf.scale[1] != Scale::Linear)
        return false;
    const double w = std::max(xf.rect.GetWidth(), 1.0f), h = std::max(xf.rect.GetHeight(), 1.0f);
    const double ux = (xf.hi[0] - xf.lo[0]) / w, uy = (xf.hi[1] - xf.lo[1]) / h;
    const int a = ux > uy ? 1 : 0;  // the axis to widen
    const double want = (a == 1 ? ux * h : uy * w);
    const double mid = 0.5 * (xf.lo[a] + xf.hi[a]);
    if (is_fixed(c, a) || want <= (xf.hi[a] - xf.lo[a]) * (1 + 1e-12)) return false;
    xf.lo[a] = mid - 0.5 * want;
    xf.hi[a] = mid + 0.5 * want;
    return true;
}

// Crosshair at the mouse and a tooltip with x, each visible line's value there and the
// labels of the markers under the mouse.
void draw_hover(Context& c, PlotState& s, ImDrawList* draw_list) {
    const ImGuiIO& io = ImGui::GetIO();
    const Transform& xf = c.xf;
    const ImVec2 m = io.MousePos;
    if (!c.hovered || s.dragging || !xf.rect.Contains(m) || s.legend.Contains(m)) return;
    // The read-out only within the data: past the last point it would read out the nearest
    // point under an x that has none ("x −206" left of a curve that starts at 0).
    const double x_here = xf.to_plot(m).x;
    const bool over_data = c.data_x.valid() && x_here >= c.data_x.lo && x_here <= c.data_x.hi;
    const Item* marker_item = nullptr;
    int marker_hits = 0;
    for (const Item& item : c.items) {
        if (item.kind != ItemKind::markers || !item.marker_labels) continue;
        for (int i = 0; i < item.count; ++i) {
            if (std::fabs(xf.x_pixel(item.marker_xs[i]) - m.x) <= marker_hover_px) {
                marker_item = &item;
                ++marker_hits;
            }
        }
    }
    const bool readout = c.options.hover_readout && over_data;
    if (!readout && marker_hits == 0) return;
    if (readout) {
        draw_list->AddLine(ImVec2(m.x, xf.rect.Min.y), ImVec2(m.x, xf.rect.Max.y),
                           ImGui::GetColorU32(ImGuiCol_Text, 0.35f));
    }
    const PlotPoint p = xf.to_plot(m);
    ImGui::BeginTooltip();
    if (readout) {
        // x to the decade of one pixel's width, which is all the mouse can resolve.
        const double resolution = std::fabs(xf.to_plot(ImVec2(m.x + 1, m.y)).x - p.x);
        const double step = resolution > 0 ? std::pow(10.0, std::floor(std::log10(resolution))) : 0;
        char buf[64];
        detail::format_tick_into(buf, sizeof buf, p.x, step);
        ImGui::Text("x  %s", buf);
        for (const Item& item : c.items) {
            double y = 0;
            if (item.hidden || !item.in_legend || !detail::line_value_at(item, p.x, y)) continue;
            const char* label = detail::item_label(c, item);
            ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(item.color), "%.*s",
                               static_cast<int>(ImGui::FindRenderedTextEnd(label) - label), label);
            ImGui::SameLine();
            ImGui::Text("%.5g", y);
        }
    }
    if (marker_item) {
        for (const Item& item : c.items) {
            if (item.kind != ItemKind::markers || !item.marker_labels) continue;
            for (int i = 0; i < item.count; ++i) {
                if (std::fabs(xf.x_pixel(item.marker_xs[i]) - m.x) <= marker_hover_px &&
                    item.marker_labels[i]) {
                    ImGui::TextUnformatted(item.marker_labels[i]);
                }
            }
        }
    }
    ImGui::EndTooltip();
}

}  // namespace

float height_for_legend(int entries, const PlotOptions& options) {
    const float box = 2 * detail::kLegendPad + ImGui::GetTextLineHeight() * static_cast<float>(entries);
    return detail::height_around_rect(options) + box + 2 * detail::kLegendMargin + 1;
}

ImVec2 frame_for_rect(ImVec2 rect, const PlotOptions& options) {
    return ImVec2(rect.x + detail::width_around_rect(), rect.y + detail::height_around_rect(options));
}

bool begin_plot(const char* id, ImVec2 size, const PlotOptions& options) {
    Context& c = detail::context();
    AELAB_CHECK(!c.in_plot, "begin_plot inside another plot: call end_plot first");
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    if (window->SkipItems) return false;
    const ImGuiID plot_id = window->GetID(id);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (size.x <= 0) size.x = std::max(avail.x, 80.0f);
    if (size.y <= 0) size.y = std::max(avail.y, 80.0f);
    const ImRect frame(window->DC.CursorPos,
                       ImVec2(window->DC.CursorPos.x + size.x, window->DC.CursorPos.y + size.y));
    ImGui::ItemSize(frame);
    c.last_id = plot_id;
    if (!ImGui::ItemAdd(frame, plot_id)) return false;
    // One button over the whole frame makes the plot ImGui's active item while the mouse is
    // held on it, so a drag pans instead of moving the window.
    bool held = false;
    ImGui::ButtonBehavior(frame, plot_id, &c.hovered, &held,
                          ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    if (options.pan_zoom && c.hovered) ImGui::SetItemUsingMouseWheel();  // zoom, not scroll
    c.in_plot = true;
    c.id = plot_id;
    c.state = &c.states[plot_id];
    c.options = options;
    c.frame = frame;
    c.axis[0] = c.axis[1] = detail::AxisSetup{};
    c.next_color = 0;
    c.items.clear();
    c.text.clear();
    c.hist.clear();
    return true;
}

void setup_axis(Axis axis, Scale scale) {
    Context& c = detail::context();
    AELAB_CHECK(c.in_plot, "setup_axis goes between begin_plot and the first item");
    c.axis[axis == Axis::X ? 0 : 1].scale = scale;
}

void setup_axis_limits(Axis axis, double lo, double hi, bool always) {
    Context& c = detail::context();
    AELAB_CHECK(c.in_plot, "setup_axis_limits goes between begin_plot and the first item");
    detail::AxisSetup& ax = c.axis[axis == Axis::X ? 0 : 1];
    ax.has_limits = true;
    ax.always = always;
    ax.lo = std::min(lo, hi);
    ax.hi = std::max(lo, hi);
}

void end_plot() {
    Context& c = detail::context();
    AELAB_CHECK(c.in_plot, "end_plot without a begin_plot that returned true");
    PlotState& s = *c.state;
    for (Item& item : c.items) item.hidden = item.in_legend && c.hidden.GetBool(item.key);

    handle_pan_zoom(c, s);
    fit_limits(c, s);
    detail::layout(c);
    if (apply_equal_aspect(c)) {
        // Wider limits may need wider y labels, which narrows the plot: lay out once more
        // and widen again (by a hair), keeping this rectangle.
        detail::layout(c);
        if (apply_equal_aspect(c)) detail::refresh_ticks(c);
    }
    if (detail::place_legend(c)) {  // beside the data: a narrower rectangle
        apply_equal_aspect(c);
        detail::refresh_ticks(c);
    }
    s.xf = c.xf;
    s.drawn = true;

    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    DrawnPlot record;
    record.draw_list = draw_list;
    record.vtx_begin = draw_list->VtxBuffer.Size;
    record.shown = {draw_list->GetClipRectMin(), draw_list->GetClipRectMax()};
    const ImRect& r = c.xf.rect;
    detail::draw_axes(c, draw_list, true);
    draw_list->PushClipRect(r.Min, r.Max, true);
    record.items_idx_begin = draw_list->IdxBuffer.Size;
    for (const Item& item : c.items) {
        if (!item.hidden) detail::draw_item(c, item, draw_list, true);
    }
    for (const Item& item : c.items) {
        if (!item.hidden && item.kind != ItemKind::markers) detail::draw_item(c, item, draw_list, false);
    }
    record.items_idx_end = draw_list->IdxBuffer.Size;
    // Markers last, apart from the data: annotations, which a legend may lie over.
    for (const Item& item : c.items) {
        if (!item.hidden && item.kind == ItemKind::markers) detail::draw_item(c, item, draw_list, false);
    }
    draw_hover(c, s, draw_list);
    draw_list->PopClipRect();
    detail::draw_legend(c, s, draw_list);  // inside the rectangle or beside it
    detail::draw_axes(c, draw_list, false);
    record.vtx_end = draw_list->VtxBuffer.Size;
    record.frame = {c.frame.Min, c.frame.Max};
    record.rect = {r.Min, r.Max};
    record.legend = {c.legend_box.Min, c.legend_box.Max};
    detail::drawn(c).plots.push_back(record);
    c.in_plot = false;
}

// ---- Queries ----

bool is_plot_hovered() {
    Context& c = detail::context();
    const Transform& xf = query_transform();
    return c.hovered && c.last_id == c.id && xf.rect.Contains(ImGui::GetIO().MousePos);
}

PlotPoint mouse_position() {
    return query_transform().to_plot(ImGui::GetIO().MousePos);
}

Limits current_limits() {
    const Transform& xf = query_transform();
    return {xf.lo[0], xf.hi[0], xf.lo[1], xf.hi[1]};
}

ImVec2 plot_to_pixels(double x, double y) {
    return query_transform().to_pixels(x, y);
}

PlotPoint pixels_to_plot(ImVec2 pixel) {
    return query_transform().to_plot(pixel);
}

PixelRect plot_rect() {
    const Transform& xf = query_transform();
    return {xf.rect.Min, xf.rect.Max};
}

PixelRect legend_rect() {
    Context& c = detail::context();
    const auto it = c.states.find(c.last_id);
    if (it == c.states.end()) return {};
    return {it->second.legend.Min, it->second.legend.Max};
}

void forget_views() {
    Context& c = detail::context();
    AELAB_CHECK(!c.in_plot, "forget_views inside a plot");
    c.states.clear();
    c.hidden.Clear();
}

const DrawnFrame& drawn_frame() {
    return detail::drawn(detail::context());
}

void note_tile(ImVec2 min, ImVec2 max) {
    const ImDrawList* draw_list = ImGui::GetWindowDrawList();
    detail::drawn(detail::context())
        .tiles.push_back({draw_list, {min, max}, {draw_list->GetClipRectMin(), draw_list->GetClipRectMax()}});
}

bool is_item_hidden(const char* plot_id, const char* label) {
    Context& c = detail::context();
    return c.hidden.GetBool(ImHashStr(label, 0, ImGui::GetID(plot_id)));
}

}  // namespace plot
