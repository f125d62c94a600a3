// The plot module's axes: where the plotting rectangle sits inside the frame, which ticks
// fit without their labels overlapping, and drawing the grid, frame and labels.
#include <algorithm>
#include <cmath>

#include "app/plot/plot_internal.h"

namespace plot::detail {

namespace {

constexpr float frame_pad = 4.0f;  // frame edge ↔ labels
constexpr float tick_gap = 4.0f;   // tick labels ↔ plot edge, and between label rows

// Ticks for axis a at the current limits, at most max_ticks; returns the widest label.
float make_ticks(Context& c, int a, int max_ticks) {
    const Transform& xf = c.xf;
    const bool log = xf.scale[a] == Scale::Log10;
    if (log)
        log_ticks_into(xf.lo[a], xf.hi[a], max_ticks, c.tick_values);
    else
        nice_ticks_into(xf.lo[a], xf.hi[a], max_ticks, c.tick_values);
    c.ticks[a].clear();
    float widest = 0;
    for (size_t i = 0; i < c.tick_values.size(); ++i) {
        const double v = c.tick_values[i];
        char buf[64];
        format_tick_into(buf, sizeof buf, v, label_step(c.tick_values, i, xf.lo[a], xf.hi[a], log));
        Tick t;
        t.value = v;
        t.text = static_cast<int>(c.tick_text.size());
        t.width = ImGui::CalcTextSize(buf).x;
        c.tick_text.append(buf);
        c.tick_text.push_back('\0');
        c.ticks[a].push_back(t);
        widest = std::max(widest, t.width);
    }
    return widest;
}

float choose_y_ticks(Context& c) {
    // Two text lines per tick leaves a line of air between labels.
    const float line_h = ImGui::GetTextLineHeight();
    const int max_ticks = std::clamp(static_cast<int>(c.xf.rect.GetHeight() / (2 * line_h)), 1, 12);
    return make_ticks(c, 1, max_ticks);
}

// As many x ticks as fit: start from an estimate of the label width, then drop ticks until
// neighbouring labels keep a gap of two characters.
void choose_x_ticks(Context& c) {
    const Transform& xf = c.xf;
    const float gap = 2 * ImGui::CalcTextSize("0").x;
    const float width = xf.rect.GetWidth();
    char lo_buf[64], hi_buf[64];
    const double est_step = (xf.hi[0] - xf.lo[0]) / 5;
    const bool log = xf.scale[0] == Scale::Log10;
    format_tick_into(lo_buf, sizeof lo_buf, xf.lo[0], log ? xf.lo[0] : est_step);
    format_tick_into(hi_buf, sizeof hi_buf, xf.hi[0], log ? xf.hi[0] : est_step);
    const float est = std::max(ImGui::CalcTextSize(lo_buf).x, ImGui::CalcTextSize(hi_buf).x);
    int max_ticks = std::clamp(static_cast<int>(width / (est + gap)), 1, 20);
    const size_t text_start = c.tick_text.size();
    for (int attempt = 0; attempt < 8; ++attempt) {
        c.tick_text.resize(text_start);  // drop the last attempt's labels
        make_ticks(c, 0, max_ticks);
        const auto& ticks = c.ticks[0];
        bool fits = true;
        for (size_t i = 1; i < ticks.size() && fits; ++i) {
            const float dist = xf.x_pixel(ticks[i].value) - xf.x_pixel(ticks[i - 1].value);
            fits = dist >= 0.5f * (ticks[i].width + ticks[i - 1].width) + gap;
        }
        if (fits || max_ticks == 1) return;
        max_ticks = std::min(max_ticks - 1, static_cast<int>(ticks.size()) - 1);
    }
}

}  // namespace

namespace {

// Top: the y label's row, then half a line so the top tick label stays in the frame.
float height_above_rect(const PlotOptions& options) {
    const float line_h = ImGui::GetTextLineHeight();
    return frame_pad + 0.5f * line_h + (options.y_label ? line_h : 0.0f);
}

// Bottom: the x tick labels, then the x label's row.
float height_below_rect(const PlotOptions& options) {
    const float line_h = ImGui::GetTextLineHeight();
    return frame_pad + line_h + tick_gap + (options.x_label ? line_h + tick_gap : 0.0f);
}

}  // namespace

float height_around_rect(const PlotOptions& options) {
    return height_above_rect(options) + height_below_rect(options);
}

float width_around_rect() {
    // As layout() leaves: the widest y label and its gaps on the left, half a last x label
    // on the right.
    return 2 * frame_pad + ImGui::CalcTextSize("0.0000").x + tick_gap +
           1.5f * ImGui::GetTextLineHeight();
}

void layout(Context& c) {
    const ImRect& f = c.frame;
    const float top = f.Min.y + height_above_rect(c.options);
    const float bottom = std::max(f.Max.y - height_below_rect(c.options), top + 10);
    c.tick_text.clear();
    c.xf.rect = ImRect(f.Min.x, top, f.Max.x, bottom);
    // The left margin follows the widest y label, so labels never reach into the plot.
    const float left = f.Min.x + frame_pad + choose_y_ticks(c) + tick_gap;
    // Room on the right for half of a last x label centred on the edge.
    const float right = std::max(f.Max.x - frame_pad - 1.5f * ImGui::GetTextLineHeight(), left + 10);
    c.xf.rect = ImRect(left, top, right, bottom);
    choose_x_ticks(c);
}

void refresh_ticks(Context& c) {
    c.tick_text.clear();
    choose_y_ticks(c);
    choose_x_ticks(c);
}

void draw_axes(const Context& c, ImDrawList* draw_list, bool grid) {
    const Transform& xf = c.xf;
    const ImRect& r = xf.rect;
    const ImRect& f = c.frame;
    if (grid) {
        const ImU32 col = ImGui::GetColorU32(ImGuiCol_Text, 0.10f);
        for (const Tick& t : c.ticks[0]) {
            const float x = std::round(xf.x_pixel(t.value)) + 0.5f;
            if (x > r.Min.x + 1 && x < r.Max.x - 1) {
                draw_list->AddLine(ImVec2(x, r.Min.y), ImVec2(x, r.Max.y), col);
            }
        }
        for (const Tick& t : c.ticks[1]) {
            const float y = std::round(xf.y_pixel(t.value)) + 0.5f;
            if (y > r.Min.y + 1 && y < r.Max.y - 1) {
                draw_list->AddLine(ImVec2(r.Min.x, y), ImVec2(r.Max.x, y), col);
            }
        }
        return;
    }
    const float line_h = ImGui::GetTextLineHeight();
    const ImU32 text = ImGui::GetColorU32(ImGuiCol_Text);
    const ImU32 tick_col = ImGui::GetColorU32(ImGuiCol_Text, 0.8f);
    draw_list->AddRect(r.Min, r.Max, ImGui::GetColorU32(ImGuiCol_Text, 0.35f));
    for (const Tick& t : c.ticks[0]) {
        const float x = xf.x_pixel(t.value);
        if (x < r.Min.x - 0.5f || x > r.Max.x + 0.5f) continue;
        const float lx = std::clamp(x - 0.5f * t.width, f.Min.x, f.Max.x - t.width);
        draw_list->AddText(ImVec2(lx, r.Max.y + tick_gap), tick_col, c.tick_text.c_str() + t.text);
    }
    for (const Tick& t : c.ticks[1]) {
        const float y = xf.y_pixel(t.value);
        if (y < r.Min.y - 0.5f || y > r.Max.y + 0.5f) continue;
        const float ly = std::clamp(y - 0.5f * line_h, f.Min.y, f.Max.y - line_h);
        draw_list->AddText(ImVec2(r.Min.x - tick_gap - t.width, ly), tick_col,
                           c.tick_text.c_str() + t.text);
    }
    if (c.options.x_label) {
        const float w = ImGui::CalcTextSize(c.options.x_label).x;
        const float y = r.Max.y + tick_gap + line_h + tick_gap;
        draw_list->AddText(ImVec2(std::max(f.Min.x, 0.5f * (r.Min.x + r.Max.x - w)), y), text,
                           c.options.x_label);
    }
    if (c.options.y_label) {
        // ImGui cannot rotate text, so the y label sits level above the axis.
        draw_list->AddText(ImVec2(f.Min.x + frame_pad, f.Min.y + frame_pad), text,
                           c.options.y_label);
    }
}

}  // namespace plot::detail
