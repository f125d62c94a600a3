// Appendix G of The TeXbook, rule by rule where the subset needs it: 5–6 (binary operators
// that become ordinary), 12 (accents), 13 (limits), 15 (fractions), 18 (scripts), 19 (\left
// and \right), 20 (spaces between atoms). TeX's parameters are Computer Modern's (cmsy10's
// σ and cmex10's ξ, as KaTeX lists them), in quads; the vertical ones are scaled by this
// font's x-height over Computer Modern's, so that scripts and fractions sit on DejaVu's
// taller lower case as they sit on CM's.
#include "app/formula/typeset.h"

#include <algorithm>
#include <cmath>

namespace formula::detail {

namespace {

constexpr float kNum1 = 0.677f, kNum2 = 0.394f, kDenom1 = 0.686f, kDenom2 = 0.345f;
constexpr float kSup1 = 0.413f, kSup2 = 0.363f, kSup3 = 0.289f, kSub1 = 0.150f, kSub2 = 0.247f;
constexpr float kSupDrop = 0.386f, kSubDrop = 0.050f;
constexpr float kBigOpSpacing[5] = {0.111f, 0.166f, 0.2f, 0.6f, 0.1f};
constexpr float kCmXHeight = 0.431f;
constexpr float kNullDelimiterSpace = 0.12f;        // \nulldelimiterspace: 1.2pt at 10pt
constexpr float kScriptSpace = 0.05f;               // \scriptspace: 0.5pt
constexpr float kDelimiterFactor = 0.901f;          // \delimiterfactor 901
constexpr float kDelimiterShortfall = 0.5f;         // \delimitershortfall 5pt
constexpr float kDisplayOp = 1.6f, kTextOp = 1.0f;  // Σ's height: KaTeX's Size2 and Size1 glyphs
constexpr float kOpBearing = 0.06f;                 // space either side of Σ's ink

// Thin, medium and thick spaces between atoms (The TeXbook, p. 170), in mu (1/18 quad);
// negative entries apply in display and text styles only.
constexpr signed char kSpacing[8][8] = {
    // Ord Op Bin Rel Open Close Punct Inner     (right)
    {0, 1, -2, -3, 0, 0, 0, -1},      // Ord
    {1, 1, 0, -3, 0, 0, 0, -1},       // Op
    {-2, -2, 0, 0, -2, 0, 0, -2},     // Bin
    {-3, -3, 0, 0, -3, 0, 0, -3},     // Rel
    {0, 0, 0, 0, 0, 0, 0, 0},         // Open
    {0, 1, -2, -3, 0, 0, 0, -1},      // Close
    {-1, -1, 0, -1, -1, -1, -1, -1},  // Punct
    {-1, 1, -2, -3, -1, 0, -1, -1},   // Inner
};

float space_between(Atom left, Atom right, MathStyle style, float quad) {
    int entry = kSpacing[int(left)][int(right)];
    if (entry < 0) {
        if (style.tight()) return 0;
        entry = -entry;
    }
    constexpr float kMu[4] = {0, 3, 4, 5};
    return kMu[entry] / 18 * quad;
}

bool one_character(const std::string& text) {
    const auto starts =
        std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xC0) != 0x80; });
    return starts == 1;
}

bool takes_limits(const Node* nucleus) {
    return nucleus &&
           (nucleus->kind == Node::BigOp || (nucleus->kind == Node::Symbol && nucleus->limits));
}

}  // namespace

Atom atom_of(const Node& node) {
    switch (node.kind) {
        case Node::Fraction:
        case Node::Delimited:
            return Atom::Inner;
        case Node::BigOp:
            return Atom::Op;
        case Node::Scripts:
            return node.children[0] ? atom_of(*node.children[0]) : Atom::Ord;
        case Node::Symbol:
        case Node::SizedDelim:
            return node.atom;
        default:
            return Atom::Ord;  // a group, \text, an accented or overlined base
    }
}

