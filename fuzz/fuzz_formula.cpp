// A lesson formula (the TeX subset of app/formula/formula.h): layout() only, with a text
// measurer of our own — draw() needs an ImGui frame and adds no parsing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/formula/formula.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string tex(reinterpret_cast<const char*>(data), size);
    formula::Measure measure;
    measure.width = [](const std::string& text, float font_size) {
        return 0.5f * font_size * float(text.size());
    };
    (void)formula::layout(tex, 18.0f, measure);
    return 0;
}
