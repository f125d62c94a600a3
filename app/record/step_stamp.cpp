#include "app/record/step_stamp.h"

#include <algorithm>
#include <string>

namespace {

// 3×5 glyphs, a row in 3 bits (4 = left column).
struct Glyph {
    char c;
    uint8_t rows[5];
};
constexpr Glyph kGlyphs[] = {
    {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}}, {'3', {7, 1, 7, 1, 7}},
    {'4', {5, 5, 7, 1, 1}}, {'5', {7, 4, 7, 1, 7}}, {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 1, 1, 1}},
    {'8', {7, 5, 7, 5, 7}}, {'9', {7, 5, 7, 1, 7}}, {'s', {3, 4, 2, 1, 6}}, {'t', {2, 7, 2, 2, 3}},
    {'e', {7, 5, 7, 4, 7}}, {'p', {7, 5, 7, 4, 4}}, {' ', {0, 0, 0, 0, 0}},
};

const Glyph* glyph(char c) {
    for (const Glyph& g : kGlyphs)
        if (g.c == c) return &g;
    return nullptr;
}

void fill(aelab::RgbaImage& image, int x0, int y0, int w, int h, uint8_t grey) {
    for (int y = std::max(0, y0); y < std::min(image.height, y0 + h); ++y)
        for (int x = std::max(0, x0); x < std::min(image.width, x0 + w); ++x) {
            uint8_t* p = &image.rgba[(size_t(y) * image.width + x) * 4];
            p[0] = p[1] = p[2] = grey;
            p[3] = 255;
        }
}

}  // namespace

void stamp_step(aelab::RgbaImage& image, int64_t step) {
    const std::string text = "step " + std::to_string(step);
    // A font pixel of 2 screen pixels on a small panel, up to 4 on a large 2× frame.
    const int cell = std::clamp(image.height / 120, 2, 4);
    const int advance = 4 * cell;
    const int box_w = int(text.size()) * advance + cell, box_h = 7 * cell;
    const int x0 = image.width - box_w - 2 * cell, y0 = image.height - box_h - 2 * cell;
    if (x0 < 0 || y0 < 0) return;  // too small a frame to carry a stamp
    fill(image, x0, y0, box_w, box_h, 255);
    for (size_t i = 0; i < text.size(); ++i) {
        const Glyph* g = glyph(text[i]);
        if (!g) continue;
        for (int row = 0; row < 5; ++row)
            for (int col = 0; col < 3; ++col)
                if (g->rows[row] & (4 >> col))
                    fill(image, x0 + cell + int(i) * advance + col * cell, y0 + cell + row * cell,
                         cell, cell, 40);
    }
}
