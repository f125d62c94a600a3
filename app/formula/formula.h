// Formulas typeset as TeX sets them, in a small TeX subset, drawn with ImGui's draw lists and
// our fonts (ImGui has no maths renderer and none is packaged): italic variables and upright
// digits, operators and names; TeX's spaces between ordinary symbols, operators, binary
// operators, relations, delimiters and punctuation (The TeXbook, ch. 18 and appendix G);
// fractions, sub- and superscripts and limits placed by appendix G's rules from the font's
// own x-height, axis and rule thickness; accents centred on their letter's ink; delimiters
// that grow with what they enclose (\left…\right, \big…\Bigg), drawn as outlines.
//
//   \frac{a}{b}  x^{2}_{j}  x'  \sum_{j=1}^{m}  \hat{x} \tilde{x} \bar{x} \dot{x}  \|W\|_F^2
//   \left( … \right)  \big[ \Big\{ \bigl( \bigr)  \alpha … \Omega  \log \min \operatorname{span}
//   \text{…}  \mathrm{KL}  \mathbb{R}  \odot \cdot \le \Rightarrow …  \, \: \; \! \quad \qquad
//
// layout() is pure (a text measurer is handed in), so the boxes are tested headless; draw()
// renders at the cursor with the maths fonts app/gl/fonts.cpp adds to ImGui's atlas (large
// text scales them). Formulas come from lesson files: nesting deeper than kMaxFormulaDepth is
// an error (shown as typed), never a stack overflow, and layout time is linear in the
// formula's size. GUI thread for draw() and draw_prose(); layout functions on any thread.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace formula {

constexpr int kMaxFormulaDepth = 48;  // {…}, \frac, accents, scripts, \left each count one level

// The names under which the platform adds the maths faces to ImGui's font atlas (at a few
// sizes each); draw() picks the one rasterised nearest the size it draws at.
constexpr const char* kRomanFontName = "aelab maths roman";
constexpr const char* kItalicFontName = "aelab maths italic";

// Upright maths (digits, operators, names, \text), maths italic (variables), and the window's
// own text face (the prose around inline maths).
enum class Face : unsigned char { Roman, Italic, Prose };

// Where a run of text puts ink, from its pen position on the baseline; y is up.
struct Ink {
    float advance = 0;          // where the next character starts
    float left = 0, right = 0;  // the ink's extent across (right may pass advance: italics)
    float top = 0, bottom = 0;  // above and below the baseline (bottom < 0: all above it)
};

// The fonts as the layout sees them. Every other fact (the quad, x-height, axis, rule
// thickness) is measured from glyphs: the em space, "x" and the minus sign.
struct Measure {
    std::function<Ink(const std::string& text, float size, Face face)> ink;
    float slant = 0.194f;  // of the italic face: run per rise (tan 11°, DejaVu)
    float prose_ascent = 0.8f, prose_descent = 0.2f;  // of the prose face's line, per size
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
    Face face = Face::Roman;
    float stretch = 1;  // across, about the ink's middle (\widehat over a wide base)
};
struct Rule {  // a filled rectangle: fraction bars, \overline
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};
// A delimiter taller than the font's glyph, drawn as an outline (delimiters.h).
struct Delimiter {
    std::string symbol;         // ( ) [ ] \{ \} | ‖ ⟨ ⟩ as UTF-8: "(", "{", "‖", "⟨" …
    float x = 0, width = 0;     // its advance: the outline sits inside with side bearings
    float top = 0, bottom = 0;  // y of its top and bottom ends (top < bottom)
    float stroke = 0;           // thickness of its heaviest stroke
    float hairline = 0;         // thickness of its thinnest (tips, serifs)
};
struct Layout {
    Box box;
    std::vector<Glyphs> glyphs;
    std::vector<Rule> rules;
    std::vector<Delimiter> delimiters;
    std::string error;  // "" when the text parsed; else what is wrong (it is drawn as typed)
};

// TeX's display style (a formula on its own line: full-size fractions, limits above and
// below Σ) or text style (maths inside a line of prose).
enum class Style : unsigned char { Display, Text };

// The fuzz target's entry point: any bytes; an error is in Layout::error, never a crash.
Layout layout(const std::string& tex, float size, const Measure& measure,
              Style style = Style::Display);

// A paragraph of prose with inline maths between $…$ (\$ is a dollar sign), broken into
// lines at spaces only (never inside maths) so that it fits `width` when it can; '\n' starts
// a new line. The origin is the paragraph's top-left; box.descent is its height. Maths that
// does not parse (or a '$' never closed) is shown as typed, and the first error is kept.
Layout layout_prose(const std::string& text, float width, float size, const Measure& measure);

// Draws `tex` at the cursor in display style, in the current text colour, 1.15 × the current
// font size; advances the cursor. Returns the parse error ("" when it parsed), for the caller
// to say which file it came from.
std::string draw(const char* tex);
// The width draw() gives `tex` at the current font and size (for a panel sizing itself).
float display_width(const char* tex);

// Draws a paragraph with inline maths at the cursor, wrapped as widgets::text_wrapped wraps
// (to the pushed wrap position, else the window's edge), in the current font and colour.
// Returns the first error in its maths ("" when all parsed); the maths is shown as typed.
std::string draw_prose(const char* text);

}  // namespace formula
