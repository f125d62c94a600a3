// The small arithmetic a lesson's check states its claim in, over named numbers (its runs'
// metrics): "narrow.test_mse > 5 * wide.test_mse", "kl.p_hat.mean <= 1.6 * 0.05 and
// kl.p_hat.mean >= 0.5 * 0.05". Grammar:
//   condition := comparison ("and" comparison)*
//   comparison := sum (("<" | "<=" | ">" | ">=" | "==") sum)?   ("==" is exact: for counts)
//   sum := product (("+" | "-") product)*      product := unary (("*" | "/") unary)*
//   unary := "-" unary | number | name | "abs(" sum ")" | "(" sum ")"
// A name is letters, digits, '_' and '.' (a path into a run's metrics). Nesting ('(', '-',
// abs) deeper than kMaxExpressionDepth is an error, not a stack overflow: the text comes from
// lesson files. Time is linear in the text's length. Any thread.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/base/expected.h"

namespace aelab {

constexpr int kMaxExpressionDepth = 64;

using NameLookup = std::function<std::optional<double>(const std::string& name)>;

// The value of `text`: a number, or for a condition 1 (true) or 0 (false). An error names
// what is wrong: a syntax error with its place, a name the lookup does not know.
Expected<double> evaluate_expression(const std::string& text, const NameLookup& lookup);

// The names `text` uses, in order of appearance (for checking a lesson before it runs); an
// error for bad syntax.
Expected<std::vector<std::string>> expression_names(const std::string& text);

}  // namespace aelab
