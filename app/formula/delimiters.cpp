// Outlines of grown delimiters. Proportions follow Computer Modern's big delimiters (cmex10):
// a parenthesis of 1.2, 1.8, 2.4 and 3 quads is 0.46, 0.60, 0.74 and 0.79 quads wide, its
// stroke heaviest in the middle and a hairline at the tips; strokes scale from the font's
// rule thickness (its minus sign), so they match the fraction bars beside them.
#include "app/formula/delimiters.h"

#include <algorithm>
#include <cmath>

namespace formula {

namespace {

constexpr float kPi = 3.14159265f;
constexpr int kArcPoints = 32;

// The two sides of a stroke along `centre`, widths[i] thick at point i; at a corner the
// sides meet at a mitre, so an angle bracket keeps its weight through its point.
Band offset(const std::vector<Point>& centre, const std::vector<float>& widths) {
    Band band;
    const size_t n = centre.size();
    auto normal = [&](size_t from, size_t to) {
        const float dx = centre[to].x - centre[from].x, dy = centre[to].y - centre[from].y;
        const float length = std::hypot(dx, dy);
        return length > 0 ? Point{-dy / length, dx / length} : Point{0, 0};
    };
    for (size_t i = 0; i < n; ++i) {
        const Point in = normal(i == 0 ? 0 : i - 1, i == 0 ? std::min<size_t>(1, n - 1) : i);
        const Point out = normal(i + 1 < n ? i : (i == 0 ? 0 : i - 1), i + 1 < n ? i + 1 : i);
        Point m{in.x + out.x, in.y + out.y};
        const float length = std::hypot(m.x, m.y);
        if (length > 0) m = {m.x / length, m.y / length};
        const float cosine = m.x * in.x + m.y * in.y;
        const float half = widths[i] / 2 / std::max(0.25f, cosine);
        band.a.push_back({centre[i].x + m.x * half, centre[i].y + m.y * half});
        band.b.push_back({centre[i].x - m.x * half, centre[i].y - m.y * half});
    }
    return band;
}

// Mirrors across the delimiter's middle: ")" from "(".
void mirror(std::vector<Band>& bands, const Delimiter& d) {
    const float axis = 2 * d.x + d.width;
    for (Band& band : bands)
        for (auto* side : {&band.a, &band.b})
            for (Point& p : *side) p.x = axis - p.x;
}

// "(": an elliptic arc from tip to tip, bulging left, thickest at its middle.
std::vector<Band> paren(const Delimiter& d) {
    const float start = 0.42f;  // the arc's angle at the tips (0 would end them flat)
    const float tip_x = d.x + 0.86f * d.width - d.hairline / 2,
                belly_x = d.x + 0.16f * d.width + d.stroke / 2;
    const float half_height = (d.bottom - d.top - d.hairline) / 2, middle = (d.top + d.bottom) / 2;
    const float a = (tip_x - belly_x) / (1 - std::sin(start)), b = half_height / std::cos(start);
    const float centre_x = tip_x + a * std::sin(start);
    std::vector<Point> centre;
    std::vector<float> widths;
    for (int i = 0; i <= kArcPoints; ++i) {
        const float phi = start + (kPi - 2 * start) * float(i) / kArcPoints;
        centre.push_back({centre_x - a * std::sin(phi), middle - b * std::cos(phi)});
        const float weight = (std::sin(phi) - std::sin(start)) / (1 - std::sin(start));
        widths.push_back(d.hairline +
                         (d.stroke - d.hairline) * std::pow(std::max(0.0f, weight), 0.7f));
    }
    return {offset(centre, widths)};
}

// "[": a stem and two serifs, one band turning two corners.
std::vector<Band> bracket(const Delimiter& d) {
    const float stem_x = d.x + 0.24f * d.width, end_x = d.x + 0.86f * d.width;
    const float serif = d.hairline;
    Band band;
    band.a = {{end_x, d.top}, {stem_x, d.top}, {stem_x, d.bottom}, {end_x, d.bottom}};
    band.b = {{end_x, d.top + serif},
              {stem_x + d.stroke, d.top + serif},
              {stem_x + d.stroke, d.bottom - serif},
              {end_x, d.bottom - serif}};
    return {band};
}

// A quadratic Bézier's points from p0 towards p2, pulled by c (the first point left out).
void curve(std::vector<Point>& out, Point p0, Point c, Point p2, int steps) {
    for (int i = 1; i <= steps; ++i) {
        const float t = float(i) / steps, u = 1 - t;
        out.push_back({u * u * p0.x + 2 * u * t * c.x + t * t * p2.x,
                       u * u * p0.y + 2 * u * t * c.y + t * t * p2.y});
    }
}

// "{": two hooks from the tips to the point in the middle, thin at both ends.
std::vector<Band> brace(const Delimiter& d) {
    const float tip_x = d.x + 0.86f * d.width - d.hairline / 2,
                point_x = d.x + 0.14f * d.width + d.hairline / 2;
    const float stem_x = (tip_x + point_x) / 2, middle = (d.top + d.bottom) / 2;
    const float radius = std::min((d.bottom - d.top) / 4, 1.2f * (tip_x - stem_x));
    std::vector<Band> bands;
    for (const float sign : {1.0f, -1.0f}) {  // the upper hook, then the lower one mirrored
        const float end_y = sign > 0 ? d.top + d.hairline / 2 : d.bottom - d.hairline / 2;
        std::vector<Point> centre{{tip_x, end_y}};
        curve(centre, {tip_x, end_y}, {stem_x, end_y}, {stem_x, end_y + sign * radius}, 10);
        curve(centre, {stem_x, end_y + sign * radius}, {stem_x, middle - sign * radius * 0.5f},
              {stem_x, middle - sign * radius}, 2);
        curve(centre, {stem_x, middle - sign * radius}, {stem_x, middle}, {point_x, middle}, 10);
        std::vector<float> widths;
        const float total = float(centre.size() - 1);
        for (size_t i = 0; i < centre.size(); ++i) {
            const float t = float(i) / total;  // 0 at the tip, 1 at the point
            const float weight = std::sin(kPi * std::clamp(t * 1.1f - 0.02f, 0.0f, 1.0f));
            widths.push_back(d.hairline + (d.stroke - d.hairline) * weight);
        }
        bands.push_back(offset(centre, widths));
    }
    return bands;
}

Band vertical(float centre_x, const Delimiter& d) {
    const float half = d.stroke / 2;
    return {{{centre_x - half, d.top}, {centre_x - half, d.bottom}},
            {{centre_x + half, d.top}, {centre_x + half, d.bottom}}};
}

// "⟨": two strokes meeting at a point on the left.
std::vector<Band> angle(const Delimiter& d) {
    const float tip_x = d.x + 0.8f * d.width, point_x = d.x + 0.2f * d.width;
    const float inset = d.stroke / 2;
    const std::vector<Point> centre{
        {tip_x, d.top + inset}, {point_x, (d.top + d.bottom) / 2}, {tip_x, d.bottom - inset}};
    return {offset(centre, {d.stroke, d.stroke, d.stroke})};
}

}  // namespace

Delimiter make_delimiter(const std::string& symbol, float x, float top, float bottom, float quad,
                         float rule) {
    Delimiter d;
    d.symbol = symbol;
    d.x = x;
    d.top = top;
    d.bottom = bottom;
    const float grown = std::max(0.0f, (bottom - top) / quad - 1);  // quads above a plain glyph's
    // Strokes as heavy as the font's own delimiters' (about its rule), a little heavier as they
    // grow, as cmex's are; hairlines at the tips.
    d.stroke = (1.0f + 0.12f * grown) * rule;
    d.hairline = 0.35f * rule;
    if (symbol == "(" || symbol == ")") {
        d.width = quad * std::min(0.8f, 0.39f + 0.2f * grown);
    } else if (symbol == "[" || symbol == "]") {
        d.width = quad * std::min(0.6f, 0.33f + 0.09f * grown);
        d.stroke = 0.9f * rule;
        d.hairline = 0.7f * rule;
    } else if (symbol == "{" || symbol == "}") {
        d.width = quad * std::min(0.9f, 0.5f + 0.12f * grown);
        d.stroke = (1.1f + 0.1f * grown) * rule;
    } else if (symbol == "⟨" || symbol == "⟩") {
        d.width = quad * std::min(0.7f, 0.39f + 0.1f * grown);
        d.stroke = 0.8f * rule;
    } else if (symbol == "‖") {
        d.width = 0.5f * quad;
        d.stroke = 0.8f * rule;
    } else {  // "|"
        d.width = 0.28f * quad;
        d.stroke = 0.8f * rule;
    }
    return d;
}

std::vector<Band> delimiter_bands(const Delimiter& d) {
    std::vector<Band> bands;
    if (d.symbol == "(" || d.symbol == ")")
        bands = paren(d);
    else if (d.symbol == "[" || d.symbol == "]")
        bands = bracket(d);
    else if (d.symbol == "{" || d.symbol == "}")
        bands = brace(d);
    else if (d.symbol == "⟨" || d.symbol == "⟩")
        bands = angle(d);
    else if (d.symbol == "‖")
        bands = {vertical(d.x + 0.3f * d.width, d), vertical(d.x + 0.7f * d.width, d)};
    else
        bands = {vertical(d.x + d.width / 2, d)};
    if (d.symbol == ")" || d.symbol == "]" || d.symbol == "}" || d.symbol == "⟩") mirror(bands, d);
    return bands;
}

}  // namespace formula
