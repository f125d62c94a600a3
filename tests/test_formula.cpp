// The formula typesetter (app/formula/formula.h), headless: boxes and glyph places of known
// expressions against TeX's rules, with a made-up font whose every number is known — each
// character half a size wide, lower case 0.5 tall, capitals and digits 0.7, the minus sign's
// stroke 0.06 thick around 0.27 (the axis), an em space one size wide (the quad).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "app/formula/delimiters.h"
#include "app/formula/formula.h"
#include "core/lessons/lesson.h"

using namespace formula;

namespace {

constexpr float kSize = 20;
constexpr float kOverhang = 0.1f;  // how far an italic letter's ink passes its advance, per size:
                                   // its italic correction

// Ink of one character of the made-up font, at size 1, from its pen position.
Ink glyph_ink(const std::string& c, Face face) {
    Ink ink{0.5f, 0.05f, 0.45f, 0.7f, 0.0f};
    if (c == "\u2003") return {1.0f, 0, 0, 0, 0};
    if (c == " ") return {0.5f, 0, 0, 0, 0};
    if (c == "−")
        ink.top = 0.3f, ink.bottom = -0.24f;
    else if (c == "(" || c == ")" || c == "[" || c == "]" || c == "|")
        ink.top = 0.75f, ink.bottom = 0.25f;
    else if (c == "ˆ" || c == "˜")
        ink.top = 0.7f, ink.bottom = -0.55f;
    else if (c == "′")
        ink.top = 0.75f, ink.bottom = -0.5f;
    else if (c == "∑")
        ink = {0.9f, 0.05f, 0.85f, 0.75f, 0.25f};
    else if (std::string("acemnorsuvwxz").find(c) != std::string::npos && c.size() == 1)
        ink.top = 0.5f;
    else if (std::string("gjpqy").find(c) != std::string::npos && c.size() == 1)
        ink.top = 0.5f, ink.bottom = 0.2f;
    if (face == Face::Italic) ink.right = ink.advance + kOverhang;
    return ink;
}

Measure made_up_font() {
    Measure m;
    m.ink = [](const std::string& text, float size, Face face) {
        Ink run;
        bool any = false;
        for (size_t i = 0; i < text.size();) {
            size_t length = 1;
            const auto lead = static_cast<unsigned char>(text[i]);
            if (lead >= 0xF0)
                length = 4;
            else if (lead >= 0xE0)
                length = 3;
            else if (lead >= 0xC0)
                length = 2;
            const Ink g = glyph_ink(text.substr(i, length), face);
            if (g.right > g.left) {
                run.left = any ? std::min(run.left, run.advance + g.left * size)
                               : run.advance + g.left * size;
                run.right = std::max(run.right, run.advance + g.right * size);
                run.top = any ? std::max(run.top, g.top * size) : g.top * size;
                run.bottom = any ? std::max(run.bottom, g.bottom * size) : g.bottom * size;
                any = true;
            }
            run.advance += g.advance * size;
            i += length;
        }
        return run;
    };
    m.slant = 0.2f;
    return m;
}

const Glyphs* find(const Layout& l, const std::string& text, int nth = 0) {
    for (const Glyphs& g : l.glyphs)
        if (g.text == text && nth-- == 0) return &g;
    return nullptr;
}

// Where a laid-out glyph's ink is (y down, as the layout's coordinates).
struct Extent {
    float left, right, top, bottom;
    float middle() const { return (left + right) / 2; }
};
Extent extent(const Glyphs& g) {
    const Ink ink = made_up_font().ink(g.text, g.size, g.face);
    return {g.x + ink.left, g.x + ink.right, g.y - ink.top, g.y + ink.bottom};
}

float advance(const std::string& text, float size = kSize) {
    return made_up_font().ink(text, size, Face::Roman).advance;
}

Layout set(const std::string& tex, Style style = Style::Display) {
    Layout l = layout(tex, kSize, made_up_font(), style);
    EXPECT_TRUE(l.error.empty()) << tex << ": " << l.error;
    return l;
}

constexpr float kMu = kSize / 18;  // the made-up font's quad is one size

}  // namespace

// ---- Faces ---------------------------------------------------------------------------------

