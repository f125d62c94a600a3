#include "app/formula/formula.h"

#include <algorithm>
#include <cfloat>
#include <cstring>
#include <map>
#include <memory>
#include <string>

#include <imgui.h>

namespace formula {

namespace {

constexpr float kScript = 0.7f;     // sub- and superscripts, limits: of the size around them
constexpr float kFraction = 0.9f;   // numerators and denominators
constexpr float kBigOp = 1.9f;      // Σ
constexpr float kAxis = 0.27f;      // the maths axis (fraction bars, Σ's middle) above the baseline
constexpr float kRelation = 0.28f;  // em of space around = < > ⇒ …
constexpr float kBinary = 0.2f;     // …and around + − ⊙ ×
constexpr size_t kShownBytes = 200; // of a formula that does not parse: shown as typed, this long

// ---- The tree -------------------------------------------------------------------------
struct Node {
    enum Kind { Row, Text, Frac, Scripts, Accent, BigOp, Space } kind = Row;
    std::string text;      // Text: the characters; Accent: "hat", "tilde", "bar"; BigOp: Σ
    float space = 0;       // Space: em; Text: em of space on each side (operators)
    std::vector<std::unique_ptr<Node>> children;  // Row: items; Frac: num, den; Scripts and
                                                  // BigOp: base/op, sup, sub (null if none)
};
using NodePtr = std::unique_ptr<Node>;

NodePtr text_node(std::string text, float space = 0) {
    auto n = std::make_unique<Node>();
    n->kind = Node::Text;
    n->text = std::move(text);
    n->space = space;
    return n;
}

const std::map<std::string, std::string>& symbols() {
    static const std::map<std::string, std::string> table = {
        {"alpha", "α"}, {"beta", "β"}, {"gamma", "γ"}, {"delta", "δ"}, {"epsilon", "ε"},
        {"varepsilon", "ε"}, {"zeta", "ζ"}, {"eta", "η"}, {"theta", "θ"}, {"iota", "ι"},
        {"kappa", "κ"}, {"lambda", "λ"}, {"mu", "μ"}, {"nu", "ν"}, {"xi", "ξ"}, {"pi", "π"},
        {"rho", "ρ"}, {"sigma", "σ"}, {"tau", "τ"}, {"phi", "φ"}, {"varphi", "φ"}, {"chi", "χ"},
        {"psi", "ψ"}, {"omega", "ω"}, {"Gamma", "Γ"}, {"Delta", "Δ"}, {"Theta", "Θ"},
        {"Lambda", "Λ"}, {"Sigma", "Σ"}, {"Phi", "Φ"}, {"Psi", "Ψ"}, {"Omega", "Ω"},
        {"partial", "∂"}, {"nabla", "∇"}, {"infty", "∞"}, {"ldots", "…"}, {"cdots", "⋯"},
        {"top", "⊤"}, {"prime", "′"}, {"|", "‖"}, {"{", "{"}, {"}", "}"}, {"%", "%"}, {"mid", "|"},
        {"log", "log"}, {"exp", "exp"}, {"min", "min"}, {"max", "max"}, {"dim", "dim"},
        {"langle", "⟨"}, {"rangle", "⟩"},
    };
    return table;
}

// Operators and relations: the symbol and its space on each side (em).
const std::map<std::string, std::pair<std::string, float>>& operators() {
    static const std::map<std::string, std::pair<std::string, float>> table = {
        {"odot", {"⊙", kBinary}}, {"cdot", {"·", kBinary}}, {"times", {"×", kBinary}},
        {"pm", {"±", kBinary}}, {"le", {"≤", kRelation}}, {"leq", {"≤", kRelation}},
        {"ge", {"≥", kRelation}}, {"geq", {"≥", kRelation}}, {"ne", {"≠", kRelation}},
        {"approx", {"≈", kRelation}}, {"sim", {"∼", kRelation}}, {"to", {"→", kRelation}},
        {"Rightarrow", {"⇒", kRelation}}, {"forall", {"∀", 0.1f}}, {"in", {"∈", kRelation}},
        {"equiv", {"≡", kRelation}}, {"gg", {"≫", kRelation}}, {"ll", {"≪", kRelation}},
    };
    return table;
}

class Parser {
public:
    explicit Parser(const std::string& text) : m_text(text) {}
    NodePtr parse() {
        NodePtr row = parse_row();
        if (m_at < m_text.size() && m_error.empty()) m_error = "an unmatched '}'";
        return row;
    }
    std::string error() const { return m_error; }

private:
    NodePtr parse_row() {
        auto row = std::make_unique<Node>();
        row->kind = Node::Row;
        while (m_at < m_text.size() && m_text[m_at] != '}' && m_error.empty()) {
            const char c = m_text[m_at];
            if (c == '^' || c == '_') {
                ++m_at;
                NodePtr script = parse_argument();
                if (!script) return row;
                Node* last = row->children.empty() ? nullptr : row->children.back().get();
                if (!last || (last->kind != Node::Scripts && last->kind != Node::BigOp)) {
                    auto wrapped = std::make_unique<Node>();
                    wrapped->kind = Node::Scripts;
                    wrapped->children.resize(3);
                    if (last) {
                        wrapped->children[0] = std::move(row->children.back());
                        row->children.pop_back();
                    }
                    row->children.push_back(std::move(wrapped));
                    last = row->children.back().get();
                }
                last->children[c == '^' ? 1 : 2] = std::move(script);
                continue;
            }
            NodePtr atom = parse_atom();
            if (atom) row->children.push_back(std::move(atom));
        }
        return row;
    }

