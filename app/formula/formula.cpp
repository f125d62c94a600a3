// layout(): parse, then set in TeX's display or text style; a formula that does not parse is
// shown as typed (its start), never half-drawn.
#include "app/formula/formula.h"

#include "app/formula/typeset.h"

namespace formula {

namespace {

constexpr size_t kShownBytes = 200;  // of a formula that does not parse: shown as typed, this long

Layout as_typed(const std::string& tex, float size, const Measure& measure, std::string error) {
    Layout out;
    out.error = std::move(error);
    std::string shown = tex;
    if (shown.size() > kShownBytes) {
        size_t cut = kShownBytes;
        while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;
        shown = shown.substr(0, cut) + "…";
    }
    const float width = measure.ink ? measure.ink(shown, size, Face::Prose).advance : 0.0f;
    out.box = {width, measure.prose_ascent * size, measure.prose_descent * size};
    out.glyphs.push_back({std::move(shown), 0, 0, size, Face::Prose, 1});
    return out;
}

}  // namespace

Layout layout(const std::string& tex, float size, const Measure& measure, Style style) {
    if (!measure.ink) return as_typed(tex, size, measure, "no text measurer");
    detail::Parsed parsed = detail::parse(tex);
    if (!parsed.error.empty()) return as_typed(tex, size, measure, std::move(parsed.error));
    detail::Typesetter typesetter(measure, size);
    const detail::MathStyle start{
        style == Style::Display ? detail::MathStyle::D : detail::MathStyle::T, false};
    const int root = typesetter.set(parsed.root.get(), start);
    Layout out;
    if (root < 0) return out;
    out.box = typesetter.piece(root).box;
    typesetter.emit(root, 0, 0, out);
    return out;
}

}  // namespace formula