FontFacts measure_facts(const Measure& measure, float size) {
    FontFacts facts;
    if (!(size > 0) || !measure.ink) return facts;
    const Ink em = measure.ink("\u2003", size, Face::Roman);  // an em space is one quad wide
    if (em.advance > 0) facts.quad = em.advance / size;
    const Ink x = measure.ink("x", size, Face::Roman);
    facts.x_height = x.top > 0 ? x.top / size : kCmXHeight * facts.quad;
    const Ink minus = measure.ink("−", size, Face::Roman);
    const float thickness = (minus.top + minus.bottom) / size;
    if (thickness > 0 && thickness < 0.2f * facts.quad) {
        facts.rule = thickness;
        facts.axis = (minus.top - minus.bottom) / 2 / size;
    } else {  // no minus sign in this font: Computer Modern's proportions
        facts.rule = 0.04f * facts.quad;
        facts.axis = 0.25f / kCmXHeight * facts.x_height;
    }
    facts.vertical = facts.x_height / facts.quad / kCmXHeight;
    return facts;
}

Typesetter::Typesetter(const Measure& measure, float size)
    : m_measure(measure), m_size(size), m_facts(measure_facts(measure, size)) {}

int Typesetter::add(Piece piece) {
    m_pieces.push_back(std::move(piece));
    return int(m_pieces.size()) - 1;
}

int Typesetter::set(const Node* node, MathStyle style) {
    if (!node) return -1;
    switch (node->kind) {
        case Node::Row:
            return set_row(*node, style);
        case Node::Symbol:
            return set_symbol(*node, style);
        case Node::Text:
            return set_text(*node, style);
        case Node::Fraction:
            return set_fraction(*node, style);
        case Node::Scripts:
            return set_scripts(*node, style);
        case Node::Accent:
            return set_accent(*node, style);
        case Node::Overline:
            return set_overline(*node, style);
        case Node::BigOp:
            return set_big_op(*node, style);
        case Node::Delimited:
            return set_delimited(*node, style);
        case Node::SizedDelim:
            return set_sized(*node, style);
        case Node::Space: {
            Piece space;
            space.box.width = node->em * quad(size_of(style));
            return add(std::move(space));
        }
    }
    return -1;
}

void Typesetter::emit(int index, float x, float y, Layout& out) const {
    if (index < 0) return;
    const Piece& p = m_pieces[size_t(index)];
    for (Glyphs g : p.glyphs) {
        g.x += x;
        g.y += y;
        out.glyphs.push_back(std::move(g));
    }
    for (const Rule& r : p.rules) out.rules.push_back({r.x0 + x, r.y0 + y, r.x1 + x, r.y1 + y});
    for (Delimiter d : p.delimiters) {
        d.x += x;
        d.top += y;
        d.bottom += y;
        out.delimiters.push_back(std::move(d));
    }
    for (const auto& [child, at] : p.children) emit(child, x + at.x, y + at.y, out);
}

int Typesetter::set_row(const Node& node, MathStyle style) {
    struct Item {
        int piece;
        Atom atom;
        bool space;
    };
    std::vector<Item> items;
    items.reserve(node.children.size());
    for (const auto& child : node.children)
        if (child)
            items.push_back({set(child.get(), style), atom_of(*child), child->kind == Node::Space});
    // Rules 5 and 6: a binary operator with nothing to combine on its left (at the start, after
    // an operator, a relation, an opening or punctuation) is ordinary: "−a", "(−1)"; so is one
    // before a relation, a closing or punctuation, and one at the end. Spaces are not atoms.
    Item* previous = nullptr;
    for (Item& item : items) {
        if (item.space) continue;
        const auto is = [](const Item* i, std::initializer_list<Atom> atoms) {
            return i && std::find(atoms.begin(), atoms.end(), i->atom) != atoms.end();
        };
        if (item.atom == Atom::Bin &&
            (!previous || is(previous, {Atom::Bin, Atom::Op, Atom::Rel, Atom::Open, Atom::Punct})))
            item.atom = Atom::Ord;
        if (is(&item, {Atom::Rel, Atom::Close, Atom::Punct}) && is(previous, {Atom::Bin}))
            previous->atom = Atom::Ord;
        previous = &item;
    }
    if (previous && previous->atom == Atom::Bin) previous->atom = Atom::Ord;

    Piece row;
    const float q = quad(size_of(style));
    const Item* last_atom = nullptr;
    for (const Item& item : items) {
        if (!item.space) {
            if (last_atom) row.box.width += space_between(last_atom->atom, item.atom, style, q);
            last_atom = &item;
        }
        row.children.push_back({item.piece, {row.box.width, 0}});
        const Box b = box_of(item.piece);
        row.box.width += b.width;
        row.box.ascent = std::max(row.box.ascent, b.ascent);
        row.box.descent = std::max(row.box.descent, b.descent);
    }
    if (items.size() == 1 && !items[0].space && items[0].piece >= 0) {  // {x} is still the letter x
        const Piece& only = piece(items[0].piece);
        row.italic = only.italic;
        row.accent_x = only.accent_x;
        row.character = only.character;
    }
    return add(std::move(row));
}

