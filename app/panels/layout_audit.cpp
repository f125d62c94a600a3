#include "app/panels/layout_audit.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>
#include <utility>

#include <imgui_internal.h>

#include "app/panels/clip_audit.h"
#include "app/panels/panels.h"

namespace {

// Two items overlap when they share at least this many pixels each way: glyph boxes of
// neighbouring lines, or a tile's edge on its frame, may touch by a pixel or two.
constexpr float kOverlapPx = 3;

struct Box {
    ImVec2 min, max;
    float w() const { return max.x - min.x; }
    float h() const { return max.y - min.y; }
};

Box intersect(Box a, Box b) {
    return {ImVec2(std::max(a.min.x, b.min.x), std::max(a.min.y, b.min.y)),
            ImVec2(std::min(a.max.x, b.max.x), std::min(a.max.y, b.max.y))};
}
bool overlap(const Box& a, const Box& b) {
    const Box i = intersect(a, b);
    return i.w() >= kOverlapPx && i.h() >= kOverlapPx;
}
Box from_clip(const ImVec4& c) {
    return {ImVec2(c.x, c.y), ImVec2(c.z, c.w)};
}
Box from_rect(const plot::PixelRect& r) {
    return {r.min, r.max};
}

// Something drawn in one draw list: a run of text or an image quad, as far as it shows.
struct Ink {
    Box box;             // the visible part (cut to the clip rectangle)
    int vertex = 0;      // its first vertex
    int run = -1;        // text: which run of glyphs (one AddText, roughly); -1: an image
    bool maths = false;  // a glyph of a formula's face (not the text's font)
    std::string text;    // the run's text, for the report
};

// Text runs, glyph by glyph: a run goes on while glyphs follow on their row, left to right.
void add_glyphs(const ImDrawList& list, const ImFont& font, std::vector<Ink>& out) {
    int run = -1;
    const DrawnGlyph* previous = nullptr;
    const std::vector<DrawnGlyph> glyphs = drawn_glyphs(list, font);
    std::vector<std::string> texts;
    for (const DrawnGlyph& g : glyphs) {
        const bool same = previous && previous->row == g.row && g.min.x >= previous->max.x - 1 &&
                          g.min.x - previous->max.x < font.FontSize;
        if (!same) texts.emplace_back(), ++run;
        if (same && g.min.x - previous->max.x > 0.2f * font.FontSize) texts.back() += ' ';
        texts.back() += utf8(g.glyph->Codepoint);
        previous = &g;
        const Box box = intersect({g.min, g.max}, from_clip(g.clip));
        if (box.w() > 0 && box.h() > 0) out.push_back({box, g.vertex, run, g.font != &font, {}});
    }
    for (Ink& ink : out)
        if (ink.run >= 0) ink.text = texts[size_t(ink.run)];
}

// Image quads: the triangles of every command drawn with a texture other than the font's.
void add_images(const ImDrawList& list, const ImFont& font, std::vector<Ink>& out) {
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
        if (cmd.UserCallback || cmd.TextureId == font.ContainerAtlas->TexID) continue;
        for (unsigned int k = 0; k + 5 < cmd.ElemCount; k += 6) {  // a quad: two triangles
            Box box{ImVec2(1e30f, 1e30f), ImVec2(-1e30f, -1e30f)};
            int first = list.VtxBuffer.Size;
            for (unsigned int j = 0; j < 6; ++j) {
                const int v = int(cmd.VtxOffset + list.IdxBuffer[int(cmd.IdxOffset + k + j)]);
                first = std::min(first, v);
                box.min = ImMin(box.min, list.VtxBuffer[v].pos);
                box.max = ImMax(box.max, list.VtxBuffer[v].pos);
            }
            box = intersect(box, from_clip(cmd.ClipRect));
            if (box.w() > 0 && box.h() > 0) out.push_back({box, first, -1, false, {}});
        }
    }
}

