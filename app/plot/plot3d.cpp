// The orthographic 3-D view: rotation helpers, recording items, fitting them on their
// bounding sphere, and drawing planes, lines, points, the axis triad and the legend.
#include "app/plot/plot3d.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include <imgui_internal.h>

#include "app/plot/context_state.h"
#include "app/plot/plot_internal.h"
#include "core/base/check.h"

namespace plot {

namespace {

constexpr float drag_radians_per_pixel = 0.01f;
constexpr float max_pitch = 1.5f;  // short of ±π/2, where yaw would stop turning the picture
constexpr float fit_pad = 10.0f;   // pixels between the bounding sphere and the frame
constexpr float legend_margin = 6.0f, legend_pad = 4.0f;
constexpr float triad_length = 20.0f;

enum class Kind : unsigned char { plane, line, points };

struct Item {
    Kind kind = Kind::points;
    ImU32 color = 0;
    ImGuiID key = 0;  // hash of the label: the legend entry and the shared colour
    int label = -1;   // offset in Context::text
    bool in_legend = false;
    const float* xyz = nullptr;
    int count = 0;
    float width = 0;  // point radius or line thickness
    bool closed = false;
    int lines = 0;
    float plane[9] = {};  // centre, u, v: copied, so callers may pass temporaries
};

// World → pixels for one frame: pixel = origin + scale·(right, −up) of (p − centre).
struct Projection {
    View3d view;
    double centre[3] = {0, 0, 0};
    double scale = 1;
    ImVec2 origin;