int Typesetter::set_symbol(const Node& node, MathStyle style) {
    // DejaVu's ′ is a text prime, far smaller than TeX's maths one: in a script it is drawn at
    // the size of the letter it marks, where it reads as TeX's does.
    const bool prime = node.text == "′";
    const float size = size_of(style) / (prime && style.tight() ? 0.7f : 1.0f);
    const Ink ink = m_measure.ink(node.text, size, node.face);
    const bool italic = node.face == Face::Italic;
    // TeX's ′ sits on the baseline, so that as a superscript it comes out at a prime's height;
    // the font's ′ is drawn high for text: lowered onto the baseline.
    const float drop = prime ? std::max(0.0f, -ink.bottom) : 0.0f;
    Piece p;
    p.italic = italic ? std::max(0.0f, ink.right - ink.advance) : 0.0f;
    p.glyphs.push_back({node.text, 0, drop, size, node.face, 1});
    p.box = {ink.advance + p.italic, std::max(0.0f, ink.top - drop),
             std::max(0.0f, ink.bottom + drop)};
    p.character = one_character(node.text);
    // An accent goes over the middle of the ink's top: for a slanted letter, right of the
    // middle of its ink box by the slant over half the ink's height (TeX's skew, roughly).
    p.accent_x =
        (ink.left + ink.right) / 2 + (italic ? m_measure.slant * (ink.top + ink.bottom) / 2 : 0.0f);
    return add(std::move(p));
}

int Typesetter::set_text(const Node& node, MathStyle style) {
    const float size = size_of(style);
    const Ink ink = m_measure.ink(node.text, size, Face::Roman);
    Piece p;
    p.glyphs.push_back({node.text, 0, 0, size, Face::Roman, 1});
    p.box = {ink.advance, std::max(0.0f, ink.top), std::max(0.0f, ink.bottom)};
    return add(std::move(p));
}

// Rule 15: numerator and denominator shifted from the baseline by σ8/σ11 (display) or σ9/σ12,
// then apart until each clears the bar by 3θ (display) or θ.
int Typesetter::set_fraction(const Node& node, MathStyle style) {
    const int num = set(node.children[0].get(), style.numerator());
    const int den = set(node.children[1].get(), style.denominator());
    const float size = size_of(style), rule = m_facts.rule * size, axis = m_facts.axis * size;
    const Box n = box_of(num), d = box_of(den);
    const bool display = style.level == MathStyle::D;
    float up = tex(display ? kNum1 : kNum2, size), down = tex(display ? kDenom1 : kDenom2, size);
    const float clearance = display ? 3 * rule : rule;
    up += std::max(0.0f, clearance - ((up - n.descent) - (axis + rule / 2)));
    down += std::max(0.0f, clearance - ((axis - rule / 2) - (d.ascent - down)));
    const float side = kNullDelimiterSpace * quad(size), width = std::max(n.width, d.width);
    Piece p;
    p.children.push_back({num, {side + (width - n.width) / 2, -up}});
    p.children.push_back({den, {side + (width - d.width) / 2, down}});
    p.rules.push_back({side, -axis - rule / 2, side + width, -axis + rule / 2});
    p.box = {width + 2 * side, up + n.ascent, std::max(0.0f, down + d.descent)};
    return add(std::move(p));
}

