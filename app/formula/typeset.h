// TeX's layout of a parsed formula (The TeXbook, appendix G), inside app/formula: each node
// is set once into a piece (its box and what it draws, relative to its own origin), then the
// pieces are emitted at their places — two linear passes, however deep the nesting. Any thread.
#pragma once

#include <utility>
#include <vector>

#include "app/formula/delimiters.h"
#include "app/formula/tree.h"

namespace formula::detail {

// TeX's four styles, each cramped or not: display, text, script, scriptscript.
struct MathStyle {
    enum Level : unsigned char { D, T, S, SS };
    Level level = D;
    bool cramped = false;

    float multiplier() const { return level == S ? 0.7f : level == SS ? 0.5f : 1.0f; }
    bool tight() const { return level >= S; }  // no medium and thick spaces in scripts
    MathStyle sup() const { return {level <= T ? S : SS, cramped}; }
    MathStyle sub() const { return {level <= T ? S : SS, true}; }
    MathStyle numerator() const { return {level == D ? T : level == T ? S : SS, cramped}; }
    MathStyle denominator() const { return {level == D ? T : level == T ? S : SS, true}; }
    MathStyle cramp() const { return {level, true}; }
};

// The font's facts, per unit of size, measured from its glyphs.
struct FontFacts {
    float quad = 1;  // the em: TeX's spaces are eighteenths of it (mu)
    float x_height = 0.45f;
    float axis =
        0.25f;  // the middle of the minus sign: fraction bars, Σ and delimiters centre on it
    float rule = 0.05f;  // the minus sign's stroke: fraction bars
    float vertical = 1;  // TeX's vertical parameters (in Computer Modern's quads) × this: the
                         // x-height over CM's, so scripts sit as high on this font's letters
};
FontFacts measure_facts(const Measure& measure, float size);

struct Piece {
    Box box;
    float italic = 0;     // italic correction: how far the ink leans past the width (TeX's δ)
    float accent_x = -1;  // where an accent centres (a letter's ink, skewed); -1: the box's middle
    bool character = false;  // one character: TeX does not drop its scripts (rule 18a)
    std::vector<Glyphs> glyphs;
    std::vector<Rule> rules;
    std::vector<Delimiter> delimiters;
    std::vector<std::pair<int, Point>> children;  // other pieces, at offsets from this origin
};

class Typesetter {
public:
    Typesetter(const Measure& measure, float size);
    // Sets `node` in `style`: the piece's index (-1 for a missing node).
    int set(const Node* node, MathStyle style);
    const Piece& piece(int index) const { return m_pieces[size_t(index)]; }
    // Adds the piece's glyphs, rules and delimiters to `out`, its origin at (x, y).
    void emit(int index, float x, float y, Layout& out) const;

private:
    int add(Piece piece);
    Box box_of(int index) const { return index < 0 ? Box{} : m_pieces[size_t(index)].box; }
    float size_of(MathStyle style) const { return m_size * style.multiplier(); }
    float quad(float size) const { return m_facts.quad * size; }
    // A TeX parameter given in Computer Modern's quads, vertical: scaled to this font.
    float tex(float cm_quads, float size) const {
        return cm_quads * m_facts.quad * m_facts.vertical * size;
    }

    int set_row(const Node& node, MathStyle style);
    int set_symbol(const Node& node, MathStyle style);
    int set_text(const Node& node, MathStyle style);
    int set_fraction(const Node& node, MathStyle style);
    int set_scripts(const Node& node, MathStyle style);
    int set_limits(const Node& node, MathStyle style);
    int set_accent(const Node& node, MathStyle style);
    int set_overline(const Node& node, MathStyle style);
    int set_big_op(const Node& node, MathStyle style);
    int set_delimited(const Node& node, MathStyle style);
    int set_sized(const Node& node, MathStyle style);
    // A delimiter `height` tall centred on the axis: the font's glyph when that is tall
    // enough (and `may_use_glyph`), else an outline; "" is TeX's null delimiter.
    int set_delimiter(const std::string& symbol, float height, float size, bool may_use_glyph);

    const Measure& m_measure;
    float m_size;
    FontFacts m_facts;
    std::vector<Piece> m_pieces;
};

// The class a node takes among its neighbours (a group is an Ord, a fraction an Inner …).
Atom atom_of(const Node& node);

}  // namespace formula::detail
