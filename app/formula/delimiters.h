// Delimiters taller than the font's glyph — \left( around a fraction, \Big[ — as outlines
// drawn with triangles: parentheses as tapering arcs, brackets as a stem with serifs, braces
// as two hooks meeting at a point, bars and angle brackets as strokes. ImGui scales a glyph's
// bitmap only, so a grown glyph would blur and thicken; an outline is sharp at any size.
// Pure geometry, any thread.
#pragma once

#include <string>
#include <vector>

#include "app/formula/formula.h"

namespace formula {

struct Point {
    float x = 0, y = 0;
};

// A stroke between two polylines of equal length: filled as the strip from side a to side b
// (point i of a faces point i of b). Both sides are drawn anti-aliased; the ends are not.
struct Band {
    std::vector<Point> a, b;
};

// Heights of TeX's \big, \Big, \bigg and \Bigg delimiters (and of the sizes \left picks
// from before it grows freely), in quads.
constexpr float kDelimiterSizes[4] = {1.2f, 1.8f, 2.4f, 3.0f};

// A delimiter of `symbol` ("(", "]", "{", "|", "‖", "⟨" …) between `top` and `bottom`, its
// left at x, with its advance and strokes from the font's quad and rule thickness.
Delimiter make_delimiter(const std::string& symbol, float x, float top, float bottom, float quad,
                         float rule);

// Its outline, in the layout's coordinates: inside [x, x + width] across, [top, bottom] down.
std::vector<Band> delimiter_bands(const Delimiter& delimiter);

}  // namespace formula
