// The plot module's items: recording them between begin_plot and end_plot, their data
// extents for fitting, and drawing them once the axes are known.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "app/plot/plot_internal.h"
#include "core/base/check.h"

namespace plot {

using detail::Context;
using detail::Extent;
using detail::Item;
using detail::ItemKind;
using detail::value_at;

namespace {

constexpr float line_thickness = 1.5f;

int store_text(Context& c, const char* text) {
    const int offset = static_cast<int>(c.text.size());
    c.text.append(text);
    c.text.push_back('\0');
    return offset;
}

// Starts an item: labels, legend key and colour. Items with the same label share one legend
// entry and one colour (a band and the line through it hide together).
Item& new_item(ItemKind kind, const char* label, ImU32 color) {
    Context& c = detail::context();
    AELAB_CHECK(c.in_plot, "plot items go between begin_plot and end_plot");
    Item& item = c.items.emplace_back();
    item.kind = kind;
    if (label) {
        item.key = ImHashStr(label, 0, c.id);
        item.label = store_text(c, label);
        item.in_legend = label[0] != '\0' && std::strncmp(label, "##", 2) != 0;
    }
    if (color == 0 && item.key != 0) {
        for (size_t i = 0; i + 1 < c.items.size(); ++i) {
            if (c.items[i].key == item.key) {
                color = c.items[i].color;
                break;
            }
        }
    }
    item.color = color != 0 ? color : palette_color(c.next_color++);
    return item;
}

bool valid(double v, Scale scale) {
    return std::isfinite(v) && (scale == Scale::Linear || v > 0);
}

void add(Extent& e, double v, Scale scale) {
    if (!valid(v, scale)) return;
    e.lo = std::min(e.lo, v);
    e.hi = std::max(e.hi, v);
}

double item_x(const Item& item, int i) {
    return item.xs ? static_cast<double>(value_at(item.xs, i, item.stride)) : item.x0 + i * item.dx;
}

const float* bar_values(const Context& c, const Item& item) {
    return item.hist >= 0 ? c.hist.data() + item.hist : item.ys;
}

// Appends a polyline to the draw list, splitting it at gaps and where a segment lies wholly
// left or right of the plot (so a zoomed-in view does not pay for the hidden points).
void draw_polyline(Context& c, const Item& item, ImDrawList* draw_list, const float* ys) {
    const detail::Transform& xf = c.xf;
    auto flush = [&] {
        if (c.points.size() == 1) draw_list->AddCircleFilled(c.points[0], 1.5f, item.color, 6);
        if (c.points.size() >= 2) {
            draw_list->AddPolyline(c.points.data(), static_cast<int>(c.points.size()), item.color,
                                   ImDrawFlags_None, line_thickness);
        }
        c.points.clear();
    };
    const float left = xf.rect.Min.x - 1, right = xf.rect.Max.x + 1;
    c.points.clear();
    for (int i = 0; i < item.count; ++i) {
        const double x = item_x(item, i), y = value_at(ys, i, item.stride);
        if (!valid(x, xf.scale[0]) || !valid(y, xf.scale[1])) {
            flush();
            continue;
        }
        const ImVec2 p = xf.to_pixels(x, y);
        if (!c.points.empty()) {
            const ImVec2 q = c.points.back();
            if ((p.x < left && q.x < left) || (p.x > right && q.x > right)) flush();
        }
        c.points.push_back(p);
    }
    flush();
}

// A filled band as one quad per segment, without anti-aliased fringes: the fringes of
// neighbouring quads would overlap and show as stripes in a translucent fill.
void draw_band(Context& c, const Item& item, ImDrawList* draw_list) {
    const detail::Transform& xf = c.xf;
    const ImU32 fill =
        (item.color & ~IM_COL32_A_MASK) |
        (static_cast<ImU32>(((item.color >> IM_COL32_A_SHIFT) & 0xff) / 4) << IM_COL32_A_SHIFT);
    const ImVec2 uv = draw_list->_Data->TexUvWhitePixel;
    bool have_prev = false;
    ImVec2 prev_lo, prev_hi;
    for (int i = 0; i < item.count; ++i) {
        const double x = item_x(item, i);
        const double lo = value_at(item.ys, i, item.stride), hi = value_at(item.hi, i, item.stride);
        if (!valid(x, xf.scale[0]) || !valid(lo, xf.scale[1]) || !valid(hi, xf.scale[1])) {
            have_prev = false;
            continue;
        }
        const ImVec2 p_lo = xf.to_pixels(x, lo), p_hi = xf.to_pixels(x, hi);
        if (have_prev) {
            draw_list->PrimReserve(6, 4);
            const ImDrawIdx base = static_cast<ImDrawIdx>(draw_list->_VtxCurrentIdx);
            draw_list->PrimWriteVtx(prev_lo, uv, fill);
            draw_list->PrimWriteVtx(prev_hi, uv, fill);
            draw_list->PrimWriteVtx(p_hi, uv, fill);
            draw_list->PrimWriteVtx(p_lo, uv, fill);
            for (int k : {0, 1, 2, 0, 2, 3})
                draw_list->PrimWriteIdx(static_cast<ImDrawIdx>(base + k));
        }
        prev_lo = p_lo;
        prev_hi = p_hi;
        have_prev = true;
    }
}

void draw_bars(Context& c, const Item& item, ImDrawList* draw_list) {
    const detail::Transform& xf = c.xf;
    const float* values = bar_values(c, item);
    // On a log axis a bar has no zero to stand on: it starts at the bottom of the plot.
    const bool log_y = xf.scale[1] == Scale::Log10;
    for (int i = 0; i < item.count; ++i) {
        const double x = item.x0 + i * item.dx, v = values[i];
        if (!valid(v, xf.scale[1])) continue;
        const double xl = x - 0.5 * item.width, xr = x + 0.5 * item.width;
        if (!valid(xl, xf.scale[0]) || !valid(xr, xf.scale[0])) continue;
        const float left = xf.x_pixel(xl), right = xf.x_pixel(xr);
        const float top = xf.y_pixel(v), base = log_y ? xf.rect.Max.y : xf.y_pixel(0.0);
        if (top == base) continue;  // an empty bin would leave its outline along the axis
        const ImVec2 a(left, std::min(top, base)), b(right, std::max(top, base));
        ImU32 col = item.colors ? item.colors[i] : item.color;
        if (item.outline) {
            const ImU32 alpha = (col >> IM_COL32_A_SHIFT) & 0xff;
            draw_list->AddRectFilled(a, b,
                                     (col & ~IM_COL32_A_MASK) | ((alpha / 2) << IM_COL32_A_SHIFT));
            if (right - left > 3) draw_list->AddRect(a, b, col);
        } else {
            draw_list->AddRectFilled(a, b, col);
        }
    }
}

void draw_dashed_vline(ImDrawList* draw_list, float x, const ImRect& rect, ImU32 color) {
    for (float y = rect.Min.y; y < rect.Max.y; y += 7) {
        draw_list->AddLine(ImVec2(x, y), ImVec2(x, std::min(y + 4, rect.Max.y)), color);
    }
}

}  // namespace

namespace detail {

void add_item_extents(const Context& c, const Item& item, Extent ext[2]) {
    const Scale sx = c.axis[0].scale, sy = c.axis[1].scale;
    switch (item.kind) {
        case ItemKind::line:
        case ItemKind::scatter:
        case ItemKind::band:
            for (int i = 0; i < item.count; ++i) {
                // Only drawable points count, so the fit is the drawing's.
                const double x = item_x(item, i), y = value_at(item.ys, i, item.stride);
                const double y2 = item.hi ? value_at(item.hi, i, item.stride) : y;
                if (!valid(x, sx) || !valid(y, sy) || !valid(y2, sy)) continue;
                add(ext[0], x, sx);
                add(ext[1], y, sy);
                add(ext[1], y2, sy);
            }
            break;
        case ItemKind::bars: {
            const float* values = bar_values(c, item);
            for (int i = 0; i < item.count; ++i) {
                if (!valid(values[i], sy)) continue;
                const double x = item.x0 + i * item.dx;
                add(ext[0], x - 0.5 * item.width, sx);
                add(ext[0], x + 0.5 * item.width, sx);
                add(ext[1], values[i], sy);
                add(ext[1], 0.0, sy);
            }
            break;
        }
        case ItemKind::hline:
            add(ext[1], item.y0, sy);
            break;
        case ItemKind::vline:
            add(ext[0], item.x0, sx);
            break;
        case ItemKind::image:
            add(ext[0], item.x0, sx);
            add(ext[0], item.x1, sx);
            add(ext[1], item.y0, sy);
            add(ext[1], item.y1, sy);
            break;
        case ItemKind::text:
            add(ext[0], item.x0, sx);
            add(ext[1], item.y0, sy);
            break;
        case ItemKind::markers:
            break;  // where knobs changed: never worth widening the view for
    }
}

// A scatter's markers, or a measured line's points.
void draw_dots(const Context& c, const Item& item, ImDrawList* draw_list) {
    const Transform& xf = c.xf;
    // Small markers are squares: 4 vertices instead of a circle's ~20, so 10,000 points stay
    // cheap enough to draw every frame.
    const bool squares = item.radius <= 3.0f;
    const ImVec2 half(item.radius, item.radius);
    for (int i = 0; i < item.count; ++i) {
        const double x = item_x(item, i), y = value_at(item.ys, i, item.stride);
        if (!valid(x, xf.scale[0]) || !valid(y, xf.scale[1])) continue;
        const ImVec2 p = xf.to_pixels(x, y);
        if (!xf.rect.Contains(p)) continue;
        if (squares) {
            draw_list->PrimReserve(6, 4);
            draw_list->PrimRect(ImVec2(p.x - half.x, p.y - half.y),
                                ImVec2(p.x + half.x, p.y + half.y), item.color);
        } else {
            draw_list->AddCircleFilled(p, item.radius, item.color);
        }
    }
}

void draw_item(Context& c, const Item& item, ImDrawList* draw_list, bool fills) {
    const Transform& xf = c.xf;
    const bool is_fill =
        item.kind == ItemKind::band || item.kind == ItemKind::bars || item.kind == ItemKind::image;
    if (is_fill != fills) return;
    switch (item.kind) {
        case ItemKind::line:
            if (item.points_only)
                draw_dots(c, item, draw_list);
            else
                draw_polyline(c, item, draw_list, item.ys);
            break;
        case ItemKind::band:
            draw_band(c, item, draw_list);
            break;
        case ItemKind::bars:
            draw_bars(c, item, draw_list);
            break;
        case ItemKind::scatter:
            draw_dots(c, item, draw_list);
            break;
        case ItemKind::hline:
            if (valid(item.y0, xf.scale[1])) {
                const float y = xf.y_pixel(item.y0);
                draw_list->AddLine(ImVec2(xf.rect.Min.x, y), ImVec2(xf.rect.Max.x, y), item.color);
            }
            break;
        case ItemKind::vline:
            if (valid(item.x0, xf.scale[0])) {
                const float x = xf.x_pixel(item.x0);
                draw_list->AddLine(ImVec2(x, xf.rect.Min.y), ImVec2(x, xf.rect.Max.y), item.color);
            }
            break;
        case ItemKind::markers:
            for (int i = 0; i < item.count; ++i) {
                if (valid(item.marker_xs[i], xf.scale[0])) {
                    draw_dashed_vline(draw_list, xf.x_pixel(item.marker_xs[i]), xf.rect,
                                      item.color);
                }
            }
            break;
        case ItemKind::image:
            if (valid(item.x0, xf.scale[0]) && valid(item.x1, xf.scale[0]) &&
                valid(item.y0, xf.scale[1]) && valid(item.y1, xf.scale[1])) {
                // uv0 belongs at the top-left as in ImGui::Image: (x0, y1) when y points up.
                draw_list->AddImage(item.texture, xf.to_pixels(item.x0, item.y1),
                                    xf.to_pixels(item.x1, item.y0), item.uv0, item.uv1);
            }
            break;
        case ItemKind::text:
            if (valid(item.x0, xf.scale[0]) && valid(item.y0, xf.scale[1])) {
                const char* text = item_label(c, item);
                const ImVec2 size = ImGui::CalcTextSize(text);
                const ImVec2 p = xf.to_pixels(item.x0, item.y0);
                draw_list->AddText(ImVec2(p.x - 0.5f * size.x, p.y - 0.5f * size.y), item.color,
                                   text);
            }
            break;
    }
}

namespace {

// Whether the segment a–b passes through `box` (Liang–Barsky: clip the segment's parameter
// range to the box's four half-planes).
bool segment_meets(ImVec2 a, ImVec2 b, const ImRect& box) {
    float t0 = 0, t1 = 1;
    const float d[2] = {b.x - a.x, b.y - a.y};
    const float lo[2] = {box.Min.x - a.x, box.Min.y - a.y}, hi[2] = {box.Max.x - a.x, box.Max.y - a.y};
    for (int k = 0; k < 2; ++k) {
        if (d[k] == 0) {
            if (lo[k] > 0 || hi[k] < 0) return false;
            continue;
        }
        float ta = lo[k] / d[k], tb = hi[k] / d[k];
        if (ta > tb) std::swap(ta, tb);
        t0 = std::max(t0, ta);
        t1 = std::min(t1, tb);
        if (t0 > t1) return false;
    }
    return true;
}

bool line_covers(const Context& c, const Item& item, const float* ys, const ImRect& box) {
    const Transform& xf = c.xf;
    bool have_prev = false;
    ImVec2 prev;
    for (int i = 0; i < item.count; ++i) {
        const double x = item_x(item, i), y = value_at(ys, i, item.stride);
        if (!valid(x, xf.scale[0]) || !valid(y, xf.scale[1])) {
            have_prev = false;
            continue;
        }
        const ImVec2 p = xf.to_pixels(x, y);
        if (have_prev ? segment_meets(prev, p, box) : box.Contains(p)) return true;
        prev = p;
        have_prev = true;
    }
    return false;
}

bool band_covers(const Context& c, const Item& item, const ImRect& box) {
    const Transform& xf = c.xf;
    bool have_prev = false;
    ImVec2 prev_lo, prev_hi;
    for (int i = 0; i < item.count; ++i) {
        const double x = item_x(item, i);
        const double lo = value_at(item.ys, i, item.stride), hi = value_at(item.hi, i, item.stride);
        if (!valid(x, xf.scale[0]) || !valid(lo, xf.scale[1]) || !valid(hi, xf.scale[1])) {
            have_prev = false;
            continue;
        }
        const ImVec2 p_lo = xf.to_pixels(x, lo), p_hi = xf.to_pixels(x, hi);
        // The segment's quad by its bounding box: a band is a wide, faint fill.
        if (have_prev) {
            const ImRect quad(ImVec2(std::min(prev_lo.x, p_lo.x),
                                     std::min({prev_hi.y, p_hi.y, prev_lo.y, p_lo.y})),
                              ImVec2(std::max(prev_lo.x, p_lo.x),
                                     std::max({prev_hi.y, p_hi.y, prev_lo.y, p_lo.y})));
            if (quad.Overlaps(box)) return true;
        }
        prev_lo = p_lo;
        prev_hi = p_hi;
        have_prev = true;
    }
    return false;
}

bool bars_cover(const Context& c, const Item& item, const ImRect& box) {
    const Transform& xf = c.xf;
    const float* values = bar_values(c, item);
    const bool log_y = xf.scale[1] == Scale::Log10;
    for (int i = 0; i < item.count; ++i) {
        const double x = item.x0 + i * item.dx, v = values[i];
        if (!valid(v, xf.scale[1])) continue;
        const double xl = x - 0.5 * item.width, xr = x + 0.5 * item.width;
        if (!valid(xl, xf.scale[0]) || !valid(xr, xf.scale[0])) continue;
        const float top = xf.y_pixel(v), base = log_y ? xf.rect.Max.y : xf.y_pixel(0.0);
        if (top == base) continue;  // an empty bin draws nothing
        const ImRect bar(ImVec2(xf.x_pixel(xl), std::min(top, base)),
                         ImVec2(xf.x_pixel(xr), std::max(top, base)));
        if (bar.Overlaps(box)) return true;
    }
    return false;
}

}  // namespace

bool item_covers(const Context& c, const Item& item, const ImRect& box_in) {
    const Transform& xf = c.xf;
    ImRect box = box_in;
    box.Expand(line_thickness);  // a line's width, a point's edge
    switch (item.kind) {
        case ItemKind::line:
            return line_covers(c, item, item.ys, box);
        case ItemKind::band:
            return band_covers(c, item, box);
        case ItemKind::bars:
            return bars_cover(c, item, box);
        case ItemKind::scatter:
            for (int i = 0; i < item.count; ++i) {
                const double x = item_x(item, i), y = value_at(item.ys, i, item.stride);
                if (!valid(x, xf.scale[0]) || !valid(y, xf.scale[1])) continue;
                const ImVec2 p = xf.to_pixels(x, y);
                if (xf.rect.Contains(p) && p.x >= box.Min.x - item.radius &&
                    p.x <= box.Max.x + item.radius && p.y >= box.Min.y - item.radius &&
                    p.y <= box.Max.y + item.radius)
                    return true;
            }
            return false;
        case ItemKind::hline: {
            if (!valid(item.y0, xf.scale[1])) return false;
            const float y = xf.y_pixel(item.y0);
            return y >= box.Min.y && y <= box.Max.y;
        }
        case ItemKind::vline: {
            if (!valid(item.x0, xf.scale[0])) return false;
            const float x = xf.x_pixel(item.x0);
            return x >= box.Min.x && x <= box.Max.x;
        }
        case ItemKind::image: {
            const ImVec2 a = xf.to_pixels(item.x0, item.y0), b = xf.to_pixels(item.x1, item.y1);
            return ImRect(ImMin(a, b), ImMax(a, b)).Overlaps(box);
        }
        case ItemKind::text: {
            if (!valid(item.x0, xf.scale[0]) || !valid(item.y0, xf.scale[1])) return false;
            const ImVec2 size = ImGui::CalcTextSize(item_label(c, item));
            const ImVec2 p = xf.to_pixels(item.x0, item.y0);
            return ImRect(ImVec2(p.x - 0.5f * size.x, p.y - 0.5f * size.y),
                          ImVec2(p.x + 0.5f * size.x, p.y + 0.5f * size.y))
                .Overlaps(box);
        }
        case ItemKind::markers:
            return false;  // annotations, across the whole height: a legend may lie over one
    }
    return false;
}

bool line_value_at(const Item& item, double x, double& y) {
    if (item.kind != ItemKind::line || item.count <= 0 || !std::isfinite(x)) return false;
    int i = 0;
    if (!item.xs) {
        const double t = item.dx != 0 ? std::round((x - item.x0) / item.dx) : 0.0;
        i = static_cast<int>(std::clamp(t, 0.0, static_cast<double>(item.count - 1)));
    } else {
        // First index with xs[i] >= x, then whichever neighbour is nearer.
        int lo = 0, hi = item.count;
        while (lo < hi) {
            const int mid = lo + (hi - lo) / 2;
            if (value_at(item.xs, mid, item.stride) < x)
                lo = mid + 1;
            else
                hi = mid;
        }
        i = std::min(lo, item.count - 1);
        if (i > 0 && std::fabs(value_at(item.xs, i - 1, item.stride) - x) <
                         std::fabs(value_at(item.xs, i, item.stride) - x)) {
            --i;
        }
    }
    y = value_at(item.ys, i, item.stride);
    return true;
}

}  // namespace detail

// ---- Public item functions ----

void plot_line(const char* label, const float* xs, const float* ys, int count, ImU32 color,
               int stride) {
    Item& item = new_item(ItemKind::line, label, color);
    item.xs = xs;
    item.ys = ys;
    item.count = std::max(count, 0);
    item.stride = stride > 0 ? stride : static_cast<int>(sizeof(float));
}

void plot_line(const char* label, const float* ys, int count, double x0, double dx, ImU32 color,
               int stride) {
    Item& item = new_item(ItemKind::line, label, color);
    item.ys = ys;
    item.count = std::max(count, 0);
    item.x0 = x0;
    item.dx = dx;
    item.stride = stride > 0 ? stride : static_cast<int>(sizeof(float));
}

void plot_band(const char* label, const float* xs, const float* lo, const float* hi, int count,
               ImU32 color, int stride) {
    Item& item = new_item(ItemKind::band, label, color);
    item.xs = xs;
    item.ys = lo;
    item.hi = hi;
    item.count = std::max(count, 0);
    item.stride = stride > 0 ? stride : static_cast<int>(sizeof(float));
}

void plot_points(const char* label, const float* xs, const float* ys, int count, ImU32 color,
                 float radius, int stride) {
    plot_line(label, xs, ys, count, color, stride);
    Item& item = detail::context().items.back();
    item.points_only = true;
    item.radius = radius;
}

void plot_scatter(const char* label, const float* xs, const float* ys, int count, ImU32 color,
                  float radius, int stride) {
    Item& item = new_item(ItemKind::scatter, label, color);
    item.xs = xs;
    item.ys = ys;
    item.count = std::max(count, 0);
    item.radius = radius;
    item.stride = stride > 0 ? stride : static_cast<int>(sizeof(float));
}

void plot_bars(const char* label, const float* values, int count, double x0, double dx,
               double width, ImU32 color, const ImU32* colors) {
    Item& item = new_item(ItemKind::bars, label, color);
    item.ys = values;
    item.count = std::max(count, 0);
    item.x0 = x0;
    item.dx = dx;
    item.width = width;
    item.colors = colors;
}

void plot_histogram(const char* label, const float* values, int count, int bins, double lo,
                    double hi, ImU32 color, bool density) {
    Context& c = detail::context();
    Item& item = new_item(ItemKind::bars, label, color);
    if (bins < 1 || !(hi > lo) || !std::isfinite(hi - lo)) return;  // nothing to count into
    // Heights live in the module's buffer (reused frame to frame), addressed by offset
    // because a later histogram may reallocate it.
    item.hist = static_cast<int>(c.hist.size());
    c.hist.resize(c.hist.size() + bins, 0.0f);
    float* heights = c.hist.data() + item.hist;
    const double bin_width = (hi - lo) / bins;
    int kept = 0;
    for (int i = 0; i < count; ++i) {
        const double v = values[i];
        if (!(v >= lo && v <= hi)) continue;  // also drops NaN
        heights[std::min(static_cast<int>((v - lo) / bin_width), bins - 1)] += 1.0f;
        ++kept;
    }
    if (density && kept > 0) {
        const float scale = static_cast<float>(1.0 / (kept * bin_width));
        for (int b = 0; b < bins; ++b) heights[b] *= scale;
    }
    item.count = bins;
    item.x0 = lo + 0.5 * bin_width;
    item.dx = bin_width;
    item.width = bin_width;
    item.outline = true;
}

void plot_hline(const char* label, double y, ImU32 color) {
    new_item(ItemKind::hline, label, color).y0 = y;
}

void plot_vline(const char* label, double x, ImU32 color) {
    new_item(ItemKind::vline, label, color).x0 = x;
}

void plot_markers(const double* xs, const char* const* labels, int count, ImU32 color) {
    // Markers are annotations, not series: a muted text colour unless one is given.
    const ImU32 muted = ImGui::GetColorU32(ImGuiCol_Text, 0.45f);
    Item& item = new_item(ItemKind::markers, nullptr, color != 0 ? color : muted);
    item.marker_xs = xs;
    item.marker_labels = labels;
    item.count = std::max(count, 0);
}

void plot_image(ImTextureID texture, double x0, double y0, double x1, double y1, ImVec2 uv0,
                ImVec2 uv1) {
    Item& item = new_item(ItemKind::image, nullptr, IM_COL32_WHITE);
    item.texture = texture;
    item.x0 = x0;
    item.y0 = y0;
    item.x1 = x1;
    item.y1 = y1;
    item.uv0 = uv0;
    item.uv1 = uv1;
}

void plot_text(double x, double y, const char* text, ImU32 color) {
    // Text is an annotation: the theme's text colour unless one is given.
    Item& item =
        new_item(ItemKind::text, nullptr, color != 0 ? color : ImGui::GetColorU32(ImGuiCol_Text));
    item.label = store_text(detail::context(), text ? text : "");
    item.x0 = x;
    item.y0 = y;
}

}  // namespace plot
