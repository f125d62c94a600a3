// A lesson's watch line ("p̂ mean {p_hat_mean:.3f}"): its placeholders, and the line filled
// with values that stress printf formats (huge, tiny, negative, NaN, infinite) and with a
// name missing (shown as "—").
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <string>

#include "core/lessons/lesson.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string line(reinterpret_cast<const char*>(data), size);
    static const double kValues[] = {0.0, -1.5, 1e308, -1e-308, 123456789012.0,
                                     std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::infinity(), 9.2233720368547758e18};
    std::map<std::string, double> values;
    size_t i = 0;
    for (const std::string& name : aelab::placeholder_names(line))
        if (i++ % 9 != 8) values[name] = kValues[(name.size() + i) % std::size(kValues)];
    (void)aelab::fill_placeholders(line, values);
    return 0;
}