const plot::DrawnPlot* plot_of(const plot::DrawnFrame& drawn, const ImDrawList& list, int vertex) {
    for (const plot::DrawnPlot& p : drawn.plots)
        if (p.draw_list == &list && vertex >= p.vtx_begin && vertex < p.vtx_end) return &p;
    return nullptr;
}

std::string describe(const Ink& ink) {
    return ink.run >= 0 ? "\"" + ink.text + "\"" : "an image";
}

void find_overlaps(const ImDrawList& list, const ImFont& font, const plot::DrawnFrame& drawn,
                   std::vector<LayoutFault>& out) {
    std::vector<Ink> inks;
    add_glyphs(list, font, inks);
    add_images(list, font, inks);
    const std::string window = window_of(list);
    std::sort(inks.begin(), inks.end(),
              [](const Ink& a, const Ink& b) { return a.box.min.x < b.box.min.x; });
    // Sweep along x: only boxes that start before this one ends can meet it. A pair of text
    // runs is one fault however many of their glyphs meet.
    std::set<std::pair<int, int>> runs_met;
    for (size_t i = 0; i < inks.size(); ++i)
        for (size_t j = i + 1; j < inks.size() && inks[j].box.min.x < inks[i].box.max.x; ++j) {
            const Ink &a = inks[i], &b = inks[j];
            if (a.run >= 0 && a.run == b.run) continue;  // one text's own glyphs
            // A formula's glyphs among themselves: the typesetter sets a script under an
            // italic's overhang by TeX's rules (it checks their ink; these are bitmap boxes).
            if (a.maths && b.maths) continue;
            if (!overlap(a.box, b.box)) continue;
            if (a.run >= 0 && b.run >= 0 &&
                !runs_met.insert({std::min(a.run, b.run), std::max(a.run, b.run)}).second)
                continue;
            out.push_back({LayoutFault::Overlap, window, describe(a) + " over " + describe(b)});
        }
    // Another item's text or image on a plot's data area.
    for (const plot::DrawnPlot& p : drawn.plots) {
        if (p.draw_list != &list) continue;
        const Box area = intersect(from_rect(p.rect), from_rect(p.shown));
        for (const Ink& ink : inks)
            if (plot_of(drawn, list, ink.vertex) != &p && overlap(ink.box, area))
                out.push_back({LayoutFault::Overlap, window, describe(ink) + " over a plot"});
    }
}

// Whether triangle abc and box share any area (separating axes: the box's two, the
// triangle's three edge normals).
bool triangle_meets(ImVec2 a, ImVec2 b, ImVec2 c, const Box& box) {
    if (std::max({a.x, b.x, c.x}) <= box.min.x || std::min({a.x, b.x, c.x}) >= box.max.x ||
        std::max({a.y, b.y, c.y}) <= box.min.y || std::min({a.y, b.y, c.y}) >= box.max.y)
        return false;
    const ImVec2 corners[4] = {box.min, ImVec2(box.max.x, box.min.y), box.max,
                               ImVec2(box.min.x, box.max.y)};
    const ImVec2 tri[3] = {a, b, c};
    for (int e = 0; e < 3; ++e) {
        const ImVec2 p = tri[e], q = tri[(e + 1) % 3], r = tri[(e + 2) % 3];
        const ImVec2 normal(q.y - p.y, p.x - q.x);
        const auto side = [&](ImVec2 v) { return normal.x * (v.x - p.x) + normal.y * (v.y - p.y); };
        const float inside = side(r);
        bool all_out = true;
        for (const ImVec2& corner : corners) all_out &= side(corner) * inside <= 0;
        if (all_out && inside != 0) return false;
    }
    return true;
}