    ImVec2 to_pixels(double x, double y, double z) const {
        const auto r = rotate_to_camera(view, x - centre[0], y - centre[1], z - centre[2]);
        return ImVec2(origin.x + static_cast<float>(scale * r[0]),
                      origin.y - static_cast<float>(scale * r[1]));
    }
};

// Module state. The vectors and the string are cleared per view and keep their capacity, so a
// warm frame does not allocate.
struct Context {
    bool in_plot = false;
    ImGuiID id = 0;
    ImRect frame;
    int next_color = 0;
    int axis_names[3] = {0, 0, 0};  // offsets in text
    std::vector<Item> items;
    std::string text;  // labels and axis names, each followed by '\0'
    std::vector<ImVec2> points;
    Projection xf;       // this frame's, once end_plot3d has fitted it
    Projection last_xf;  // the last drawn view's, for the queries
    ImRect last_frame{0, 0, 0, 0};
};

// Held by the ImGui context (context_state.h).
Context& context3d() {
    constexpr ImGuiID kOwner = 0x706c3364;  // "pl3d"
    return detail::context_state<Context>(kOwner);
}

int store_text(Context& c, const char* text) {
    const int offset = static_cast<int>(c.text.size());
    c.text.append(text);
    c.text.push_back('\0');
    return offset;
}

Item& new_item(Kind kind, const char* label, ImU32 color, const float* xyz, int count) {
    Context& c = context3d();
    AELAB_CHECK(c.in_plot, "plot3d items go between begin_plot3d and end_plot3d");
    Item& item = c.items.emplace_back();
    item.kind = kind;
    item.xyz = xyz;
    item.count = xyz ? std::max(count, 0) : 0;
    if (label) {
        item.key = ImHashStr(label, 0, c.id);
        item.label = store_text(c, label);
        item.in_legend = label[0] != '\0' && std::strncmp(label, "##", 2) != 0;
    }
    for (size_t i = 0; color == 0 && item.key != 0 && i + 1 < c.items.size(); ++i) {
        if (c.items[i].key == item.key) color = c.items[i].color;
    }
    item.color = color != 0 ? color : palette_color(c.next_color++);
    return item;
}

ImU32 scale_alpha(ImU32 color, float f) {
    const auto a = static_cast<ImU32>(static_cast<float>((color >> IM_COL32_A_SHIFT) & 0xff) * f);
    return (color & ~IM_COL32_A_MASK) | (a << IM_COL32_A_SHIFT);
}

void plane_point(const Item& item, float s, float t, double p[3]) {
    for (int k = 0; k < 3; ++k)
        p[k] = item.plane[k] + s * item.plane[3 + k] + t * item.plane[6 + k];
}

template <class T>
bool finite3(const T* p) {
    return std::isfinite(p[0]) && std::isfinite(p[1]) && std::isfinite(p[2]);
}

// Calls f(p) for every finite point the items draw (plane corners included).
template <class F>
void for_each_point(const Context& c, F&& f) {
    for (const Item& item : c.items) {
        double p[3];
        const int n = item.kind == Kind::plane ? 4 : item.count;
        for (int i = 0; i < n; ++i) {
            if (item.kind == Kind::plane) {
                plane_point(item, i & 1 ? 1 : -1, i & 2 ? 1 : -1, p);
            } else {
                std::copy_n(item.xyz + 3 * static_cast<size_t>(i), 3, p);
            }
            if (finite3(p)) f(p);
        }
    }
}

// One scale for all axes, from the bounding sphere about the box centre: any rotation keeps
// every point within the sphere's disc, so the picture does not jump while it turns.
void fit(Context& c) {
    double lo[3] = {HUGE_VAL, HUGE_VAL, HUGE_VAL}, hi[3] = {-HUGE_VAL, -HUGE_VAL, -HUGE_VAL};
    for_each_point(c, [&](const double* p) {
        for (int k = 0; k < 3; ++k) {
            lo[k] = std::min(lo[k], p[k]);
            hi[k] = std::max(hi[k], p[k]);
        }
    });
    Projection& xf = c.xf;
    for (int k = 0; k < 3; ++k) xf.centre[k] = lo[k] <= hi[k] ? 0.5 * (lo[k] + hi[k]) : 0.0;
    double r2 = 0;
    for_each_point(c, [&](const double* p) {
        const double d[3] = {p[0] - xf.centre[0], p[1] - xf.centre[1], p[2] - xf.centre[2]};
        r2 = std::max(r2, d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    });
    const double radius = r2 > 0 && std::isfinite(r2) ? std::sqrt(r2) : 1.0;
    const float half = 0.5f * std::min(c.frame.GetWidth(), c.frame.GetHeight()) - fit_pad;
    xf.scale = std::max(half, 1.0f) / radius;
    xf.origin = c.frame.GetCenter();
}

void draw_plane(const Context& c, const Item& item, ImDrawList* dl) {
    const Projection& xf = c.xf;
    double p[3];
    auto pixel = [&](float s, float t) {
        plane_point(item, s, t, p);
        return xf.to_pixels(p[0], p[1], p[2]);
    };
    dl->AddQuadFilled(pixel(-1, -1), pixel(1, -1), pixel(1, 1), pixel(-1, 1),
                      scale_alpha(item.color, 0.2f));
    const ImU32 wire = scale_alpha(item.color, 0.6f);
    const int n = std::max(item.lines, 2);  // at least the outline
    for (int i = 0; i < n; ++i) {
        const float t = -1.0f + 2.0f * static_cast<float>(i) / static_cast<float>(n - 1);
        dl->AddLine(pixel(t, -1), pixel(t, 1), wire);
        dl->AddLine(pixel(-1, t), pixel(1, t), wire);
    }
}

// A closed strip revisits its first point; a non-finite point breaks the strip.
void draw_line(Context& c, const Item& item, ImDrawList* dl) {
    auto flush = [&] {
        if (c.points.size() >= 2)
            dl->AddPolyline(c.points.data(), static_cast<int>(c.points.size()), item.color,
                            ImDrawFlags_None, item.width);
        c.points.clear();
    };
    c.points.clear();
    const int n = item.count + (item.closed && item.count > 2 ? 1 : 0);
    for (int k = 0; k < n; ++k) {
        const float* q = item.xyz + 3 * static_cast<size_t>(k % item.count);
        if (finite3(q))
            c.points.push_back(c.xf.to_pixels(q[0], q[1], q[2]));
        else
            flush();
    }
    flush();
}

// The world axes as seen now, in the bottom-left corner, the farthest drawn first.
void draw_triad(const Context& c, ImDrawList* dl) {
    static constexpr ImU32 colors[3] = {IM_COL32(230, 80, 70, 255), IM_COL32(90, 190, 90, 255),
                                        IM_COL32(80, 140, 240, 255)};
    const ImVec2 o(c.frame.Min.x + triad_length + 12, c.frame.Max.y - triad_length - 12);
    std::array<double, 3> dir[3];
    int order[3] = {0, 1, 2};
    for (int a = 0; a < 3; ++a) dir[a] = rotate_to_camera(c.xf.view, a == 0, a == 1, a == 2);
    std::sort(order, order + 3, [&](int a, int b) { return dir[a][2] > dir[b][2]; });
    for (const int a : order) {
        const float dx = static_cast<float>(dir[a][0]), dy = -static_cast<float>(dir[a][1]);
        dl->AddLine(o, ImVec2(o.x + triad_length * dx, o.y + triad_length * dy), colors[a], 2.0f);
        const char* name = c.text.c_str() + c.axis_names[a];
        const ImVec2 size = ImGui::CalcTextSize(name);
        const float reach = triad_length + 0.5f * std::max(size.x, size.y) + 2;
        dl->AddText(ImVec2(o.x + reach * dx - 0.5f * size.x, o.y + reach * dy - 0.5f * size.y),
                    colors[a], name);
    }
}

bool first_of_label(const Context& c, size_t i) {
    for (size_t j = 0; j < i; ++j) {
        if (c.items[j].in_legend && c.items[j].key == c.items[i].key) return false;
    }
    return c.items[i].in_legend;
}

ImRect draw_legend(const Context& c, ImDrawList* dl) {
    const float line_h = ImGui::GetTextLineHeight(), swatch = 0.8f * line_h;
    float label_w = 0;
    int rows = 0;
    for (size_t i = 0; i < c.items.size(); ++i) {
        if (!first_of_label(c, i)) continue;
        label_w = std::max(label_w,
                           ImGui::CalcTextSize(c.text.c_str() + c.items[i].label, nullptr, true).x);
        ++rows;
    }
    if (rows == 0) return ImRect(0, 0, 0, 0);
    const ImVec2 min(c.frame.Min.x + legend_margin, c.frame.Min.y + legend_margin);
    const ImVec2 max(min.x + 3 * legend_pad + swatch + label_w,
                     min.y + 2 * legend_pad + line_h * static_cast<float>(rows));
    dl->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_PopupBg, 0.85f));
    dl->AddRect(min, max, ImGui::GetColorU32(ImGuiCol_Border));
    float y = min.y + legend_pad;
    for (size_t i = 0; i < c.items.size(); ++i) {
        if (!first_of_label(c, i)) continue;
        const ImVec2 sw(min.x + legend_pad, y + 0.5f * (line_h - swatch));
        dl->AddRectFilled(sw, ImVec2(sw.x + swatch, sw.y + swatch), c.items[i].color);
        const char* label = c.text.c_str() + c.items[i].label;
        dl->AddText(ImVec2(sw.x + swatch + legend_pad, y), ImGui::GetColorU32(ImGuiCol_Text), label,
                    ImGui::FindRenderedTextEnd(label));
        y += line_h;
    }
    return ImRect(min, max);
}

}  // namespace