TEST(Formula, VariablesAreItalicAndDigitsOperatorsAndNamesUpright) {
    const Layout l =
        set("\\log x + 2\\lambda \\Gamma \\operatorname{span}(W) \\text{if } \\mathrm{KL}");
    const std::pair<const char*, Face> expected[] = {
        {"log", Face::Roman}, {"x", Face::Italic}, {"+", Face::Roman},    {"2", Face::Roman},
        {"λ", Face::Italic},  {"Γ", Face::Roman},  {"span", Face::Roman}, {"W", Face::Italic},
        {"if ", Face::Roman}, {"KL", Face::Roman},
    };
    for (const auto& [text, face] : expected) {
        const Glyphs* g = find(l, text);
        ASSERT_NE(g, nullptr) << text << " is drawn as one run";
        EXPECT_EQ(int(g->face), int(face)) << text;
    }
}

// ---- TeX's spaces between atoms ------------------------------------------------------------

TEST(Formula, BinaryOperatorsGetMediumSpacesRelationsThickOnes) {
    const Layout sum = set("a+b");
    const float a_end = advance("a") + kOverhang * kSize;  // a's width with its italic correction
    EXPECT_NEAR(find(sum, "+")->x - a_end, 4 * kMu, 1e-3) << "medium space before +";
    EXPECT_NEAR(find(sum, "b")->x - (find(sum, "+")->x + advance("+")), 4 * kMu, 1e-3)
        << "and after";
    const Layout equation = set("a=b");
    EXPECT_NEAR(find(equation, "=")->x - a_end, 5 * kMu, 1e-3) << "thick space around =";
    EXPECT_NEAR(find(equation, "b")->x - (find(equation, "=")->x + advance("=")), 5 * kMu, 1e-3);
    const Layout list = set("a,b");
    EXPECT_NEAR(find(list, ",")->x, a_end, 1e-3) << "no space before a comma";
    EXPECT_NEAR(find(list, "b")->x - (a_end + advance(",")), 3 * kMu, 1e-3)
        << "a thin space after it";
}

TEST(Formula, ABinaryOperatorWithNothingOnItsLeftIsASign) {
    for (const char* tex : {"-a", "(-a)", "x = -a", "\\log -a"}) {
        const Layout l = set(tex);
        const Glyphs* minus = find(l, "−");
        ASSERT_NE(minus, nullptr) << tex << ": a minus sign, not a hyphen";
        EXPECT_NEAR(find(l, "a")->x, minus->x + advance("−"), 1e-3)
            << tex << ": no space after a sign";
    }
    EXPECT_NEAR(set("-a").glyphs[0].x, 0.0f, 1e-3) << "none before it either";
    const Layout trailing = set("a+");
    EXPECT_NEAR(find(trailing, "+")->x, advance("a") + kOverhang * kSize, 1e-3)
        << "an operator at the end is ordinary";
}

TEST(Formula, ScriptsHaveNoMediumOrThickSpaces) {
    const Layout l = set("x_{a+b=c}");
    const Glyphs* a = find(l, "a");
    const float script = 0.7f * kSize;
    EXPECT_NEAR(find(l, "+")->x, a->x + advance("a", script) + kOverhang * script, 1e-3);
    EXPECT_NEAR(find(l, "=")->x, find(l, "b")->x + advance("b", script) + kOverhang * script, 1e-3);
}

TEST(Formula, OperatorNamesGetAThinSpaceButNotBeforeAParenthesis) {
    const Layout l = set("\\log x");
    EXPECT_NEAR(find(l, "x")->x - advance("log"), 3 * kMu, 1e-3);
    const Layout call = set("\\log(x)");
    EXPECT_NEAR(find(call, "(")->x, advance("log"), 1e-3);
}

// ---- Fractions, scripts, limits ------------------------------------------------------------

