#include "core/base/text_format.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace aelab {

namespace {

// Up to three digits (the limits are two-digit numbers): "1000000000" stops here rather than
// overflowing an int.
bool take_number(std::string_view spec, size_t& at, int& out) {
    const size_t start = at;
    out = 0;
    while (at < spec.size() && spec[at] >= '0' && spec[at] <= '9') {
        if (at - start >= 3) return false;
        out = out * 10 + (spec[at] - '0');
        ++at;
    }
    return at > start;
}

Error refused(std::string_view spec, const std::string& why) {
    std::string shown(spec.substr(0, 24));
    if (spec.size() > 24) shown += "…";
    return Error{"the format ':" + shown + "' is not allowed (" + why +
                 "); allowed: [width][.precision][f|e|g|d], width ≤ " + std::to_string(kMaxWatchWidth) +
                 ", precision ≤ " + std::to_string(kMaxWatchPrecision) + ", e.g. .3f"};
}

}  // namespace

Expected<WatchFormat> parse_watch_format(std::string_view spec) {
    WatchFormat f;
    size_t at = 0;
    if (at < spec.size() && spec[at] >= '0' && spec[at] <= '9') {
        if (!take_number(spec, at, f.width) || f.width > kMaxWatchWidth)
            return refused(spec, "too wide");
    }
    if (at < spec.size() && spec[at] == '.') {
        ++at;
        if (!take_number(spec, at, f.precision)) return refused(spec, "a precision needs digits");
        if (f.precision > kMaxWatchPrecision) return refused(spec, "too precise");
    }
    if (at < spec.size()) {
        const char t = spec[at++];
        if (t != 'f' && t != 'e' && t != 'g' && t != 'd') return refused(spec, "unknown type");
        f.type = t;
    }
    if (at != spec.size()) return refused(spec, "something follows the type");
    if (f.type == 'd' && f.precision >= 0) return refused(spec, "d takes no precision");
    if (f.type == 0 && f.precision >= 0) f.type = 'g';
    return f;
}

std::string format_number(double value, const WatchFormat& format) {
    char type = format.type;
    int precision = format.precision;
    if (type == 0) {  // whole numbers (steps, counts) in full, others to four digits
        const bool whole = std::fabs(value) < 1e15 && value == std::floor(value);
        type = whole ? 'f' : 'g';
        precision = whole ? 0 : 4;
    } else if (type == 'd') {
        type = 'f';
        precision = 0;
        value = std::round(value);
    }
    if (precision < 0) precision = 6;
    // %f of 1e308 has 309 digits before the point, plus the precision after it.
    char text[400];
    std::chars_format kind = type == 'f'   ? std::chars_format::fixed
                             : type == 'e' ? std::chars_format::scientific
                                           : std::chars_format::general;
    std::string out;
    if (std::isnan(value)) {
        out = std::signbit(value) ? "-nan" : "nan";
    } else if (std::isinf(value)) {
        out = value < 0 ? "-inf" : "inf";
    } else {
        const auto [end, ec] = std::to_chars(text, text + sizeof text, value, kind, precision);
        out = ec == std::errc() ? std::string(text, end) : std::string("?");
    }
    if (int(out.size()) < format.width) out.insert(0, size_t(format.width) - out.size(), ' ');
    return out;
}

Expected<std::string> format_watch(double value, std::string_view spec) {
    auto format = parse_watch_format(spec);
    if (!format) return Error{format.error()};
    return format_number(value, *format);
}

}  // namespace aelab
