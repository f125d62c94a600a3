// TeX → the atom tree of tree.h. A lesson file is any bytes: every way to nest passes through
// one guard that counts levels, so recursion stays within kMaxFormulaDepth.
#include <cctype>
#include <map>

#include "app/formula/tree.h"

namespace formula::detail {

namespace {

NodePtr make(Node::Kind kind, Atom atom = Atom::Ord) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->atom = atom;
    return n;
}

NodePtr symbol(const SymbolInfo& info) {
    NodePtr n = make(Node::Symbol, info.atom);
    n->text = info.text;
    n->face = info.face;
    n->limits = info.limits;
    return n;
}

NodePtr space(float em) {
    NodePtr n = make(Node::Space);
    n->em = em;
    return n;
}

size_t utf8_length(unsigned char lead) {
    return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}

// \mathbb's letters that have a double-struck form in the fonts' Basic Multilingual Plane.
std::string blackboard(const std::string& letters) {
    static const std::map<char, const char*> struck = {
        {'R', "ℝ"}, {'N', "ℕ"}, {'Z', "ℤ"}, {'Q', "ℚ"}, {'C', "ℂ"}, {'P', "ℙ"}, {'H', "ℍ"}};
    std::string out;
    for (char c : letters) {
        const auto found = struck.find(c);
        out += found == struck.end() ? std::string(1, c) : std::string(found->second);
    }
    return out;
}

class Parser {
public:
    explicit Parser(const std::string& text) : m_text(text) {}

    Parsed run() {
        NodePtr row = parse_row();
        if (m_at < m_text.size() && m_error.empty())
            fail(at_right() ? "\\right without a \\left" : "an unmatched '}'");
        return {std::move(row), m_error};
    }

private:
    void fail(const std::string& why) {
        if (m_error.empty()) m_error = why;
    }

    // Counts one level of nesting while it lives.
    struct Deeper {
        explicit Deeper(Parser& p) : parser(p) {
            if (++parser.m_depth > kMaxFormulaDepth)
                parser.fail("nested too deeply (more than " + std::to_string(kMaxFormulaDepth) +
                            " levels)");
        }
        ~Deeper() { --parser.m_depth; }
        bool too_deep() const { return parser.m_depth > kMaxFormulaDepth; }
        Parser& parser;
    };

    bool at_right() const {
        return m_at < m_text.size() && m_text.compare(m_at, 6, "\\right") == 0 &&
               (m_at + 6 >= m_text.size() ||
                !std::isalpha(static_cast<unsigned char>(m_text[m_at + 6])));
    }

    NodePtr parse_row() {
        NodePtr row = make(Node::Row);
        while (m_at < m_text.size() && m_text[m_at] != '}' && !at_right() && m_error.empty()) {
            const char c = m_text[m_at];
            if (c == '^' || c == '_') {
                ++m_at;
                attach_script(*row, c == '^' ? 1 : 2, parse_argument());
            } else if (c == '\'') {
                attach_primes(*row);
            } else if (NodePtr atom = parse_atom()) {
                row->children.push_back(std::move(atom));
            }
        }
        return row;
    }

    // The row's last atom as the nucleus of a Scripts node (made when it is not one yet).
    Node& scripts_of_last(Node& row) {
        Node* last = row.children.empty() ? nullptr : row.children.back().get();
        if (last && last->kind == Node::Scripts) return *last;
        NodePtr wrapped = make(Node::Scripts);
        wrapped->children.resize(3);
        if (last && last->kind != Node::Space) {
            wrapped->children[0] = std::move(row.children.back());
            row.children.pop_back();
        }
        row.children.push_back(std::move(wrapped));
        return *row.children.back();
    }

    void attach_script(Node& row, int slot, NodePtr script) {
        if (!script) {
            fail("a script is missing after '^' or '_'");
            return;
        }
        Node& scripts = scripts_of_last(row);
        if (scripts.children[size_t(slot)])
            fail(slot == 1 ? "a second superscript" : "a second subscript");
        scripts.children[size_t(slot)] = std::move(script);
    }

    // x' is x^{\prime}; x''^{2} is x^{\prime\prime 2}.
    void attach_primes(Node& row) {
        NodePtr primes = make(Node::Row);
        while (m_at < m_text.size() && m_text[m_at] == '\'') {
            primes->children.push_back(symbol(*find_symbol_command("prime")));
            ++m_at;
        }
        skip_spaces();
        if (m_at < m_text.size() && m_text[m_at] == '^') {
            ++m_at;
            NodePtr more = parse_argument();
            if (!more) return fail("a script is missing after '^'");
            primes->children.push_back(std::move(more));
        }
        attach_script(row, 1, std::move(primes));
    }