    // Counts one level of nesting while it lives: every way to nest ({…}, \frac, \hat, scripts)
    // passes through parse_argument or parse_group, so the parser's recursion, and the layout's
    // over its tree, stay within kMaxFormulaDepth.
    struct Deeper {
        explicit Deeper(Parser& p) : parser(p) {
            if (++parser.m_depth > kMaxFormulaDepth && parser.m_error.empty())
                parser.m_error = "nested too deeply (more than " + std::to_string(kMaxFormulaDepth) + " levels)";
        }
        ~Deeper() { --parser.m_depth; }
        bool too_deep() const { return parser.m_depth > kMaxFormulaDepth; }
        Parser& parser;
    };

    // A group {…}, a command, or one character.
    NodePtr parse_argument() {
        const Deeper deeper(*this);
        if (deeper.too_deep() || !m_error.empty()) return nullptr;
        skip_spaces();
        if (m_at >= m_text.size()) {
            m_error = "a script or argument is missing at the end";
            return nullptr;
        }
        if (m_text[m_at] == '{') return parse_group();
        return parse_atom();
    }

    NodePtr parse_group() {
        const Deeper deeper(*this);
        if (deeper.too_deep()) return nullptr;
        ++m_at;  // '{'
        NodePtr row = parse_row();
        if (m_at >= m_text.size() || m_text[m_at] != '}') {
            if (m_error.empty()) m_error = "a '}' is missing";
            return row;
        }
        ++m_at;
        return row;
    }

    // Raw text up to the matching '}' (\text{…}).
    std::string raw_group() {
        skip_spaces();
        if (m_at >= m_text.size() || m_text[m_at] != '{') {
            m_error = "\\text and its kind need {…}";
            return {};
        }
        const size_t close = m_text.find('}', m_at);
        if (close == std::string::npos) {
            m_error = "a '}' is missing";
            return {};
        }
        std::string inside = m_text.substr(m_at + 1, close - m_at - 1);
        m_at = close + 1;
        return inside;
    }

