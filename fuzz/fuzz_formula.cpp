// A lesson formula (the TeX subset of app/formula/formula.h), in display and text style, and
// a paragraph of prose with inline maths: the layout functions only, with a text measurer of
// our own — draw() needs an ImGui frame and adds no parsing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "app/formula/delimiters.h"
#include "app/formula/formula.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string tex(reinterpret_cast<const char*>(data), size);
    formula::Measure measure;
    measure.ink = [](const std::string& text, float font_size, formula::Face) {
        formula::Ink ink;
        ink.advance = 0.5f * font_size * float(text.size());
        ink.right = ink.advance;
        ink.top = 0.7f * font_size;
        ink.bottom = 0.2f * font_size;
        return ink;
    };
    for (const formula::Style style : {formula::Style::Display, formula::Style::Text}) {
        const formula::Layout l = formula::layout(tex, 18.0f, measure, style);
        for (const formula::Delimiter& d : l.delimiters) (void)formula::delimiter_bands(d);
    }
    (void)formula::layout_prose(tex, 300.0f, 16.0f, measure);
    return 0;
}