    // A group {…}, a command, or one character.
    NodePtr parse_argument() {
        const Deeper deeper(*this);
        if (deeper.too_deep() || !m_error.empty()) return nullptr;
        skip_spaces();
        if (m_at >= m_text.size()) {
            fail("a script or argument is missing at the end");
            return nullptr;
        }
        if (m_text[m_at] == '{') return parse_group();
        if (m_text[m_at] == '}' || m_text[m_at] == '^' || m_text[m_at] == '_') {
            fail(std::string("an argument is missing before '") + m_text[m_at] + "'");
            return nullptr;
        }
        return parse_atom();
    }

    NodePtr parse_group() {
        const Deeper deeper(*this);
        if (deeper.too_deep()) return nullptr;
        ++m_at;  // '{'
        NodePtr row = parse_row();
        if (m_at >= m_text.size() || m_text[m_at] != '}') {
            fail(at_right() ? "\\right inside a group its \\left is outside" : "a '}' is missing");
            return row;
        }
        ++m_at;
        return row;
    }

    NodePtr parse_atom() {
        const char c = m_text[m_at];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {  // spaces in maths mean nothing
            ++m_at;
            return nullptr;
        }
        if (c == '{') return parse_group();
        if (c == '\\') return parse_command();
        if (c == '~') {
            ++m_at;
            return space(0.333f);  // an unbreakable interword space
        }
        const size_t length = utf8_length(static_cast<unsigned char>(c));
        const std::string character = m_text.substr(m_at, length);
        m_at += character.size();  // a character cut short by the end of the text ends there
        return symbol(classify_character(character));
    }

    std::string command_name() {
        ++m_at;  // '\'
        size_t end = m_at;
        while (end < m_text.size() && std::isalpha(static_cast<unsigned char>(m_text[end]))) ++end;
        if (end == m_at && end < m_text.size()) end = m_at + 1;  // \| \{ \, \; \! "\ "
        std::string name = m_text.substr(m_at, end - m_at);
        m_at = end;
        return name;
    }

    NodePtr parse_command();
    NodePtr parse_fraction();
    NodePtr parse_accent(const std::string& glyph, bool wide);
    NodePtr parse_font(const std::string& name);
    NodePtr parse_left();
    NodePtr parse_sized(int size, Atom atom);
    std::string read_delimiter(const char* after);

    // Raw text up to the next '}' (\text{…}, \operatorname{…}).
    std::string raw_group(const std::string& command) {
        skip_spaces();
        if (m_at >= m_text.size() || m_text[m_at] != '{') {
            fail("\\" + command + " needs {…}");
            return {};
        }
        const size_t close = m_text.find('}', m_at);
        if (close == std::string::npos) {
            fail("a '}' is missing");
            m_at = m_text.size();
            return {};
        }
        std::string inside = m_text.substr(m_at + 1, close - m_at - 1);
        m_at = close + 1;
        return inside;
    }

    void skip_spaces() {
        while (m_at < m_text.size() &&
               (m_text[m_at] == ' ' || m_text[m_at] == '\n' || m_text[m_at] == '\t'))
            ++m_at;
    }

