// A lesson check's `expect` expression (core/expression.h): its names, and its value with
// a lookup that knows some names (their length) and not others (names with a 'z').
#include <cstddef>
#include <cstdint>
#include <string>

#include "core/base/expression.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    (void)aelab::expression_names(text);
    const aelab::NameLookup lookup = [](const std::string& name) -> std::optional<double> {
        if (name.find('z') != std::string::npos) return std::nullopt;
        return name.size() % 3 == 0 ? 0.0 : double(name.size()) * 1e300;
    };
    (void)aelab::evaluate_expression(text, lookup);
    return 0;
}