    NodePtr parse_atom() {
        const char c = m_text[m_at];
        if (c == ' ' || c == '\t' || c == '\n') {  // spaces in maths mean nothing
            ++m_at;
            return nullptr;
        }
        if (c == '{') return parse_group();
        if (c == '\\') return parse_command();
        // One UTF-8 character.
        size_t len = 1;
        const unsigned char u = (unsigned char)c;
        if (u >= 0xF0) len = 4;
        else if (u >= 0xE0) len = 3;
        else if (u >= 0xC0) len = 2;
        std::string ch = m_text.substr(m_at, len);
        m_at += len;
        if (ch == "-") return text_node("−", kBinary);
        if (ch == "+" || ch == "⊙" || ch == "×") return text_node(ch, kBinary);
        if (ch == "=" || ch == "<" || ch == ">" || ch == "≤" || ch == "≥" || ch == "⇒" || ch == "→")
            return text_node(ch, kRelation);
        if (ch == ",") {
            auto n = text_node(",");
            n->space = -1;  // a thin space after only
            return n;
        }
        return text_node(ch);
    }

    NodePtr parse_command() {
        ++m_at;  // '\'
        size_t end = m_at;
        while (end < m_text.size() && std::isalpha((unsigned char)m_text[end])) ++end;
        if (end == m_at) end = m_at + 1;  // \| \{ \, \; \!
        const std::string name = m_text.substr(m_at, end - m_at);
        m_at = end;
        auto space = [](float em) {
            auto n = std::make_unique<Node>();
            n->kind = Node::Space;
            n->space = em;
            return n;
        };
        if (name == "frac") {
            auto n = std::make_unique<Node>();
            n->kind = Node::Frac;
            n->children.push_back(parse_argument());
            if (m_error.empty()) n->children.push_back(parse_argument());
            if (n->children.size() < 2 || !n->children[1]) {
                if (m_error.empty()) m_error = "\\frac needs two arguments";
                return nullptr;
            }
            return n;
        }
        if (name == "hat" || name == "tilde" || name == "bar" || name == "widehat") {
            auto n = std::make_unique<Node>();
            n->kind = Node::Accent;
            n->text = name == "widehat" ? "hat" : name;
            n->children.push_back(parse_argument());
            return n->children[0] ? std::move(n) : nullptr;
        }
        if (name == "text" || name == "operatorname" || name == "mathrm" || name == "mathbb" ||
            name == "mathcal" || name == "mathbf") {
            std::string inside = raw_group();
            auto n = text_node(inside, name == "operatorname" ? 0.1f : 0.0f);
            return n;
        }
        if (name == "sum" || name == "prod") {
            auto n = std::make_unique<Node>();
            n->kind = Node::BigOp;
            n->text = name == "sum" ? "∑" : "∏";
            n->children.resize(3);
            return n;
        }
        if (name == "quad") return space(1.0f);
        if (name == "qquad") return space(2.0f);
        if (name == ",") return space(0.17f);
        if (name == ":") return space(0.22f);
        if (name == ";") return space(0.28f);
        if (name == "!") return space(-0.17f);
        if (name == "big" || name == "Big" || name == "bigl" || name == "bigr" || name == "left" ||
            name == "right" || name == "displaystyle")
            return nullptr;  // the delimiter that follows is drawn as it is
        if (auto s = symbols().find(name); s != symbols().end()) {
            const bool word = s->second.size() > 1 && std::isalpha((unsigned char)s->second[0]);
            return text_node(s->second, word ? 0.1f : 0.0f);
        }
        if (auto o = operators().find(name); o != operators().end())
            return text_node(o->second.first, o->second.second);
        m_error = "unknown command \\" + name;
        return nullptr;
    }

    void skip_spaces() {
        while (m_at < m_text.size() && m_text[m_at] == ' ') ++m_at;
    }

