// The maths faces in ImGui's font atlas (added by app/gl/fonts.cpp under formula.h's names),
// and a measurer of their exact ink, inside app/formula. GUI thread.
#pragma once

#include <string>
#include <vector>

#include <stb_truetype.h>

#include "app/formula/formula.h"

struct ImFont;

namespace formula::detail {

constexpr float kItalicSlant = 0.194f;  // DejaVu Serif Italic leans 11°

// A face's ink as the font file has it. ImGui's glyph boxes are its bitmaps', rounded out to
// whole pixels (a 1.3-pixel minus sign is 2 pixels tall there): too coarse to set a rule
// or centre an accent by, so the outlines' boxes are read from the font data ImGui keeps.
class FaceInk {
public:
    FaceInk() = default;
    explicit FaceInk(ImFont* font);
    Ink ink(const std::string& text, float size) const;

private:
    struct File {
        stbtt_fontinfo info;
        float units_to_size = 0;  // font units → pixels, per pixel of drawn size
    };
    // The glyph's box in the first file of the face that has it; false when none does.
    bool exact(unsigned int code_point, float size, Ink& box) const;

    ImFont* m_font = nullptr;
    std::vector<File> m_files;  // the font files merged into the face, in ImGui's order
};

struct Faces {
    ImFont* roman = nullptr;
    ImFont* italic = nullptr;
    ImFont* prose = nullptr;
    bool slanted_roman = false;  // no italic face in the atlas: the roman one, slanted
    FaceInk roman_ink, italic_ink, prose_ink;
};

// The faces for maths at `ratio` × the current font's size. In a 2× frame the current font is
// the one rasterised at twice the size, so the maths faces picked are too.
Faces find_faces(float ratio);
ImFont* font_of(const Faces& faces, Face face);
// A measurer over `faces`, which must outlive it.
Measure measure_of(const Faces& faces);

}  // namespace formula::detail