// Whether any triangle the plot's items drew meets its legend box, within its data area.
bool legend_covers_data(const plot::DrawnPlot& p) {
    Box legend = from_rect(p.legend);
    legend.min.x += 2, legend.min.y += 2, legend.max.x -= 2, legend.max.y -= 2;  // AA fringes
    legend = intersect(legend, from_rect(p.rect));
    if (legend.w() <= 0 || legend.h() <= 0) return false;
    const ImDrawList& list = *p.draw_list;
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
        const int begin = std::max(int(cmd.IdxOffset), p.items_idx_begin);
        const int end = std::min(int(cmd.IdxOffset + cmd.ElemCount), p.items_idx_end);
        for (int k = begin; k + 2 < end; k += 3) {
            const ImDrawVert* v[3];
            for (int j = 0; j < 3; ++j)
                v[j] = &list.VtxBuffer[int(cmd.VtxOffset + list.IdxBuffer[k + j])];
            const bool seen = ((v[0]->col | v[1]->col | v[2]->col) >> IM_COL32_A_SHIFT) != 0;
            if (seen && triangle_meets(v[0]->pos, v[1]->pos, v[2]->pos, legend)) return true;
        }
    }
    return false;
}

std::string size_text(const plot::PixelRect& r) {
    char text[64];
    std::snprintf(text, sizeof text, "%.0f×%.0f px", r.max.x - r.min.x, r.max.y - r.min.y);
    return text;
}

void check_sizes(const plot::DrawnFrame& drawn, std::vector<LayoutFault>& out) {
    for (const plot::DrawnTile& t : drawn.tiles) {
        const Box seen = intersect(from_rect(t.rect), from_rect(t.shown));
        if (seen.w() <= 0 || seen.h() <= 0) continue;  // scrolled out of sight
        const float side = std::min(t.rect.max.x - t.rect.min.x, t.rect.max.y - t.rect.min.y);
        if (side < kMinTile - 0.5f)
            out.push_back({LayoutFault::SmallTile, window_of(*t.draw_list),
                           "a tile of " + size_text(t.rect)});
    }
    for (const plot::DrawnPlot& p : drawn.plots) {
        const Box seen = intersect(from_rect(p.rect), from_rect(p.shown));
        if (seen.w() <= 0 || seen.h() <= 0) continue;
        const float w = p.rect.max.x - p.rect.min.x, h = p.rect.max.y - p.rect.min.y;
        if (w < plot::kMinPlotWidth - 0.5f || h < plot::kMinPlotHeight - 0.5f)
            out.push_back({LayoutFault::SmallPlot, window_of(*p.draw_list),
                           "a plot area of " + size_text(p.rect)});
        if (legend_covers_data(p))
            out.push_back({LayoutFault::LegendOverData, window_of(*p.draw_list),
                           "a legend at " + size_text(p.legend)});
    }
}

}  // namespace

const char* to_string(LayoutFault::Kind kind) {
    switch (kind) {
        case LayoutFault::Clipped:
            return "text cut off";
        case LayoutFault::Overlap:
            return "overlap";
        case LayoutFault::SmallTile:
            return "tile under 48 px";
        case LayoutFault::SmallPlot:
            return "plot under 240×160 px";
        case LayoutFault::LegendOverData:
            return "legend over data";
    }
    return "?";
}

std::vector<LayoutFault> audit_layout(const ImDrawData& data, const ImFont& font,
                                      const plot::DrawnFrame& drawn) {
    std::vector<LayoutFault> found;
    for (ClippedText& c : find_clipped_text(data, font))
        found.push_back(
            {LayoutFault::Clipped, c.window.substr(0, c.window.find('/')), std::move(c.line)});
    for (int l = 0; l < data.CmdListsCount; ++l)
        find_overlaps(*data.CmdLists[l], font, drawn, found);
    if (drawn.frame == ImGui::GetFrameCount()) check_sizes(drawn, found);
    // Each once: a fault seen in two draw lists of one panel, or twice in one, is one fault.
    std::vector<LayoutFault> unique;
    for (LayoutFault& f : found) {
        const bool seen = std::any_of(unique.begin(), unique.end(), [&](const LayoutFault& u) {
            return u.kind == f.kind && u.window == f.window && u.what == f.what;
        });
        if (!seen) unique.push_back(std::move(f));
    }
    return unique;
}