    const std::string& m_text;
    size_t m_at = 0;
    int m_depth = 0;
    std::string m_error;
};

// `part` (laid out at the origin) moved to (dx, dy) and added to `out`: a part is measured
// and laid out once, then placed, so each level of a formula costs its size, not twice its
// children's (2^depth for a tower of fractions).
void append(Layout& out, const Layout& part, float dx, float dy) {
    for (const Glyphs& g : part.glyphs) out.glyphs.push_back({g.text, g.x + dx, g.y + dy, g.size});
    for (const Rule& r : part.rules) out.rules.push_back({r.x0 + dx, r.y0 + dy, r.x1 + dx, r.y1 + dy});
}

// ---- Layout -------------------------------------------------------------------------
class Layouter {
public:
    explicit Layouter(const Measure& m) : m_measure(m) {}

    // Lays `node` out at `size` with its baseline-left at (x, y); returns its box.
    Box place(const Node* node, float size, float x, float y, Layout& out) const {
        if (!node) return {};
        switch (node->kind) {
            case Node::Row: {
                Box box;
                for (const auto& child : node->children) {
                    const Box b = place(child.get(), size, x + box.width, y, out);
                    box.width += b.width;
                    box.ascent = std::max(box.ascent, b.ascent);
                    box.descent = std::max(box.descent, b.descent);
                }
                return box;
            }
            case Node::Space:
                return {node->space * size, 0, 0};
            case Node::Text: {
                const float before = node->space > 0 ? node->space * size : 0;
                const float after = node->space > 0 ? node->space * size
                                    : node->space < 0 ? 0.17f * size
                                                      : 0;
                out.glyphs.push_back({node->text, x + before, y, size});
                return {before + m_measure.width(node->text, size) + after,
                        m_measure.ascent * size, m_measure.descent * size};
            }
            case Node::Frac: {
                const float s = size * kFraction, gap = 0.12f * size, pad = 0.12f * size;
                Layout num_part, den_part;  // measured at the origin, then placed centred
                const Box num = place(node->children[0].get(), s, 0, 0, num_part);
                const Box den = place(node->children[1].get(), s, 0, 0, den_part);
                const float width = std::max(num.width, den.width) + 2 * pad;
                const float axis = y - kAxis * size;
                append(out, num_part, x + (width - num.width) / 2, axis - gap - num.descent);
                append(out, den_part, x + (width - den.width) / 2, axis + gap + den.ascent);
                out.rules.push_back({x + pad / 2, axis, x + width - pad / 2, axis});
                return {width, kAxis * size + gap + num.height(),
                        std::max(0.0f, gap + den.height() - kAxis * size)};
            }
            case Node::Scripts: {
                const Box base = place(node->children[0].get(), size, x, y, out);
                const float s = size * kScript;
                Layout sup_part, sub_part;
                const Box sup = place(node->children[1].get(), s, 0, 0, sup_part);
                const Box sub = place(node->children[2].get(), s, 0, 0, sub_part);
                const float sx = x + base.width + 0.04f * size;
                const float up = std::max(0.42f * size, base.ascent - 0.5f * sup.ascent);
                const float down = std::max(0.2f * size, base.descent + 0.1f * size);
                append(out, sup_part, sx, y - up);
                append(out, sub_part, sx, y + down);
                return {base.width + 0.04f * size + std::max(sup.width, sub.width) + 0.05f * size,
                        std::max(base.ascent, node->children[1] ? up + sup.ascent : 0.0f),
                        std::max(base.descent, node->children[2] ? down + sub.descent : 0.0f)};
            }
            case Node::Accent: {
                const Box base = place(node->children[0].get(), size, x, y, out);
                const float top = y - base.ascent - 0.06f * size, mid = x + base.width / 2;
                const float half = std::max(0.18f * size, base.width * 0.3f), rise = 0.14f * size;
                if (node->text == "hat") {
                    out.rules.push_back({mid - half, top, mid, top - rise});
                    out.rules.push_back({mid, top - rise, mid + half, top});
                } else if (node->text == "bar") {
                    out.rules.push_back({mid - half, top - rise / 2, mid + half, top - rise / 2});
                } else {  // tilde: three short strokes
                    out.rules.push_back({mid - half, top, mid - half / 3, top - rise});
                    out.rules.push_back({mid - half / 3, top - rise, mid + half / 3, top});
                    out.rules.push_back({mid + half / 3, top, mid + half, top - rise});
                }
                return {base.width, base.ascent + 0.06f * size + rise, base.descent};
            }
            case Node::BigOp: {
                const float big = size * kBigOp, s = size * kScript, gap = 0.08f * size;
                const float op_width = m_measure.width(node->text, big);
                Layout sup_part, sub_part;
                const Box sup = place(node->children[1].get(), s, 0, 0, sup_part);
                const Box sub = place(node->children[2].get(), s, 0, 0, sub_part);
                const float width = std::max({op_width, sup.width, sub.width}) + 0.15f * size;
                // Σ centred on the axis.
                const float op_ascent = m_measure.ascent * big, op_descent = m_measure.descent * big;
                const float baseline = y - kAxis * size + (op_ascent - op_descent) / 2;
                out.glyphs.push_back({node->text, x + (width - op_width) / 2, baseline, big});
                const float op_top = baseline - op_ascent * 0.85f, op_bottom = baseline + op_descent * 0.6f;
                append(out, sup_part, x + (width - sup.width) / 2, op_top - gap - sup.descent);
                append(out, sub_part, x + (width - sub.width) / 2, op_bottom + gap + sub.ascent);
                const float ascent = y - (node->children[1] ? op_top - gap - sup.height() : op_top);
                const float descent = (node->children[2] ? op_bottom + gap + sub.height() : op_bottom) - y;
                return {width, ascent, std::max(0.0f, descent)};
            }
        }
        return {};
    }

private:
    const Measure& m_measure;
};

}  // namespace

Layout layout(const std::string& tex, float size, const Measure& measure) {
    Layout out;
    Parser parser(tex);
    NodePtr root = parser.parse();
    out.error = parser.error();
    if (!out.error.empty()) {  // shown as typed (its start): never a half-drawn formula
        std::string shown = tex;
        if (shown.size() > kShownBytes) {
            size_t cut = kShownBytes;
            while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
            shown = shown.substr(0, cut) + "…";
        }
        out.box = {measure.width(shown, size), measure.ascent * size, measure.descent * size};
        out.glyphs.push_back({std::move(shown), 0, 0, size});
        return out;
    }
    out.box = Layouter(measure).place(root.get(), size, 0, 0, out);
    return out;
}

std::string draw(const char* tex) {
    ImFont* font = ImGui::GetFont();
    const float size = ImGui::GetFontSize() * 1.15f;
    Measure measure;
    measure.width = [font](const std::string& text, float s) {
        return font->CalcTextSizeA(s, FLT_MAX, 0.0f, text.c_str()).x;
    };
    measure.ascent = font->Ascent / font->FontSize;
    measure.descent = -font->Descent / font->FontSize;
    const Layout l = layout(tex, size, measure);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float baseline = origin.y + l.box.ascent + 2;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const ImU32 colour = ImGui::GetColorU32(l.error.empty() ? ImGuiCol_Text : ImGuiCol_TextDisabled);
    for (const Glyphs& g : l.glyphs)
        draw->AddText(font, g.size, ImVec2(origin.x + g.x, baseline + g.y - measure.ascent * g.size),
                      colour, g.text.c_str());
    const float thickness = std::max(1.0f, size / 16);
    for (const Rule& r : l.rules)
        draw->AddLine(ImVec2(origin.x + r.x0, baseline + r.y0), ImVec2(origin.x + r.x1, baseline + r.y1),
                      colour, thickness);
    ImGui::Dummy(ImVec2(l.box.width, l.box.height() + 4));
    if (!l.error.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("formula: %s", l.error.c_str());
    return l.error;
}

}  // namespace formula
