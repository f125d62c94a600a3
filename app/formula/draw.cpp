// Drawing laid-out formulas with ImGui: glyphs, rules and delimiter outlines on the window's
// draw list, in the maths faces found in the font atlas (faces.h). GUI thread.
#include <algorithm>
#include <cmath>
#include <cstring>

#include <imgui.h>
#include <imgui_internal.h>

#include "app/formula/delimiters.h"
#include "app/formula/faces.h"
#include "app/formula/formula.h"

namespace formula {

namespace {

constexpr float kDisplayRatio = 1.15f;  // a display formula's size: of the text around it

using detail::Faces;
using detail::kItalicSlant;

// ImGui floors the place it draws text at; the fraction comes back as a shift of the glyphs'
// vertices, so glyphs keep their places across. The line's top goes to a whole device pixel,
// where the glyph bitmaps were rasterised, so horizontal strokes stay sharp.
void add_glyphs(ImDrawList* list, ImFont* font, const Glyphs& g, ImVec2 origin, ImU32 colour,
                float pixel, float shear) {
    const float scale = g.size / font->FontSize, ascent = IM_ROUND(font->Ascent) * scale;
    const float x = origin.x + g.x;
    const float top = std::round((origin.y + g.y - ascent) / pixel) * pixel,
                baseline = top + ascent;
    const ImVec2 floored(std::floor(x), std::floor(top));
    const int first = list->VtxBuffer.Size;
    list->AddText(font, g.size, floored, colour, g.text.c_str(), g.text.c_str() + g.text.size());
    float low = FLT_MAX, high = -FLT_MAX;
    for (int i = first; i < list->VtxBuffer.Size; ++i) {
        ImVec2& p = list->VtxBuffer[i].pos;
        p.y += top - floored.y;
        p.x += x - floored.x + shear * (baseline - p.y);
        low = std::min(low, p.x);
        high = std::max(high, p.x);
    }
    if (g.stretch == 1) return;
    const float middle = (low + high) / 2;
    for (int i = first; i < list->VtxBuffer.Size; ++i) {
        ImVec2& p = list->VtxBuffer[i].pos;
        p.x = middle + (p.x - middle) * g.stretch;
    }
}

// A band as a strip of triangles with a feathered edge half a device pixel either side of
// each side, as ImGui anti-aliases its own fills (its convex fill cannot take a crescent).
void fill_band(ImDrawList* list, const Band& band, ImVec2 origin, ImU32 colour, float pixel) {
    const size_t n = band.a.size();
    if (n < 2 || band.b.size() != n) return;
    const ImU32 clear = colour & ~IM_COL32_A_MASK;
    const ImVec2 uv = list->_Data->TexUvWhitePixel;
    list->PrimReserve(int(n - 1) * 18, int(n) * 4);
    const unsigned int first = list->_VtxCurrentIdx;
    for (size_t i = 0; i < n; ++i) {
        const ImVec2 a(origin.x + band.a[i].x, origin.y + band.a[i].y);
        const ImVec2 b(origin.x + band.b[i].x, origin.y + band.b[i].y);
        float dx = a.x - b.x, dy = a.y - b.y;
        const float width = std::sqrt(dx * dx + dy * dy);
        if (width > 0) dx /= width, dy /= width;
        const float in = std::min(pixel / 2, width / 2), out = pixel / 2;
        list->PrimWriteVtx(ImVec2(a.x - dx * in, a.y - dy * in), uv, colour);
        list->PrimWriteVtx(ImVec2(a.x + dx * out, a.y + dy * out), uv, clear);
        list->PrimWriteVtx(ImVec2(b.x + dx * in, b.y + dy * in), uv, colour);
        list->PrimWriteVtx(ImVec2(b.x - dx * out, b.y - dy * out), uv, clear);
    }
    for (unsigned int i = 0; i + 1 < n; ++i) {
        const unsigned int v = first + 4 * i,
                           w = v + 4;  // a inside, a outside, b inside, b outside
        const unsigned int triangles[18] = {v,     w,     w + 2, v,     w + 2, v + 2,   // the core
                                            v + 1, w + 1, w,     v + 1, w,     v,       // a's edge
                                            v + 2, w + 2, w + 3, v + 2, w + 3, v + 3};  // b's edge
        for (unsigned int index : triangles) list->PrimWriteIdx(ImDrawIdx(index));
    }
}

// Draws `l` with its origin at `origin` (screen coordinates).
void paint(const Layout& l, ImVec2 origin, ImU32 colour, const Faces& faces) {
    ImDrawList* list = ImGui::GetWindowDrawList();
    const float scale = ImGui::GetIO().DisplayFramebufferScale.y;
    const float pixel = scale > 0 ? 1 / scale : 1;
    for (const Glyphs& g : l.glyphs) {
        const bool slanted = g.face == Face::Italic && faces.slanted_roman;
        add_glyphs(list, detail::font_of(faces, g.face), g, origin, colour, pixel,
                   slanted ? kItalicSlant : 0.0f);
    }
    const auto snap = [pixel](float y) { return std::round(y / pixel) * pixel; };
    for (const Rule& r : l.rules) {  // whole device pixels thick, at least one: sharp bars
        const float y0 = snap(origin.y + r.y0), y1 = std::max(y0 + pixel, snap(origin.y + r.y1));
        list->AddRectFilled(ImVec2(origin.x + r.x0, y0), ImVec2(origin.x + r.x1, y1), colour);
    }
    for (const Delimiter& d : l.delimiters)
        for (const Band& band : delimiter_bands(d)) fill_band(list, band, origin, colour, pixel);
}

}  // namespace

std::string draw(const char* tex) {
    const Faces faces = detail::find_faces(kDisplayRatio);
    const Measure measure = detail::measure_of(faces);
    const float size = ImGui::GetFontSize() * kDisplayRatio;
    const Layout l = layout(tex, size, measure, Style::Display);
    // At least a line of text tall, and a little air above and below (TeX's display skips).
    const float air = 0.2f * ImGui::GetFontSize();
    const float ascent = std::max(l.box.ascent, measure.prose_ascent * size);
    const float descent = std::max(l.box.descent, measure.prose_descent * size);
    const ImVec2 at = ImGui::GetCursorScreenPos();
    const ImU32 colour =
        ImGui::GetColorU32(l.error.empty() ? ImGuiCol_Text : ImGuiCol_TextDisabled);
    paint(l, ImVec2(at.x, at.y + air + ascent), colour, faces);
    ImGui::Dummy(ImVec2(l.box.width, air + ascent + descent + air));
    if (!l.error.empty() && ImGui::IsItemHovered())
        ImGui::SetTooltip("formula: %s", l.error.c_str());
    return l.error;
}

float display_width(const char* tex) {
    const Faces faces = detail::find_faces(kDisplayRatio);
    return layout(tex, ImGui::GetFontSize() * kDisplayRatio, detail::measure_of(faces), Style::Display)
        .box.width;
}

std::string draw_prose(const char* text) {
    // widgets::text_wrapped's width: to the pushed wrap position, else to the window's edge.
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float wrap_x = window->DC.TextWrapPos < 0 ? 0.0f : window->DC.TextWrapPos;
    const float width = ImGui::CalcWrapWidthForPos(ImGui::GetCursorScreenPos(), wrap_x);
    const Faces faces = detail::find_faces(1.0f);
    const Layout l = layout_prose(text, width, ImGui::GetFontSize(), detail::measure_of(faces));
    paint(l, ImGui::GetCursorScreenPos(), ImGui::GetColorU32(ImGuiCol_Text), faces);
    ImGui::Dummy(ImVec2(l.box.width, l.box.descent));
    if (!l.error.empty() && ImGui::IsItemHovered())
        ImGui::SetTooltip("maths in this text: %s", l.error.c_str());
    return l.error;
}

}  // namespace formula
