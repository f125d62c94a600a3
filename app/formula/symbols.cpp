// The TeX subset's vocabulary: what each command and typed character draws, in which face,
// as which class of atom (plain TeX's \mathchardef table, for the symbols lessons use).
#include <map>

#include "app/formula/tree.h"

namespace formula::detail {

namespace {

SymbolInfo ord(const char* text, Face face = Face::Roman) {
    return {text, Atom::Ord, face, false};
}
SymbolInfo italic(const char* text) {
    return {text, Atom::Ord, Face::Italic, false};
}
SymbolInfo bin(const char* text) {
    return {text, Atom::Bin, Face::Roman, false};
}
SymbolInfo rel(const char* text) {
    return {text, Atom::Rel, Face::Roman, false};
}
// Operators' names are upright words; some take limits in display style (\min_x).
SymbolInfo op(const char* text, bool limits = false) {
    return {text, Atom::Op, Face::Roman, limits};
}

// clang-format off: tables read best packed
const std::map<std::string, SymbolInfo>& commands() {
    static const std::map<std::string, SymbolInfo> table = {
        // Lower-case Greek is maths italic, capitals upright (TeX's convention). TeX's \epsilon
        // and \phi are the lunate ϵ and the stroked ϕ; \varepsilon and \varphi the others.
        {"alpha", italic("α")},
        {"beta", italic("β")},
        {"gamma", italic("γ")},
        {"delta", italic("δ")},
        {"epsilon", italic("ϵ")},
        {"varepsilon", italic("ε")},
        {"zeta", italic("ζ")},
        {"eta", italic("η")},
        {"theta", italic("θ")},
        {"vartheta", italic("ϑ")},
        {"iota", italic("ι")},
        {"kappa", italic("κ")},
        {"lambda", italic("λ")},
        {"mu", italic("μ")},
        {"nu", italic("ν")},
        {"xi", italic("ξ")},
        {"pi", italic("π")},
        {"rho", italic("ρ")},
        {"sigma", italic("σ")},
        {"tau", italic("τ")},
        {"upsilon", italic("υ")},
        {"phi", italic("ϕ")},
        {"varphi", italic("φ")},
        {"chi", italic("χ")},
        {"psi", italic("ψ")},
        {"omega", italic("ω")},
        {"Gamma", ord("Γ")},
        {"Delta", ord("Δ")},
        {"Theta", ord("Θ")},
        {"Lambda", ord("Λ")},
        {"Xi", ord("Ξ")},
        {"Pi", ord("Π")},
        {"Sigma", ord("Σ")},
        {"Upsilon", ord("Υ")},
        {"Phi", ord("Φ")},
        {"Psi", ord("Ψ")},
        {"Omega", ord("Ω")},
        {"partial", ord("∂")},
        {"nabla", ord("∇")},
        {"infty", ord("∞")},
        {"ell", ord("ℓ")},
        {"top", ord("⊤")},
        {"bot", ord("⊥")},
        {"prime", ord("′")},
        {"forall", ord("∀")},
        {"exists", ord("∃")},
        {"neg", ord("¬")},
        {"emptyset", ord("∅")},
        {"%", ord("%")},
        {"#", ord("#")},
        {"&", ord("&")},
        {"_", ord("_")},
        {"|", ord("‖")},
        {"ldots", {"…", Atom::Inner, Face::Roman, false}},
        {"dots", {"…", Atom::Inner, Face::Roman, false}},
        {"cdots", {"⋯", Atom::Inner, Face::Roman, false}},
        {"{", {"{", Atom::Open, Face::Roman, false}},
        {"}", {"}", Atom::Close, Face::Roman, false}},
        {"langle", {"⟨", Atom::Open, Face::Roman, false}},
        {"rangle", {"⟩", Atom::Close, Face::Roman, false}},
        {"lvert", {"|", Atom::Open, Face::Roman, false}},
        {"rvert", {"|", Atom::Close, Face::Roman, false}},
        {"lVert", {"‖", Atom::Open, Face::Roman, false}},
        {"rVert", {"‖", Atom::Close, Face::Roman, false}},
        {"log", op("log")},
        {"ln", op("ln")},
        {"exp", op("exp")},
        {"dim", op("dim")},
        {"sin", op("sin")},
        {"cos", op("cos")},
        {"tan", op("tan")},
        {"arg", op("arg")},
        {"min", op("min", true)},
        {"max", op("max", true)},
        {"det", op("det", true)},
        {"lim", op("lim", true)},
        {"sup", op("sup", true)},
        {"inf", op("inf", true)},
        {"Pr", op("Pr", true)},
        {"odot", bin("⊙")},
        {"cdot", bin("⋅")},
        {"times", bin("×")},
        {"pm", bin("±")},
        {"mp", bin("∓")},
        {"ast", bin("∗")},
        {"circ", bin("∘")},
        {"oplus", bin("⊕")},
        {"otimes", bin("⊗")},
        {"setminus", bin("∖")},
        {"cup", bin("∪")},
        {"cap", bin("∩")},
        {"wedge", bin("∧")},
        {"vee", bin("∨")},
        {"le", rel("≤")},
        {"leq", rel("≤")},
        {"ge", rel("≥")},
        {"geq", rel("≥")},
        {"ne", rel("≠")},
        {"neq", rel("≠")},
        {"approx", rel("≈")},
        {"sim", rel("∼")},
        {"simeq", rel("≃")},
        {"equiv", rel("≡")},
        {"propto", rel("∝")},
        {"ll", rel("≪")},
        {"gg", rel("≫")},
        {"to", rel("→")},
        {"rightarrow", rel("→")},
        {"gets", rel("←")},
        {"leftarrow", rel("←")},
        {"mapsto", rel("↦")},
        {"Rightarrow", rel("⇒")},
        {"Leftarrow", rel("⇐")},
        {"Leftrightarrow", rel("⇔")},
        {"iff", rel("⇔")},
        {"implies", rel("⇒")},
        {"in", rel("∈")},
        {"notin", rel("∉")},
        {"subset", rel("⊂")},
        {"subseteq", rel("⊆")},
        {"perp", rel("⊥")},
        {"mid", rel("∣")},
    };
    return table;
}
// clang-format on

bool is_lower_greek(char32_t c) {
    return (c >= 0x3B1 && c <= 0x3C9) || c == 0x3D1 || c == 0x3D5 || c == 0x3F5;
}

char32_t first_code_point(const std::string& s) {
    const auto u = [&](size_t i) { return char32_t(static_cast<unsigned char>(s[i])); };
    if (s.empty()) return 0;
    if (u(0) < 0x80) return u(0);
    if (u(0) >= 0xE0 && s.size() >= 3)
        return ((u(0) & 0x0F) << 12) | ((u(1) & 0x3F) << 6) | (u(2) & 0x3F);
    if (u(0) >= 0xC0 && s.size() >= 2) return ((u(0) & 0x1F) << 6) | (u(1) & 0x3F);
    return 0;
}

}  // namespace

const SymbolInfo* find_symbol_command(const std::string& name) {
    const auto found = commands().find(name);
    return found == commands().end() ? nullptr : &found->second;
}

SymbolInfo classify_character(const std::string& utf8) {
    // clang-format off
    static const std::map<std::string, SymbolInfo> typed = {
        {"+", bin("+")}, {"-", bin("−")}, {"−", bin("−")}, {"*", bin("∗")}, {"±", bin("±")},
        {"×", bin("×")}, {"⊙", bin("⊙")}, {"·", bin("⋅")}, {"⋅", bin("⋅")},
        {"=", rel("=")}, {"<", rel("<")}, {">", rel(">")}, {":", rel(":")}, {"≤", rel("≤")},
        {"≥", rel("≥")}, {"≠", rel("≠")}, {"≈", rel("≈")}, {"∼", rel("∼")}, {"→", rel("→")},
        {"⇒", rel("⇒")}, {"∈", rel("∈")},
        {",", {",", Atom::Punct, Face::Roman, false}}, {";", {";", Atom::Punct, Face::Roman, false}},
        {"(", {"(", Atom::Open, Face::Roman, false}}, {"[", {"[", Atom::Open, Face::Roman, false}},
        {")", {")", Atom::Close, Face::Roman, false}}, {"]", {"]", Atom::Close, Face::Roman, false}},
        {"!", {"!", Atom::Close, Face::Roman, false}}, {"?", {"?", Atom::Close, Face::Roman, false}},
    };
    // clang-format on
    if (const auto found = typed.find(utf8); found != typed.end()) return found->second;
    const char32_t c = first_code_point(utf8);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_lower_greek(c))
        return italic(utf8.c_str());
    return ord(utf8.c_str());
}

