// The plot module's legend: one row per distinct label, placed where it hides no data — a
// corner or an edge of the plotting rectangle that no item reaches, else beside the data on
// the right (the rectangle narrows for it), else none (the hover read-out names every line).
#include <algorithm>

#include "app/plot/plot_internal.h"

namespace plot::detail {

namespace {

// The legend's rows, one per distinct label (a band and its line share one).
void collect_entries(Context& c) {
    c.legend.clear();
    for (const Item& item : c.items) {
        if (!item.in_legend) continue;
        const bool seen = std::any_of(c.legend.begin(), c.legend.end(),
                                      [&](const LegendEntry& e) { return e.key == item.key; });
        if (!seen) c.legend.push_back({item.key, item.label, item.color, item.hidden});
    }
}

ImVec2 box_size(const Context& c) {
    const float line_h = ImGui::GetTextLineHeight();
    const float swatch = line_h * 0.8f;
    float label_w = 0;
    for (const LegendEntry& e : c.legend)
        label_w = std::max(label_w, ImGui::CalcTextSize(c.text.c_str() + e.label, nullptr, true).x);
    return ImVec2(2 * kLegendPad + swatch + kLegendPad + label_w,
                  2 * kLegendPad + line_h * static_cast<float>(c.legend.size()));
}

bool covers_data(const Context& c, const ImRect& box) {
    return std::any_of(c.items.begin(), c.items.end(), [&](const Item& item) {
        return !item.hidden && item_covers(c, item, box);
    });
}

// The box of `size` at one of the rectangle's corners or edge middles: fx, fy in {0, ½, 1}
// (0 = left/top).
ImRect box_at(const ImRect& r, ImVec2 size, float fx, float fy) {
    const float x = r.Min.x + kLegendMargin + fx * (r.GetWidth() - 2 * kLegendMargin - size.x);
    const float y = r.Min.y + kLegendMargin + fy * (r.GetHeight() - 2 * kLegendMargin - size.y);
    return ImRect(ImVec2(x, y), ImVec2(x + size.x, y + size.y));
}

}  // namespace

bool place_legend(Context& c) {
    c.legend_box = ImRect(0, 0, 0, 0);
    collect_entries(c);
    if (!c.options.legend || c.legend.empty()) return false;
    ImRect& r = c.xf.rect;
    const ImVec2 size = box_size(c);
    // A plot too small for its legend shows none: a box cut by the plot's edge (or one
    // covering all of it) says less than the hover read-out, which names every line.
    // (height_for_legend() is the frame height at which it fits: keep the two in step.)
    if (size.y > r.GetHeight() - 2 * kLegendMargin) return false;
    if (size.x <= r.GetWidth() - 2 * kLegendMargin) {
        if (c.options.legend_place == LegendPlace::TopRight) {
            c.legend_box = box_at(r, size, 1, 0);
            return false;
        }
        // Corners first (top right, top left, bottom right, bottom left), then the edges.
        constexpr float kPlaces[][2] = {{1, 0}, {0, 0}, {1, 1}, {0, 1},
                                        {0.5f, 0}, {0.5f, 1}, {1, 0.5f}, {0, 0.5f}};
        for (const auto& place : kPlaces) {
            const ImRect box = box_at(r, size, place[0], place[1]);
            if (!covers_data(c, box)) {
                c.legend_box = box;
                return false;
            }
        }
    }
    // Beside the data: the rectangle gives up the legend's width, while it keeps at least
    // half of its own and stays readable (kMinPlotWidth); else no legend.
    const float narrower = r.GetWidth() - size.x - 2 * kLegendMargin;
    if (narrower < std::max(0.5f * r.GetWidth(), kMinPlotWidth)) return false;
    const float right = r.Max.x;
    r.Max.x = r.Min.x + narrower;
    c.legend_box = ImRect(ImVec2(right - size.x, r.Min.y), ImVec2(right, r.Min.y + size.y));
    return true;
}

void draw_legend(Context& c, PlotState& s, ImDrawList* draw_list) {
    s.legend = c.legend_box;
    if (c.legend_box.GetWidth() <= 0) return;
    const ImRect& box = c.legend_box;
    const float line_h = ImGui::GetTextLineHeight();
    const float swatch = line_h * 0.8f;
    draw_list->AddRectFilled(box.Min, box.Max, ImGui::GetColorU32(ImGuiCol_PopupBg, 0.85f));
    draw_list->AddRect(box.Min, box.Max, ImGui::GetColorU32(ImGuiCol_Border));
    const ImGuiIO& io = ImGui::GetIO();
    for (size_t i = 0; i < c.legend.size(); ++i) {
        const LegendEntry& e = c.legend[i];
        const float y = box.Min.y + kLegendPad + line_h * static_cast<float>(i);
        const ImRect row(ImVec2(box.Min.x, y), ImVec2(box.Max.x, y + line_h));
        const bool over = c.hovered && row.Contains(io.MousePos);
        if (over)
            draw_list->AddRectFilled(row.Min, row.Max,
                                     ImGui::GetColorU32(ImGuiCol_HeaderHovered, 0.5f));
        if (over && ImGui::IsMouseClicked(ImGuiMouseButton_Left))
            c.hidden.SetBool(e.key, !e.hidden);  // takes effect from the next frame's fit
        const ImVec2 sw_min(box.Min.x + kLegendPad, y + 0.5f * (line_h - swatch));
        const ImVec2 sw_max(sw_min.x + swatch, sw_min.y + swatch);
        if (e.hidden)
            draw_list->AddRect(sw_min, sw_max, e.color);
        else
            draw_list->AddRectFilled(sw_min, sw_max, e.color);
        const char* label = c.text.c_str() + e.label;
        draw_list->AddText(ImVec2(sw_max.x + kLegendPad, y),
                           ImGui::GetColorU32(e.hidden ? ImGuiCol_TextDisabled : ImGuiCol_Text),
                           label, ImGui::FindRenderedTextEnd(label));
    }
}

}  // namespace plot::detail
