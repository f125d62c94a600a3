// The parsed formula, inside app/formula: a tree of atoms carrying TeX's classes, which
// parse.cpp builds from the TeX and typeset.cpp lays out. Any thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/formula/formula.h"

namespace formula::detail {

// TeX's atom classes (The TeXbook, ch. 17): the space between two neighbours depends on them.
enum class Atom : unsigned char { Ord, Op, Bin, Rel, Open, Close, Punct, Inner };

struct Node {
    enum Kind : unsigned char {
        Row,         // items; as an atom ({…}) an Ord
        Symbol,      // one character or an operator's name (\log): text in face
        Text,        // \text{…}: upright text, its spaces kept
        Fraction,    // children: numerator, denominator
        Scripts,     // children: nucleus, superscript, subscript (null when absent)
        Accent,      // text: the accent's glyph; children: the base
        Overline,    // children: the base
        BigOp,       // text: ∑ or ∏, drawn large in display style
        Delimited,   // \left text … \right right; children: the content
        SizedDelim,  // \big( and its kin: text, size 1…4
        Space,       // em: a width in quads
    };
    Kind kind = Row;
    Atom atom = Atom::Ord;
    Face face = Face::Roman;
    bool limits = false;  // Symbol, BigOp: scripts go above and below in display style
    bool wide = false;    // Accent: stretched across its base (\widehat, \widetilde)
    int size = 0;         // SizedDelim: 1 \big, 2 \Big, 3 \bigg, 4 \Bigg
    float em = 0;         // Space
    std::string text;
    std::string right;  // Delimited: the closing delimiter ("" for \right.)
    std::vector<std::unique_ptr<Node>> children;
};
using NodePtr = std::unique_ptr<Node>;

struct Parsed {
    NodePtr root;       // a Row
    std::string error;  // "" when the whole text parsed
};
Parsed parse(const std::string& tex);

// What a command (\alpha, \le, \log, \{) or a typed character stands for.
struct SymbolInfo {
    std::string text;  // the glyphs drawn
    Atom atom = Atom::Ord;
    Face face = Face::Roman;
    bool limits = false;
};
// nullptr when `name` (without its backslash) is not a symbol.
const SymbolInfo* find_symbol_command(const std::string& name);
// A character typed in maths: "x" is an italic Ord, "2" an upright Ord, "-" the Bin "−" …
SymbolInfo classify_character(const std::string& utf8);
// The accent glyph of \hat, \tilde, … ("" when `name` is no accent); `wide` for \widehat.
std::string find_accent(const std::string& name, bool& wide);
// "(" for "(", "{" for "\{", "‖" for "\|" … ("" when the token is no delimiter; "." gives ".").
std::string delimiter_glyph(const std::string& token);

}  // namespace formula::detail
