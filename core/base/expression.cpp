#include "core/base/expression.h"

#include <cctype>
#include <cmath>
#include <cstdlib>

namespace aelab {

namespace {

// Recursive descent over the text; the first error stops it.
class Parser {
public:
    Parser(const std::string& text, const NameLookup* lookup) : m_text(text), m_lookup(lookup) {}

    Expected<double> parse() {
        const double value = condition();
        skip_spaces();
        if (!m_error && m_at < m_text.size()) fail("unexpected '" + m_text.substr(m_at, 12) + "'");
        if (m_error) return Error{*m_error};
        return value;
    }
    std::vector<std::string> names;

private:
    double condition() {
        double value = comparison();
        while (word("and")) {
            const double next = comparison();
            value = (value != 0 && next != 0) ? 1 : 0;
        }
        return value;
    }
    double comparison() {
        const double lhs = sum();
        skip_spaces();
        for (const char* op : {"<=", ">=", "==", "<", ">"}) {
            if (m_text.compare(m_at, std::string(op).size(), op) != 0) continue;
            m_at += std::string(op).size();
            const double rhs = sum();
            const std::string o = op;
            const bool holds = o == "<=" ? lhs <= rhs
                               : o == ">=" ? lhs >= rhs
                               : o == "==" ? lhs == rhs  // exact: for counts and sizes
                               : o == "<"  ? lhs < rhs
                                           : lhs > rhs;
            return holds ? 1 : 0;
        }
        return lhs;
    }
    double sum() {
        double value = product();
        for (;;) {
            if (symbol('+')) value += product();
            else if (symbol('-')) value -= product();
            else return value;
        }
    }
    double product() {
        double value = unary();
        for (;;) {
            if (symbol('*')) value *= unary();
            else if (symbol('/')) value /= unary();
            else return value;
        }
    }
    // Every way to nest (unary minus, parentheses, abs) passes here: the depth is counted
    // here so that 100,000 '(' are an error, not a stack overflow.
    double unary() {
        if (m_error) return 0;  // the first error stops it: no more recursion
        if (m_depth >= kMaxExpressionDepth) {
            fail("nested too deeply (more than " + std::to_string(kMaxExpressionDepth) +
                 " levels of '(', '-' or abs)");
            return 0;
        }
        ++m_depth;
        const double value = unary_inside();
        --m_depth;
        return value;
    }
    double unary_inside() {
        if (symbol('-')) return -unary();
        if (symbol('(')) {
            const double value = sum();
            if (!symbol(')')) fail("a ')' is missing");
            return value;
        }
        skip_spaces();
        if (m_at >= m_text.size()) {
            fail("the expression ends too early");
            return 0;
        }
        const char c = m_text[m_at];
        if (std::isdigit((unsigned char)c) || c == '.') {
            const char* start = m_text.c_str() + m_at;
            char* end = nullptr;
            const double value = std::strtod(start, &end);
            m_at += size_t(end - start);
            return value;
        }
        if (std::isalpha((unsigned char)c) || c == '_') {
            size_t end = m_at;
            while (end < m_text.size() && (std::isalnum((unsigned char)m_text[end]) ||
                                           m_text[end] == '_' || m_text[end] == '.'))
                ++end;
            const std::string name = m_text.substr(m_at, end - m_at);
            m_at = end;
            if (name == "abs" && symbol('(')) {
                const double value = std::fabs(sum());
                if (!symbol(')')) fail("a ')' is missing after abs(");
                return value;
            }
            names.push_back(name);
            if (!m_lookup) return 1;
            const std::optional<double> value = (*m_lookup)(name);
            if (!value) fail("unknown name '" + name + "'");
            return value.value_or(0);
        }
        fail("unexpected '" + std::string(1, c) + "'");
        return 0;
    }

    void skip_spaces() {
        while (m_at < m_text.size() && std::isspace((unsigned char)m_text[m_at])) ++m_at;
    }
    bool symbol(char c) {
        skip_spaces();
        if (m_at < m_text.size() && m_text[m_at] == c) {
            ++m_at;
            return true;
        }
        return false;
    }
    bool word(const char* w) {
        skip_spaces();
        const std::string s = w;
        if (m_text.compare(m_at, s.size(), s) != 0) return false;
        const size_t end = m_at + s.size();
        if (end < m_text.size() && (std::isalnum((unsigned char)m_text[end]) || m_text[end] == '_'))
            return false;
        m_at = end;
        return true;
    }
    void fail(const std::string& what) {
        if (!m_error) m_error = what + " at character " + std::to_string(m_at + 1);
    }

    const std::string& m_text;
    const NameLookup* m_lookup;
    size_t m_at = 0;
    int m_depth = 0;
    std::optional<std::string> m_error;
};

}  // namespace

Expected<double> evaluate_expression(const std::string& text, const NameLookup& lookup) {
    Parser parser(text, &lookup);
    return parser.parse();
}

Expected<std::vector<std::string>> expression_names(const std::string& text) {
    Parser parser(text, nullptr);
    auto parsed = parser.parse();
    if (!parsed) return Error{parsed.error()};
    return parser.names;
}

}  // namespace aelab