std::array<double, 3> rotate_to_camera(const View3d& view, double x, double y, double z) {
    // In double: float sines would leave rotated lengths wrong in the 8th digit.
    const double yaw = view.yaw, pitch = view.pitch;
    const double cy = std::cos(yaw), sy = std::sin(yaw), cp = std::cos(pitch), sp = std::sin(pitch);
    const double right = cy * x - sy * y, ahead = sy * x + cy * y;  // yaw about z
    return {right, cp * z + sp * ahead, cp * ahead - sp * z};       // then tip by the pitch
}

void drag_view(View3d& view, float dx_pixels, float dy_pixels) {
    // Wrapped, so a long spin does not lose float precision.
    view.yaw = std::remainder(view.yaw + drag_radians_per_pixel * dx_pixels, 2 * IM_PI);
    view.pitch = std::clamp(view.pitch + drag_radians_per_pixel * dy_pixels, -max_pitch, max_pitch);
}

bool begin_plot3d(const char* id, ImVec2 size, View3d& view, const char* const axis_names[3]) {
    Context& c = context3d();
    AELAB_CHECK(!c.in_plot, "begin_plot3d inside another 3-D view: call end_plot3d first");
    if (ImGui::GetCurrentWindow()->SkipItems) return false;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (size.x <= 0) size.x = std::max(avail.x, 80.0f);
    if (size.y <= 0) size.y = std::max(avail.y, 80.0f);
    const ImVec2 pos = ImGui::GetCursorScreenPos();
    const bool visible = ImGui::IsRectVisible(size);
    // The button makes the view ImGui's active item while held, so a drag turns the view
    // instead of moving the window.
    ImGui::InvisibleButton(id, size);
    if (!visible) return false;
    if (ImGui::IsItemActive())
        drag_view(view, ImGui::GetIO().MouseDelta.x, ImGui::GetIO().MouseDelta.y);
    if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
        view = View3d{};
    c.in_plot = true;
    c.id = ImGui::GetItemID();
    c.frame = ImRect(pos, ImVec2(pos.x + size.x, pos.y + size.y));
    c.next_color = 0;
    c.items.clear();
    c.text.clear();
    c.xf.view = view;  // after the drag: this frame shows its effect
    static const char* const default_names[3] = {"x", "y", "z"};
    for (int a = 0; a < 3; ++a)
        c.axis_names[a] = store_text(c, (axis_names ? axis_names : default_names)[a]);
    return true;
}

