// Formulas that look like formulas on a projector: a small TeX subset laid out in boxes and
// drawn with ImGui's draw lists and our fonts (ImGui has no maths renderer and none is
// packaged). Fractions as fractions, sub- and superscripts, Σ with limits, hats and tildes,
// norms, Greek, ⊙, transposes (^\top or ^T), \text{…}, \operatorname{…}, spaces.
//
//   \frac{a}{b}  x^{2}  x_{j}  \sum_{j=1}^{m}  \hat{x}  \tilde{x}  \|W\|_F^2  \lambda  \odot
//   \text{…}  \operatorname{span}  \mathbb{E}  \mathcal{N}  \quad \, \;  \big( \big)  \top
//
// layout() is pure (a text measurer is handed in), so the boxes are tested headless; draw()
// renders at the cursor with the current font and size (large text scales it). Formulas come
// from lesson files: nesting deeper than kMaxFormulaDepth is an error (shown as typed), never
// a stack overflow, and layout time is linear in the formula's size. GUI thread for draw().
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace formula {

constexpr int kMaxFormulaDepth = 48;  // {…}, \frac, \hat and scripts each count one level

// Width of UTF-8 text at a font size, in pixels; ascent and descent of the font as shares
// of the size.
struct Measure {
    std::function<float(const std::string& text, float size)> width;
    float ascent = 0.8f, descent = 0.2f;
};

struct Box {
    float width = 0, ascent = 0, descent = 0;  // from the baseline: up, down
    float height() const { return ascent + descent; }
};

// What to draw, relative to the formula's origin (left end of its baseline; y grows down).
struct Glyphs {
    std::string text;
    float x = 0, y = 0;  // the text's baseline-left
    float size = 0;
};
struct Rule {  // a line: fraction bars, hats
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
struct Layout {
    Box box;
    std::vector<Glyphs> glyphs;
    std::vector<Rule> rules;
    std::string error;  // "" when the text parsed; else what is wrong (it is drawn as typed)
};

// The fuzz target's entry point: any bytes; an error is in Layout::error, never a crash.
Layout layout(const std::string& tex, float size, const Measure& measure);

// Draws `tex` at the cursor, in the current font, size and text colour; advances the cursor.
// Returns the parse error ("" when it parsed), for the caller to say which file it came from.
std::string draw(const char* tex);

}  // namespace formula