TEST(Formula, AFractionStacksNumeratorOverABarOverDenominator) {
    const Layout l = set("\\frac{a}{\\text{bb}}");
    ASSERT_EQ(l.rules.size(), 1u);
    const Rule& bar = l.rules[0];
    EXPECT_NEAR(bar.y1 - bar.y0, 0.06f * kSize, 1e-3) << "as thick as the font's minus sign";
    EXPECT_NEAR((bar.y0 + bar.y1) / 2, -0.27f * kSize, 1e-3) << "centred on the maths axis";
    const Extent num = extent(*find(l, "a")), den = extent(*find(l, "bb"));
    EXPECT_LT(num.bottom, bar.y0) << "numerator above";
    EXPECT_GT(den.top, bar.y1) << "denominator below";
    // TeX's shifts leave room here; a numerator that reaches down and a denominator that
    // reaches up are pushed apart until they clear the bar by 3θ (display style).
    const Layout deep = set("\\frac{y_{j}}{b^{f}}");
    const Rule& deep_bar = deep.rules.at(0);
    EXPECT_NEAR(deep_bar.y0 - extent(*find(deep, "j")).bottom, 3 * 0.06f * kSize, 1e-3);
    EXPECT_GE(extent(*find(deep, "f")).top - deep_bar.y1, 3 * 0.06f * kSize - 1e-3);
    EXPECT_FLOAT_EQ(find(l, "a")->size, kSize) << "display style: full size";
    const float num_width = advance("a") + kOverhang * kSize;  // with its italic correction
    EXPECT_NEAR(find(l, "a")->x + num_width / 2, find(l, "bb")->x + advance("bb") / 2, 1e-3)
        << "centred";
    EXPECT_LT(bar.x0, den.left);
    EXPECT_GT(bar.x1, den.right);
}

TEST(Formula, AFractionInTextIsSetSmaller) {
    const Layout l = set("\\frac{a}{b}", Style::Text);
    EXPECT_FLOAT_EQ(find(l, "a")->size, 0.7f * kSize);
    EXPECT_FLOAT_EQ(find(l, "b")->size, 0.7f * kSize);
    EXPECT_LT(l.box.height(), set("\\frac{a}{b}").box.height());
}

TEST(Formula, ScriptsFollowTeXsRules) {
    const Layout l = set("x^{2}_{j}");
    const Glyphs *x = find(l, "x"), *sup = find(l, "2"), *sub = find(l, "j");
    ASSERT_TRUE(x && sup && sub);
    EXPECT_FLOAT_EQ(sup->size, 0.7f * kSize);
    EXPECT_FLOAT_EQ(sub->size, 0.7f * kSize);
    // The superscript after the x's italic correction, the subscript tucked under it.
    EXPECT_NEAR(sup->x, advance("x") + kOverhang * kSize, 1e-3);
    EXPECT_NEAR(sub->x, advance("x"), 1e-3);
    // Raised at least σ13 (display) and lowered at least σ17, in CM's quads scaled by the
    // x-height (0.5 here against CM's 0.431), and 4θ apart.
    const float vertical = 0.5f / 0.431f;
    EXPECT_GE(-sup->y, 0.413f * vertical * kSize - 1e-3);
    EXPECT_GE(sub->y, 0.247f * vertical * kSize - 1e-3);
    EXPECT_GE(extent(*sub).top - extent(*sup).bottom, 4 * 0.06f * kSize - 1e-3);
    // Text style raises less (σ14), and a lone subscript sits higher (σ16).
    EXPECT_LT(-find(set("x^2", Style::Text), "2")->y, -sup->y);
    EXPECT_LT(find(set("x_j"), "j")->y, sub->y);
}

TEST(Formula, ATallNucleusCarriesItsScriptsWithIt) {
    const Layout l = set("{\\frac{a}{b}}^{2}");
    const Extent numerator = extent(*find(l, "a"));
    EXPECT_LT(extent(*find(l, "2")).bottom, numerator.bottom)
        << "dropped from the top, not the baseline";
}

TEST(Formula, APrimeIsASmallRaisedMark) {
    const Layout l = set("\\sigma'(a)");
    const Glyphs* prime = find(l, "′");
    ASSERT_NE(prime, nullptr);
    EXPECT_FLOAT_EQ(prime->size, kSize)
        << "DejaVu's text prime, at the size of the letter it marks";
    const Extent mark = extent(*prime);
    EXPECT_LT(mark.top, -0.5f * kSize) << "above σ's top";
    EXPECT_GT(mark.bottom, -0.75f * kSize) << "but not floating above the line";
}