void plot3d_points(const char* label, const float* xyz, int count, ImU32 color, float radius) {
    new_item(Kind::points, label, color, xyz, count).width = radius;
}

void plot3d_line(const char* label, const float* xyz, int count, ImU32 color, float thickness,
                 bool closed) {
    Item& item = new_item(Kind::line, label, color, xyz, count);
    item.width = thickness;
    item.closed = closed;
}

void plot3d_plane(const char* label, const float centre[3], const float u[3], const float v[3],
                  ImU32 color, int lines) {
    Item& item = new_item(Kind::plane, label, color, nullptr, 0);
    std::copy(centre, centre + 3, item.plane);
    std::copy(u, u + 3, item.plane + 3);
    std::copy(v, v + 3, item.plane + 6);
    item.lines = lines;
}

void end_plot3d() {
    Context& c = context3d();
    AELAB_CHECK(c.in_plot, "end_plot3d without a begin_plot3d that returned true");
    fit(c);
    c.last_xf = c.xf;
    c.last_frame = c.frame;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const int vtx_begin = dl->VtxBuffer.Size;
    dl->AddRectFilled(c.frame.Min, c.frame.Max, ImGui::GetColorU32(ImGuiCol_FrameBg));
    dl->PushClipRect(c.frame.Min, c.frame.Max, true);
    // Planes under lines under points: the fills must not hide what lies on them.
    for (const Kind kind : {Kind::plane, Kind::line, Kind::points}) {
        for (const Item& item : c.items) {
            if (item.kind != kind) continue;
            if (kind == Kind::plane) draw_plane(c, item, dl);
            if (kind == Kind::line) draw_line(c, item, dl);
            for (int i = 0; kind == Kind::points && i < item.count; ++i) {
                const float* q = item.xyz + 3 * static_cast<size_t>(i);
                if (finite3(q))
                    dl->AddCircleFilled(c.xf.to_pixels(q[0], q[1], q[2]), item.width, item.color);
            }
        }
    }
    draw_triad(c, dl);
    const ImRect legend = draw_legend(c, dl);
    dl->PopClipRect();
    dl->AddRect(c.frame.Min, c.frame.Max, ImGui::GetColorU32(ImGuiCol_Border));
    c.in_plot = false;
    // For the layout audit: its frame is its plotting area. Its items are not given, so its
    // legend's corner is not checked against the points: a turn of the view moves them.
    DrawnPlot record;
    record.draw_list = dl;
    record.frame = record.rect = {c.frame.Min, c.frame.Max};
    record.shown = {dl->GetClipRectMin(), dl->GetClipRectMax()};
    record.vtx_begin = vtx_begin;
    record.vtx_end = dl->VtxBuffer.Size;
    record.legend = {legend.Min, legend.Max};
    detail::drawn(detail::context()).plots.push_back(record);
}

PixelRect plot3d_rect() {
    const Context& c = context3d();
    return {c.last_frame.Min, c.last_frame.Max};
}

ImVec2 plot3d_to_pixels(double x, double y, double z) {
    return context3d().last_xf.to_pixels(x, y, z);
}

}  // namespace plot
