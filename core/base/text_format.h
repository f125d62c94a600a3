// Numbers formatted for text a lesson writes ("{test_loss:.3f}"): the spec is parsed against a
// whitelist and the number formatted with std::to_chars, so no lesson text ever reaches a
// printf-family format. Any thread (pure functions).
#pragma once

#include <string>
#include <string_view>

#include "core/base/expected.h"

namespace aelab {

// A watch format: [width][.precision][type], type one of f e g d (d: rounded to a whole
// number, no precision). Without a type, a precision means g. Width ≤ kMaxWatchWidth,
// precision ≤ kMaxWatchPrecision: a lesson cannot ask for a line a billion characters wide.
struct WatchFormat {
    int width = 0;       // right-aligned in this many characters (0: as long as it is)
    int precision = -1;  // -1: the type's default (6, as printf's)
    char type = 0;       // 'f', 'e', 'g', 'd'; 0: aelab's default (whole numbers in full, else .4g)
};
constexpr int kMaxWatchWidth = 40;
constexpr int kMaxWatchPrecision = 12;

// The spec after the ':' of a placeholder ("" is the default format); an error says what is
// allowed.
Expected<WatchFormat> parse_watch_format(std::string_view spec);

// `value` as `format` asks: for f, e, g the same text as printf's %W.Pf/%W.Pe/%W.Pg in the C
// locale. Never longer than kMaxWatchWidth plus the number's own digits.
std::string format_number(double value, const WatchFormat& format);

// Both in one, for callers holding the spec's text (the fuzz target's entry point): an error
// for a spec outside the whitelist.
Expected<std::string> format_watch(double value, std::string_view spec);

}  // namespace aelab