TEST(Formula, SumCarriesItsLimitsAboveAndBelowInDisplayStyle) {
    const Layout l = set("\\sum_{j=1}^{m} x_j");
    const Glyphs *sigma = find(l, "∑"), *top = find(l, "m"), *below = find(l, "j");
    ASSERT_TRUE(sigma && top && below);
    const Extent op = extent(*sigma);
    // KaTeX's display Σ, 1.6 quads, a vertical size scaled by the x-height (0.5 against CM's
    // 0.431), its ink 0.92 of that.
    EXPECT_NEAR(op.bottom - op.top, 0.92f * 1.6f * (0.5f / 0.431f) * kSize, 0.01f);
    EXPECT_NEAR((op.top + op.bottom) / 2, -0.27f * kSize, 0.01f) << "centred on the axis";
    EXPECT_LT(extent(*top).bottom, op.top) << "m above Σ";
    EXPECT_GT(extent(*below).top, op.bottom) << "j = 1 below Σ";
    EXPECT_NEAR(extent(*top).middle(), op.middle(), 0.5f * kSize) << "centred on Σ";
    const Layout inline_sum = set("\\sum_{j=1}^{m} x_j", Style::Text);
    EXPECT_GT(find(inline_sum, "m")->x, find(inline_sum, "∑")->x + 0.5f * kSize)
        << "in text, limits go right";
}

// ---- Accents and delimiters ----------------------------------------------------------------

TEST(Formula, AnAccentIsCentredOnItsLettersInk) {
    const Layout upright = set("\\hat{\\mathrm{A}}");
    const Extent hat = extent(*find(upright, "ˆ")), letter = extent(*find(upright, "A"));
    EXPECT_NEAR(hat.middle(), letter.middle(), 1.0f) << "within a pixel of the ink's middle";
    EXPECT_LT(hat.bottom, letter.top) << "above the letter";
    // An italic letter leans right: the accent goes over its top, by the slant over half its
    // height (TeX's skew, roughly).
    const Layout italic = set("\\hat{x}_j");
    const Extent over = extent(*find(italic, "ˆ")), x = extent(*find(italic, "x"));
    EXPECT_NEAR(over.middle(), x.middle() + 0.2f * (x.bottom - x.top) / 2, 1.0f);
    EXPECT_GT(over.middle(), x.middle() + 0.5f);
    EXPECT_LT(over.bottom, x.top);
}

TEST(Formula, DelimitersGrowWithAFraction) {
    const Layout l = set("\\left( \\frac{a}{b} \\right)");
    ASSERT_EQ(l.delimiters.size(), 2u) << "drawn as outlines, not the font's glyph";
    const Extent num = extent(*find(l, "a")), den = extent(*find(l, "b"));
    for (const Delimiter& d : l.delimiters) {
        EXPECT_LT(d.top, num.top) << d.symbol << ": taller than the fraction";
        EXPECT_GT(d.bottom, den.bottom) << d.symbol;
        EXPECT_NEAR((d.top + d.bottom) / 2, -0.27f * kSize, 1e-3) << "centred on the axis";
        EXPECT_NEAR(d.bottom - d.top, 2.4f * kSize, 1e-3) << "TeX's \\bigg size, the next up";
    }
    EXPECT_LT(l.delimiters[0].x + l.delimiters[0].width, num.left) << "( left of the fraction";
    EXPECT_GT(l.delimiters[1].x, num.right) << ") right of it";
    // Around a letter the font's own parentheses do.
    const Layout small = set("\\left( x \\right)");
    EXPECT_TRUE(small.delimiters.empty());
    EXPECT_NE(find(small, "("), nullptr);
    // \big is 1.2 quads whatever it encloses; \Bigg 3.
    EXPECT_NEAR(set("\\big[ x \\big]").delimiters.at(0).bottom - set("\\big[").delimiters.at(0).top,
                1.2f * kSize, 1e-3);
    EXPECT_NEAR(set("\\Bigg\\{").delimiters.at(0).bottom - set("\\Bigg\\{").delimiters.at(0).top,
                3.0f * kSize, 1e-3);
}

