// The formula renderer's layout (app/formula/formula.h), headless: boxes and glyph places of
// known expressions, with a measurer where every character is half the size wide.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/formula/formula.h"
#include "core/lessons/lesson.h"

using namespace formula;

namespace {

int characters(const std::string& utf8) {
    return int(std::count_if(utf8.begin(), utf8.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

Measure half_width() {
    Measure m;
    m.width = [](const std::string& text, float size) { return 0.5f * size * characters(text); };
    m.ascent = 0.8f;
    m.descent = 0.2f;
    return m;
}

const Glyphs* find(const Layout& l, const std::string& text) {
    for (const Glyphs& g : l.glyphs)
        if (g.text == text) return &g;
    return nullptr;
}

}  // namespace

TEST(Formula, PlainTextAndGreekAreOneLine) {
    const Layout l = layout("\\lambda x", 20, half_width());
    ASSERT_TRUE(l.error.empty()) << l.error;
    EXPECT_FLOAT_EQ(l.box.width, 20.0f);  // two characters of 10 px
    EXPECT_FLOAT_EQ(l.box.ascent, 16.0f);
    EXPECT_FLOAT_EQ(l.box.descent, 4.0f);
    ASSERT_NE(find(l, "λ"), nullptr);
    EXPECT_FLOAT_EQ(find(l, "x")->x, 10.0f);
}

TEST(Formula, OperatorsGetSpaceAndAMinusSign) {
    const Layout l = layout("a - b", 20, half_width());
    ASSERT_NE(find(l, "−"), nullptr) << "a minus sign, not a hyphen";
    // a, −, b (10 px each) and 0.2 em on each side of the minus.
    EXPECT_FLOAT_EQ(l.box.width, 30.0f + 2 * 0.2f * 20);
}

TEST(Formula, AFractionStacksNumeratorOverABarOverDenominator) {
    const Layout l = layout("\\frac{a}{\\text{bb}}", 20, half_width());
    ASSERT_TRUE(l.error.empty()) << l.error;
    ASSERT_EQ(l.rules.size(), 1u);
    const Rule& bar = l.rules[0];
    EXPECT_FLOAT_EQ(bar.y0, bar.y1);
    EXPECT_LT(bar.y0, 0.0f) << "the bar sits on the maths axis, above the baseline";
    const Glyphs* num = find(l, "a");
    const Glyphs* den = find(l, "bb");
    ASSERT_TRUE(num && den);
    EXPECT_LT(num->y, bar.y0) << "numerator above";
    EXPECT_GT(den->y - 0.8f * den->size, bar.y0) << "denominator's top below the bar";
    EXPECT_LT(num->size, 20.0f);
    EXPECT_GE(l.box.width, 0.5f * den->size * 2) << "as wide as the wider part";
    EXPECT_GT(l.box.height(), 2 * 0.9f * 20 * 0.8f) << "two lines tall";
    // Centred: the numerator's middle is the denominator's middle.
    EXPECT_NEAR(num->x + 0.5f * num->size / 2, den->x + 0.5f * den->size, 0.01f);
}

TEST(Formula, ScriptsGoUpAndDownAtASmallerSize) {
    const Layout l = layout("x^{2}_{j}", 20, half_width());
    ASSERT_TRUE(l.error.empty()) << l.error;
    const Glyphs* sup = find(l, "2");
    const Glyphs* sub = find(l, "j");
    ASSERT_TRUE(sup && sub);
    EXPECT_LT(sup->y, -0.3f * 20);
    EXPECT_GT(sub->y, 0.1f * 20);
    EXPECT_FLOAT_EQ(sup->size, 0.7f * 20);
    EXPECT_FLOAT_EQ(sup->x, sub->x) << "stacked at the same place";
    EXPECT_GT(sup->x, find(l, "x")->x + 9.9f) << "after the base";
}

TEST(Formula, SumCarriesItsLimitsAboveAndBelow) {
    const Layout l = layout("\\sum_{j=1}^{m} x_j", 20, half_width());
    ASSERT_TRUE(l.error.empty()) << l.error;
    const Glyphs* sigma = find(l, "∑");
    const Glyphs* top = find(l, "m");
    const Glyphs* below = find(l, "j");
    ASSERT_TRUE(sigma && top && below);
    EXPECT_GT(sigma->size, 20.0f);
    EXPECT_LT(top->y, sigma->y - 0.8f * sigma->size * 0.8f) << "m above Σ";
    EXPECT_GT(below->y - 0.8f * below->size, sigma->y) << "j = 1 below Σ";
    EXPECT_LT(top->x, sigma->x + 0.5f * sigma->size) << "limits centred on Σ";
    EXPECT_GT(l.box.height(), 2.0f * 20);
}

TEST(Formula, HatsAndTildesAreDrawnAboveTheirBase) {
    for (const char* accent : {"\\hat{x}", "\\tilde{x}"}) {
        const Layout l = layout(accent, 20, half_width());
        ASSERT_TRUE(l.error.empty()) << l.error;
        ASSERT_GE(l.rules.size(), 2u) << accent;
        for (const Rule& r : l.rules) {
            EXPECT_LT(std::max(r.y0, r.y1), -0.8f * 20) << accent << ": above the x";
            EXPECT_GE(std::min(r.x0, r.x1), -6.0f);
            EXPECT_LE(std::max(r.x0, r.x1), 16.0f);
        }
        EXPECT_GT(l.box.ascent, 0.8f * 20);
    }
}

TEST(Formula, BadInputIsShownAsTypedWithTheReason) {
    for (const char* bad : {"\\frac{a}", "\\nosuch{x}", "x^", "{a", "a}"}) {
        const Layout l = layout(bad, 20, half_width());
        EXPECT_FALSE(l.error.empty()) << bad;
        ASSERT_EQ(l.glyphs.size(), 1u) << bad;
        EXPECT_EQ(l.glyphs[0].text, bad);
    }
    EXPECT_NE(layout("\\nosuch", 20, half_width()).error.find("\\nosuch"), std::string::npos);
}

TEST(Formula, EveryShippedLessonFormulaParses) {
    // The lessons' formulas are TeX of this subset; a typo would show as raw text.
    auto lessons = aelab::load_all_lessons(aelab::lessons_folder());
    ASSERT_TRUE(lessons) << lessons.error();
    int formulas = 0;
    for (const aelab::Lesson& lesson : *lessons)
        for (const std::string& tex : lesson.formulas) {
            const Layout l = layout(tex, 20, half_width());
            EXPECT_TRUE(l.error.empty()) << lesson.name << ": " << tex << ": " << l.error;
            ++formulas;
        }
    EXPECT_GE(formulas, 20);
}

// ---- Hostile formulas (issue 19): a lesson is a file from the internet ----------------------

TEST(Formula, DeepNestingIsAnErrorNotACrash) {
    std::string fracs, hats;
    for (int i = 0; i < 50000; ++i) fracs += "\\frac";
    for (int i = 0; i < 50000; ++i) hats += "\\hat";
    const std::string groups = std::string(100000, '{') + "x" + std::string(100000, '}');
    std::string scripts = "x";
    for (int i = 0; i < 50000; ++i) scripts += "^{x";
    scripts += std::string(50000, '}');
    for (const std::string& deep : {groups, fracs + "ab", hats + "x", scripts}) {
        const Layout l = layout(deep, 20, half_width());
        EXPECT_NE(l.error.find("nested too deeply"), std::string::npos) << l.error;
        ASSERT_EQ(l.glyphs.size(), 1u);
        EXPECT_LT(l.glyphs[0].text.size(), 400u) << "a shortened copy is shown, not 100,000 characters";
    }
}

TEST(Formula, NestedFractionsAreMeasuredOncePerLevel) {
    // Each level used to lay its parts out twice (measure, then place): 2^depth for a tower of
    // fractions. Count the measurer's calls instead of timing it.
    std::string tower = "x";
    for (int i = 0; i < 12; ++i) tower = "\\frac{" + tower + "}{y^{2}_{j}}";
    int calls = 0;
    Measure counting = half_width();
    counting.width = [&calls](const std::string& text, float size) {
        ++calls;
        return 0.5f * size * characters(text);
    };
    const Layout l = layout(tower, 20, counting);
    ASSERT_TRUE(l.error.empty()) << l.error;
    EXPECT_EQ(l.glyphs.size(), 1u + 12 * 3);
    EXPECT_LE(calls, 2 * int(l.glyphs.size())) << "a measure per glyph, not 2^depth";
}
