// A lesson file (JSON) as a stranger may write it: parse_lesson, then what the window and
// `aelab --check` do with a lesson that loads — every step's config, the watch lines'
// placeholders filled, the check's expressions evaluated and (with ImGui) the formulas laid out.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "core/base/expression.h"
#include "core/lessons/lesson.h"
#ifdef AELAB_FUZZ_FORMULA
#include "app/formula/formula.h"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto lesson = aelab::parse_lesson(text, "fuzz.json");
    if (!lesson) return 0;
    std::map<std::string, double> values;
    for (const auto& name : aelab::live_value_names()) values[name.name] = 0.125;
    for (size_t i = 0; i < lesson->steps.size(); ++i) {
        (void)aelab::lesson_config(*lesson, int(i));
        for (const std::string& line : lesson->steps[i].watch) {
            (void)aelab::placeholder_names(line);
            (void)aelab::fill_placeholders(line, values);
        }
    }
    const aelab::NameLookup lookup = [](const std::string& name) -> std::optional<double> {
        return double(name.size());
    };
    for (const std::string& expect : lesson->check.expect) {
        (void)aelab::expression_names(expect);
        (void)aelab::evaluate_expression(expect, lookup);
    }
#ifdef AELAB_FUZZ_FORMULA
    formula::Measure measure;
    measure.ink = [](const std::string& t, float font_size, formula::Face) {
        formula::Ink ink;
        ink.advance = ink.right = 0.5f * font_size * float(t.size());
        ink.top = 0.7f * font_size;
        return ink;
    };
    for (const std::string& tex : lesson->formulas) (void)formula::layout(tex, 18.0f, measure);
    (void)formula::layout_prose(lesson->intro, 300.0f, 16.0f, measure);  // prose with inline maths
    for (const aelab::LessonStep& step : lesson->steps) (void)formula::layout_prose(step.text, 300.0f, 16.0f, measure);
#endif
    return 0;
}