TEST(Formula, ADelimitersOutlineStaysInItsBox) {
    for (const char* tex : {"\\Big(", "\\Big)", "\\Big[", "\\Big]", "\\Big\\{", "\\Big\\}",
                            "\\Big|", "\\Big\\|", "\\Big\\langle", "\\Big\\rangle"}) {
        const Layout l = set(tex);
        ASSERT_EQ(l.delimiters.size(), 1u) << tex;
        const Delimiter& d = l.delimiters[0];
        float top = 1e9f, bottom = -1e9f, left = 1e9f, right = -1e9f;
        for (const Band& band : delimiter_bands(d)) {
            ASSERT_EQ(band.a.size(), band.b.size()) << tex;
            for (const auto* side : {&band.a, &band.b})
                for (const Point& p : *side) {
                    top = std::min(top, p.y), bottom = std::max(bottom, p.y);
                    left = std::min(left, p.x), right = std::max(right, p.x);
                }
        }
        EXPECT_NEAR(top, d.top, 0.05f * kSize) << tex << ": reaches its top";
        EXPECT_NEAR(bottom, d.bottom, 0.05f * kSize) << tex << ": and its bottom";
        EXPECT_GE(left, d.x - 1e-3) << tex;
        EXPECT_LE(right, d.x + d.width + 1e-3) << tex;
        EXPECT_GT(right - left, 0.03f * kSize) << tex << ": at least half a rule wide";
    }
}

// ---- Prose with inline maths ---------------------------------------------------------------

TEST(Formula, ProseBreaksAtSpacesNeverInsideMaths) {
    const std::string text =
        "the mean $\\hat{p}_j$ of unit $j$, over the batch $x_1, \\ldots, x_B$ here";
    for (float width : {60.0f, 90.0f, 140.0f, 400.0f}) {
        const Layout l = layout_prose(text, width, kSize, made_up_font());
        ASSERT_TRUE(l.error.empty()) << l.error;
        // Each formula's glyphs share a line (a baseline, or above and below it).
        const Glyphs *p = find(l, "p"), *j = find(l, "j"), *comma = find(l, ","),
                     *last = find(l, "B");
        ASSERT_TRUE(p && j && comma && last);
        EXPECT_NEAR(find(l, "ˆ")->y, p->y, kSize) << width;
        EXPECT_NEAR(comma->y, find(l, "j", 1)->y, 1e-3) << width << ": the comma stays with $j$";
        EXPECT_NEAR(find(l, "x")->y, last->y, 0.5f * kSize)
            << width << ": $x_1, …, x_B$ is one word";
        // No line is wider than the width unless one word alone is.
        const float widest =
            layout("x_1, \\ldots, x_B", kSize, made_up_font(), Style::Text).box.width;
        for (const Glyphs& g : l.glyphs)
            EXPECT_LE(g.x, std::max(width, widest)) << g.text << " at width " << width;
    }
    const Layout wide = layout_prose(text, 1000, kSize, made_up_font());
    EXPECT_NEAR(wide.box.descent, kSize, 0.3f * kSize) << "one line, a little taller for the hat";
}

TEST(Formula, InlineMathsKeepsOutOfTheSpaceBeforeIt) {
    Measure tailed = made_up_font();  // an italic j whose tail reaches left of its start
    const auto ink = tailed.ink;
    tailed.ink = [ink](const std::string& text, float size, Face face) {
        Ink i = ink(text, size, face);
        if (text == "j" && face == Face::Italic) i.left = -0.15f * size;
        return i;
    };
    const Layout l = layout_prose("a $j$", 400, kSize, tailed);
    const Glyphs* j = find(l, "j");
    ASSERT_NE(j, nullptr);
    EXPECT_NEAR(j->x - 0.15f * kSize, advance("a "), 1e-3)
        << "the tail starts where the space ends";
}

TEST(Formula, ProseShowsBadMathsAsTypedAndSaysWhy) {
    const Layout bad = layout_prose("a $\\nosuch$ b", 400, kSize, made_up_font());
    EXPECT_NE(bad.error.find("\\nosuch"), std::string::npos) << bad.error;
    EXPECT_NE(find(bad, "$\\nosuch$"), nullptr);
    const Layout open = layout_prose("costs $5 a day", 400, kSize, made_up_font());
    EXPECT_NE(open.error.find("'$'"), std::string::npos) << open.error;
    EXPECT_NE(find(open, "$5"), nullptr) << "the lone $ is text";
    const Layout escaped = layout_prose("\\$5 and \\$6", 400, kSize, made_up_font());
    EXPECT_TRUE(escaped.error.empty()) << escaped.error;
    EXPECT_NE(find(escaped, "$5"), nullptr);
    const Layout lines = layout_prose("one\ntwo", 400, kSize, made_up_font());
    EXPECT_NEAR(lines.box.descent, 2 * kSize, 1e-3) << "a newline starts a line";
}

// ---- Bad and hostile input -----------------------------------------------------------------