    const std::string& m_text;
    size_t m_at = 0;
    int m_depth = 0;
    std::string m_error;
};

NodePtr Parser::parse_command() {
    const std::string name = command_name();
    if (name == "frac" || name == "dfrac" || name == "tfrac") return parse_fraction();
    bool wide = false;
    if (const std::string accent = find_accent(name, wide); !accent.empty())
        return parse_accent(accent, wide);
    if (name == "overline") {
        NodePtr n = make(Node::Overline);
        n->children.push_back(parse_argument());
        return n->children[0] ? std::move(n) : nullptr;
    }
    if (name == "text" || name == "textrm" || name == "operatorname" || name == "mathrm" ||
        name == "mathbb" || name == "mathcal" || name == "mathbf" || name == "mathit")
        return parse_font(name);
    if (name == "sum" || name == "prod") {
        NodePtr n = make(Node::BigOp, Atom::Op);
        n->text = name == "sum" ? "∑" : "∏";
        n->limits = true;
        return n;
    }
    if (name == "left") return parse_left();
    if (name == "right") {
        fail("\\right without a \\left");
        return nullptr;
    }
    static const std::map<std::string, std::pair<int, Atom>> sized = {
        {"big", {1, Atom::Ord}},    {"Big", {2, Atom::Ord}},     {"bigg", {3, Atom::Ord}},
        {"Bigg", {4, Atom::Ord}},   {"bigl", {1, Atom::Open}},   {"Bigl", {2, Atom::Open}},
        {"biggl", {3, Atom::Open}}, {"Biggl", {4, Atom::Open}},  {"bigr", {1, Atom::Close}},
        {"Bigr", {2, Atom::Close}}, {"biggr", {3, Atom::Close}}, {"Biggr", {4, Atom::Close}},
        {"bigm", {1, Atom::Rel}},   {"Bigm", {2, Atom::Rel}},
    };
    if (const auto s = sized.find(name); s != sized.end())
        return parse_sized(s->second.first, s->second.second);
    static const std::map<std::string, float> spaces = {
        {"quad", 1.0f},   {"qquad", 2.0f},  {",", 3 / 18.0f},  {":", 4 / 18.0f},
        {">", 4 / 18.0f}, {";", 5 / 18.0f}, {"!", -3 / 18.0f}, {" ", 0.333f},
    };
    if (const auto s = spaces.find(name); s != spaces.end()) return space(s->second);
    if (name == "displaystyle" || name == "textstyle" || name == "limits" || name == "nolimits")
        return nullptr;  // the layout picks the style; TeX's defaults for limits
    if (const SymbolInfo* s = find_symbol_command(name)) return symbol(*s);
    fail("unknown command \\" + name);
    return nullptr;
}

NodePtr Parser::parse_fraction() {
    NodePtr n = make(Node::Fraction, Atom::Inner);
    n->children.push_back(parse_argument());
    if (m_error.empty()) n->children.push_back(parse_argument());
    if (n->children.size() < 2 || !n->children[0] || !n->children[1]) {
        fail("\\frac needs two arguments");
        return nullptr;
    }
    return n;
}

NodePtr Parser::parse_accent(const std::string& glyph, bool wide) {
    NodePtr n = make(Node::Accent);
    n->text = glyph;
    n->wide = wide;
    n->children.push_back(parse_argument());
    return n->children[0] ? std::move(n) : nullptr;
}

NodePtr Parser::parse_font(const std::string& name) {
    const std::string inside = raw_group(name);
    if (name == "text" || name == "textrm") {
        NodePtr n = make(Node::Text);
        n->text = inside;
        return n;
    }
    std::string letters;  // maths mode: spaces mean nothing
    for (char c : inside)
        if (c != ' ') letters += c;
    SymbolInfo info{letters, name == "operatorname" ? Atom::Op : Atom::Ord,
                    name == "mathcal" || name == "mathit" ? Face::Italic : Face::Roman, false};
    if (name == "mathbb") info.text = blackboard(letters);
    return symbol(info);
}

// A delimiter token after \left, \right or \big: "(", "\{", "\|", "." …
std::string Parser::read_delimiter(const char* after) {
    skip_spaces();
    std::string token;
    if (m_at < m_text.size() && m_text[m_at] == '\\') {
        const size_t start = m_at;
        command_name();
        token = m_text.substr(start, m_at - start);
    } else if (m_at < m_text.size()) {
        token = m_text.substr(m_at, utf8_length(static_cast<unsigned char>(m_text[m_at])));
        m_at += token.size();
    }
    const std::string glyph = delimiter_glyph(token);
    if (glyph.empty())
        fail(std::string(after) + " needs a delimiter: ( ) [ ] | . \\{ \\} \\| \\langle \\rangle");
    return glyph;
}

NodePtr Parser::parse_left() {
    const Deeper deeper(*this);
    if (deeper.too_deep()) return nullptr;
    NodePtr n = make(Node::Delimited, Atom::Inner);
    n->text = read_delimiter("\\left");
    if (!m_error.empty()) return nullptr;
    n->children.push_back(parse_row());
    if (!m_error.empty()) return nullptr;
    if (!at_right()) {
        fail("a \\right is missing after \\left");
        return nullptr;
    }
    m_at += 6;
    n->right = read_delimiter("\\right");
    if (n->text == ".") n->text.clear();
    if (n->right == ".") n->right.clear();
    return m_error.empty() ? std::move(n) : nullptr;
}

NodePtr Parser::parse_sized(int size, Atom atom) {
    NodePtr n = make(Node::SizedDelim, atom);
    n->size = size;
    n->text = read_delimiter("\\big");
    if (n->text == ".") n->text.clear();
    return m_error.empty() ? std::move(n) : nullptr;
}

}  // namespace

Parsed parse(const std::string& tex) {
    return Parser(tex).run();
}

}  // namespace formula::detail