// Rule 18: scripts raised by σ13–15 and lowered by σ16–17 from a letter's baseline (or from
// a taller nucleus's top and bottom, less σ18/σ19), kept 4θ apart; the superscript starts
// after the nucleus's italic correction, the subscript tucked under it.
int Typesetter::set_scripts(const Node& node, MathStyle style) {
    const Node* nucleus = node.children[0].get();
    if (style.level == MathStyle::D && takes_limits(nucleus)) return set_limits(node, style);
    const int base = set(nucleus, style);
    const int sup = set(node.children[1].get(), style.sup());
    const int sub = set(node.children[2].get(), style.sub());
    const float size = size_of(style), x_height = m_facts.x_height * size,
                rule = m_facts.rule * size;
    const Box b = box_of(base), high = box_of(sup), low = box_of(sub);
    const bool character = base >= 0 && piece(base).character;
    const float italic = base >= 0 ? piece(base).italic : 0.0f;
    float up = character ? 0 : b.ascent - tex(kSupDrop, size_of(style.sup()));
    float down = character ? 0 : b.descent + tex(kSubDrop, size_of(style.sub()));
    if (sup < 0) {
        down = std::max({down, tex(kSub1, size), low.ascent - 0.8f * x_height});
    } else {
        const float least = style.cramped ? kSup3 : style.level == MathStyle::D ? kSup1 : kSup2;
        up = std::max({up, tex(least, size), high.descent + 0.25f * x_height});
        if (sub >= 0) {
            down = std::max(down, tex(kSub2, size));
            if ((up - high.descent) - (low.ascent - down) < 4 * rule) {
                down = 4 * rule - up + high.descent + low.ascent;
                const float lift = 0.8f * x_height - (up - high.descent);
                if (lift > 0) {
                    up += lift;
                    down -= lift;
                }
            }
        }
    }
    Piece p;
    p.children.push_back({base, {0, 0}});
    float width = b.width;
    if (sup >= 0) {
        p.children.push_back({sup, {b.width, -up}});
        width = std::max(width, b.width + high.width);
    }
    if (sub >= 0) {
        p.children.push_back({sub, {b.width - italic, down}});
        width = std::max(width, b.width - italic + low.width);
    }
    p.box = {width + kScriptSpace * quad(size),
             std::max(b.ascent, sup >= 0 ? up + high.ascent : 0.0f),
             std::max(b.descent, sub >= 0 ? down + low.descent : 0.0f)};
    return add(std::move(p));
}

// Rule 13a: a large operator's limits centred above and below it, ξ9–ξ12 away, ξ13 beyond.
int Typesetter::set_limits(const Node& node, MathStyle style) {
    const int op = set(node.children[0].get(), style);
    const int sup = set(node.children[1].get(), style.sup());
    const int sub = set(node.children[2].get(), style.sub());
    const float size = size_of(style);
    const Box o = box_of(op), high = box_of(sup), low = box_of(sub);
    const float width = std::max({o.width, high.width, low.width});
    Piece p;
    p.children.push_back({op, {(width - o.width) / 2, 0}});
    p.box = {width, o.ascent, o.descent};
    if (sup >= 0) {
        const float kern =
            std::max(tex(kBigOpSpacing[0], size), tex(kBigOpSpacing[2], size) - high.descent);
        p.children.push_back({sup, {(width - high.width) / 2, -(o.ascent + kern + high.descent)}});
        p.box.ascent += kern + high.height() + tex(kBigOpSpacing[4], size);
    }
    if (sub >= 0) {
        const float kern =
            std::max(tex(kBigOpSpacing[1], size), tex(kBigOpSpacing[3], size) - low.ascent);
        p.children.push_back({sub, {(width - low.width) / 2, o.descent + kern + low.ascent}});
        p.box.descent += kern + low.height() + tex(kBigOpSpacing[4], size);
    }
    return add(std::move(p));
}

// Σ and Π: the font's glyph scaled to TeX's display or text size, its ink centred on the axis.
int Typesetter::set_big_op(const Node& node, MathStyle style) {
    const float size = size_of(style), axis = m_facts.axis * size;
    // A height, so scaled as TeX's vertical parameters are: Σ keeps its size beside the letters
    // and fractions around it.
    const float wanted = tex(style.level == MathStyle::D ? kDisplayOp : kTextOp, size);
    const Ink natural = m_measure.ink(node.text, size, Face::Roman);
    const float ink_height = natural.top + natural.bottom;
    const float scale = ink_height > 0 ? 0.92f * wanted / ink_height : 1.0f;
    const float top = natural.top * scale, bottom = natural.bottom * scale;
    const float drop = (top - bottom) / 2 - axis;   // how far the ink's middle is above the axis
    const float bearing = kOpBearing * quad(size);  // DejaVu's Σ fills its advance; cmex's does not
    Piece p;
    p.glyphs.push_back({node.text, bearing, drop, size * scale, Face::Roman, 1});
    p.box = {natural.advance * scale + 2 * bearing, top - drop, bottom + drop};
    return add(std::move(p));
}