TEST(Formula, BadInputIsShownAsTypedWithTheReason) {
    for (const char* bad : {"\\frac{a}", "\\nosuch{x}", "x^", "{a", "a}", "\\left( x", "x \\right)",
                            "x^1^2", "\\left\\nosuch x \\right)"}) {
        const Layout l = layout(bad, kSize, made_up_font());
        EXPECT_FALSE(l.error.empty()) << bad;
        ASSERT_EQ(l.glyphs.size(), 1u) << bad;
        EXPECT_EQ(l.glyphs[0].text, bad);
        EXPECT_EQ(int(l.glyphs[0].face), int(Face::Prose));
    }
    EXPECT_NE(layout("\\nosuch", kSize, made_up_font()).error.find("\\nosuch"), std::string::npos);
    // A character whose UTF-8 bytes the text cuts short (found by fuzz_formula).
    EXPECT_EQ(layout("h = t{hbb\xe2)", kSize, made_up_font()).error, "a '}' is missing");
    EXPECT_TRUE(layout("x\xe2", kSize, made_up_font()).error.empty());
}

TEST(Formula, EveryShippedLessonFormulaAndTextParses) {
    // The lessons' formulas and inline $…$ maths are TeX of this subset; a typo would show as
    // raw text.
    auto lessons = aelab::load_all_lessons(aelab::lessons_folder());
    ASSERT_TRUE(lessons) << lessons.error();
    int formulas = 0, inline_maths = 0;
    for (const aelab::Lesson& lesson : *lessons) {
        for (const std::string& tex : lesson.formulas) {
            const Layout l = layout(tex, kSize, made_up_font());
            EXPECT_TRUE(l.error.empty()) << lesson.name << ": " << tex << ": " << l.error;
            ++formulas;
        }
        std::vector<std::string> prose{lesson.intro};
        for (const aelab::LessonStep& step : lesson.steps) prose.push_back(step.text);
        for (const std::string& text : prose) {
            const Layout l = layout_prose(text, 300, kSize, made_up_font());
            EXPECT_TRUE(l.error.empty()) << lesson.name << ": " << text << ": " << l.error;
            inline_maths += int(std::count(text.begin(), text.end(), '$')) / 2;
        }
    }
    EXPECT_GE(formulas, 20);
    EXPECT_GE(inline_maths, 20) << "the lessons' prose uses inline maths";
}

TEST(Formula, DeepNestingIsAnErrorNotACrash) {
    std::string fracs, hats, lefts;
    for (int i = 0; i < 50000; ++i) fracs += "\\frac";
    for (int i = 0; i < 50000; ++i) hats += "\\hat";
    for (int i = 0; i < 50000; ++i) lefts += "\\left(";
    const std::string groups = std::string(100000, '{') + "x" + std::string(100000, '}');
    std::string scripts = "x";
    for (int i = 0; i < 50000; ++i) scripts += "^{x";
    scripts += std::string(50000, '}');
    for (const std::string& deep : {groups, fracs + "ab", hats + "x", scripts, lefts + "x"}) {
        const Layout l = layout(deep, kSize, made_up_font());
        EXPECT_NE(l.error.find("nested too deeply"), std::string::npos) << l.error;
        ASSERT_EQ(l.glyphs.size(), 1u);
        EXPECT_LT(l.glyphs[0].text.size(), 400u)
            << "a shortened copy is shown, not 100,000 characters";
    }
}

TEST(Formula, NestedFractionsAreMeasuredOncePerLevel) {
    // Each level used to lay its parts out twice (measure, then place): 2^depth for a tower of
    // fractions. Count the measurer's calls instead of timing it.
    std::string tower = "x";
    for (int i = 0; i < 12; ++i) tower = "\\frac{" + tower + "}{\\left(y^{2}_{j}\\right)}";
    int calls = 0;
    Measure counting = made_up_font();
    const auto ink = counting.ink;
    counting.ink = [&calls, ink](const std::string& text, float size, Face face) {
        ++calls;
        return ink(text, size, face);
    };
    const Layout l = layout(tower, kSize, counting);
    ASSERT_TRUE(l.error.empty()) << l.error;
    EXPECT_EQ(l.glyphs.size() + l.delimiters.size(), 1u + 12 * 5);
    EXPECT_LE(calls, 2 * int(l.glyphs.size() + l.delimiters.size()))
        << "a measure per glyph, not 2^depth";
}