std::string find_accent(const std::string& name, bool& wide) {
    static const std::map<std::string, std::string> accents = {
        {"hat", "ˆ"},   {"tilde", "˜"},   {"bar", "¯"},       {"dot", "˙"},
        {"ddot", "¨"},  {"check", "ˇ"},   {"breve", "˘"},     {"acute", "´"},
        {"grave", "`"}, {"widehat", "ˆ"}, {"widetilde", "˜"},
    };
    const auto found = accents.find(name);
    wide = name == "widehat" || name == "widetilde";
    return found == accents.end() ? std::string() : found->second;
}

std::string delimiter_glyph(const std::string& token) {
    static const std::map<std::string, std::string> delimiters = {
        {"(", "("},        {")", ")"},        {"[", "["},        {"]", "]"},
        {"|", "|"},        {".", "."},        {"\\{", "{"},      {"\\}", "}"},
        {"\\|", "‖"},      {"\\langle", "⟨"}, {"\\rangle", "⟩"}, {"\\lvert", "|"},
        {"\\rvert", "|"},  {"\\lVert", "‖"},  {"\\rVert", "‖"},  {"\\vert", "|"},
        {"\\Vert", "‖"},   {"\\lbrace", "{"}, {"\\rbrace", "}"}, {"\\lbrack", "["},
        {"\\rbrack", "]"},
    };
    const auto found = delimiters.find(token);
    return found == delimiters.end() ? std::string() : found->second;
}

}  // namespace formula::detail