// Rule 12: the accent glyph (drawn by the font to sit over an x-height letter) raised by how
// far its base rises above the x-height, centred over the base's ink.
int Typesetter::set_accent(const Node& node, MathStyle style) {
    const int base = set(node.children[0].get(), style.cramp());
    if (base < 0) return -1;
    const Box b = piece(base).box;
    const float italic = piece(base).italic;
    const float centre = piece(base).accent_x >= 0 ? piece(base).accent_x : (b.width - italic) / 2;
    const float size = size_of(style);
    const Ink ink = m_measure.ink(node.text, size, Face::Roman);
    const float raise = b.ascent - std::min(b.ascent, m_facts.x_height * size);
    const float ink_width = ink.right - ink.left;
    const float stretch =
        node.wide && ink_width > 0 ? std::max(1.0f, 0.9f * (b.width - italic) / ink_width) : 1.0f;
    Piece p;
    p.children.push_back({base, {0, 0}});
    p.glyphs.push_back(
        {node.text, centre - (ink.left + ink.right) / 2, -raise, size, Face::Roman, stretch});
    p.box = {b.width, std::max(b.ascent, raise + ink.top), b.descent};
    p.italic = italic;
    p.accent_x = centre;
    return add(std::move(p));
}

// Rule 9: a bar 3θ above the base, θ thick, θ of space above it.
int Typesetter::set_overline(const Node& node, MathStyle style) {
    const int base = set(node.children[0].get(), style.cramp());
    const Box b = box_of(base);
    const float rule = m_facts.rule * size_of(style);
    Piece p;
    p.children.push_back({base, {0, 0}});
    p.rules.push_back({0, -(b.ascent + 4 * rule), b.width, -(b.ascent + 3 * rule)});
    p.box = {b.width, b.ascent + 5 * rule, b.descent};
    return add(std::move(p));
}

// Rule 19: delimiters at least 90.1 % as tall as twice the content's reach from the axis,
// and at most 5pt short of it.
int Typesetter::set_delimited(const Node& node, MathStyle style) {
    const int content = set(node.children[0].get(), style);
    const float size = size_of(style), axis = m_facts.axis * size;
    const Box c = box_of(content);
    const float reach = std::max(c.ascent - axis, c.descent + axis);
    const float height =
        std::max(2 * reach * kDelimiterFactor, 2 * reach - kDelimiterShortfall * quad(size));
    const int left = set_delimiter(node.text, height, size, true);
    const int right = set_delimiter(node.right, height, size, true);
    Piece p;
    for (const int part : {left, content, right}) {
        p.children.push_back({part, {p.box.width, 0}});
        const Box b = box_of(part);
        p.box.width += b.width;
        p.box.ascent = std::max(p.box.ascent, b.ascent);
        p.box.descent = std::max(p.box.descent, b.descent);
    }
    return add(std::move(p));
}

int Typesetter::set_sized(const Node& node, MathStyle style) {
    const float size = size_of(style);
    const float height = kDelimiterSizes[std::clamp(node.size, 1, 4) - 1] * quad(size);
    return set_delimiter(node.text, height, size, false);
}

int Typesetter::set_delimiter(const std::string& symbol, float height, float size,
                              bool may_use_glyph) {
    Piece p;
    if (symbol.empty()) {  // \left. or \right.
        p.box.width = kNullDelimiterSpace * quad(size);
        return add(std::move(p));
    }
    const float axis = m_facts.axis * size, q = quad(size);
    if (may_use_glyph) {
        const Ink ink = m_measure.ink(symbol, size, Face::Roman);
        if (height <= ink.top + ink.bottom) {
            p.glyphs.push_back({symbol, 0, 0, size, Face::Roman, 1});
            p.box = {ink.advance, std::max(0.0f, ink.top), std::max(0.0f, ink.bottom)};
            return add(std::move(p));
        }
    }
    float grown = height;  // TeX's next size up (cmex's), then as tall as asked
    for (const float quads : kDelimiterSizes)
        if (quads * q >= height) {
            grown = quads * q;
            break;
        }
    const Delimiter d =
        make_delimiter(symbol, 0, -axis - grown / 2, -axis + grown / 2, q, m_facts.rule * size);
    p.box = {d.width, axis + grown / 2, std::max(0.0f, grown / 2 - axis)};
    p.delimiters.push_back(d);
    return add(std::move(p));
}

}  // namespace formula::detail
