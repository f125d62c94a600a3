#include "app/formula/faces.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include <imgui.h>
#include <imgui_internal.h>

namespace formula::detail {

namespace {

// The face added under `name` whose rasterised size is nearest `pixels`.
ImFont* nearest_named(const char* name, float pixels) {
    ImFont* best = nullptr;
    const size_t length = std::strlen(name);
    for (ImFont* font : ImGui::GetIO().Fonts->Fonts) {
        if (!font->ConfigData || std::strncmp(font->ConfigData->Name, name, length) != 0) continue;
        if (!best || std::fabs(font->FontSize - pixels) < std::fabs(best->FontSize - pixels))
            best = font;
    }
    return best;
}

void widen(Ink& run, const Ink& glyph, float pen, bool& any) {
    const float left = pen + glyph.left, right = pen + glyph.right;
    run.left = any ? std::min(run.left, left) : left;
    run.right = any ? std::max(run.right, right) : right;
    run.top = any ? std::max(run.top, glyph.top) : glyph.top;
    run.bottom = any ? std::max(run.bottom, glyph.bottom) : glyph.bottom;
    any = true;
}

}  // namespace

FaceInk::FaceInk(ImFont* font) : m_font(font) {
    for (int i = 0; font && i < font->ConfigDataCount; ++i) {
        const ImFontConfig& config = font->ConfigData[i];
        if (!config.FontData) continue;  // the atlas let go of its input: ImGui's boxes will do
        const auto* data = static_cast<const unsigned char*>(config.FontData);
        File file;
        const int offset = stbtt_GetFontOffsetForIndex(data, config.FontNo);
        if (offset < 0 || !stbtt_InitFont(&file.info, data, offset)) continue;
        // ImGui scales a file to its SizePixels by ascent − descent (stbtt_ScaleForPixelHeight).
        file.units_to_size =
            stbtt_ScaleForPixelHeight(&file.info, config.SizePixels) / font->FontSize;
        m_files.push_back(file);
    }
}

bool FaceInk::exact(unsigned int code_point, float size, Ink& box) const {
    for (const File& file : m_files) {
        const int glyph = stbtt_FindGlyphIndex(&file.info, int(code_point));
        if (glyph == 0) continue;
        int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        box = {};
        if (!stbtt_GetGlyphBox(&file.info, glyph, &x0, &y0, &x1, &y1)) return true;  // a space
        const float k = size * file.units_to_size;
        box.left = float(x0) * k;
        box.right = float(x1) * k;
        box.top = float(y1) * k;
        box.bottom = -float(y0) * k;
        return true;
    }
    return false;
}

Ink FaceInk::ink(const std::string& text, float size) const {
    Ink run;
    if (!m_font) return run;
    const float scale = size / m_font->FontSize, ascent = IM_ROUND(m_font->Ascent);
    bool any = false;
    const char* s = text.c_str();
    const char* end = s + text.size();
    while (s < end) {
        unsigned int c = 0;
        const int bytes = ImTextCharFromUtf8(&c, s, end);
        if (bytes <= 0 || c == 0) break;
        s += bytes;
        const ImFontGlyph* g = m_font->FindGlyph(ImWchar(c));
        if (!g) continue;
        Ink box;
        // The file's box when ImGui draws this very glyph (not its '?' stand-in), else ImGui's.
        if (g->Codepoint == c && exact(c, size, box)) {
            if (box.right > box.left) widen(run, box, run.advance, any);
        } else if (g->Visible) {
            box = {0, g->X0 * scale, g->X1 * scale, (ascent - g->Y0) * scale,
                   (g->Y1 - ascent) * scale};
            widen(run, box, run.advance, any);
        }
        run.advance += g->AdvanceX * scale;
    }
    return run;
}

Faces find_faces(float ratio) {
    Faces faces;
    faces.prose = ImGui::GetFont();
    const float pixels = faces.prose->FontSize * ratio;
    faces.roman = nearest_named(kRomanFontName, pixels);
    faces.italic = nearest_named(kItalicFontName, pixels);
    if (!faces.roman) faces.roman = faces.prose;  // an atlas without maths faces (a bare test)
    if (!faces.italic) {
        faces.italic = faces.roman;
        faces.slanted_roman = true;
    }
    faces.roman_ink = FaceInk(faces.roman);
    faces.italic_ink = FaceInk(faces.italic);
    faces.prose_ink = FaceInk(faces.prose);
    return faces;
}

ImFont* font_of(const Faces& faces, Face face) {
    return face == Face::Roman ? faces.roman : face == Face::Italic ? faces.italic : faces.prose;
}

Measure measure_of(const Faces& faces) {
    Measure m;
    m.ink = [&faces](const std::string& text, float size, Face face) {
        const FaceInk& source = face == Face::Roman    ? faces.roman_ink
                                : face == Face::Italic ? faces.italic_ink
                                                       : faces.prose_ink;
        Ink ink = source.ink(text, size);
        if (face == Face::Italic && faces.slanted_roman) {  // the corners the slant moves
            ink.right += kItalicSlant * std::max(0.0f, ink.top);
            ink.left -= kItalicSlant * std::max(0.0f, ink.bottom);
        }
        return ink;
    };
    m.slant = kItalicSlant;
    m.prose_ascent = IM_ROUND(faces.prose->Ascent) / faces.prose->FontSize;
    m.prose_descent = 1 - m.prose_ascent;  // an ImGui line is the font size tall
    return m;
}

}  // namespace formula::detail
