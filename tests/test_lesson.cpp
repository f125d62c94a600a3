// Lessons as data (core/lesson.h) and the arithmetic of their checks (core/expression.h):
// the shipped lessons all load; a bad lesson file is refused naming the file, the line and
// what is wrong; a check's comparisons evaluate as written.
#include <gtest/gtest.h>

#include <cmath>

#include "core/expression.h"
#include "core/lesson.h"

using namespace aelab;

namespace {

std::optional<double> metrics(const std::string& name) {
    if (name == "wide.test_mse") return 0.001;
    if (name == "narrow.test_mse") return 0.016;
    if (name == "a.b.c") return -2;
    return std::nullopt;
}

double value(const std::string& text) {
    auto v = evaluate_expression(text, metrics);
    EXPECT_TRUE(v) << text << ": " << v.error();
    return v ? *v : NAN;
}

std::string error_of(const std::string& text) {
    auto lesson = parse_lesson(text, "my-lesson.json");
    EXPECT_FALSE(lesson) << "accepted:\n" << text;
    return lesson ? "" : lesson.error();
}

const char* kGood = R"json({
  "title": "A test lesson",
  "chapter": "0. Tests",
  "formulas": ["h = g(Wx + b)"],
  "panels": ["Loss curves"],
  "base": {"hidden": "64"},
  "steps": [
    {"title": "one", "text": "first", "set": {"encoder_act": "linear"},
     "watch": ["test {test_loss:.3f} at step {step}"],
     "try": [{"label": "wider", "set": {"hidden": 128}}, {"label": "2σ", "view": {"anomaly_k": 2}}]},
    {"title": "two", "text": "second", "set": {"lr": "0.01"}, "fresh": true}
  ],
  "check": {
    "claim": "it works",
    "runs": {"wide": {"set": {"hidden": "784"}, "steps": 10}, "narrow": {"steps": 5}},
    "expect": ["narrow.test_mse > 5 * wide.test_mse"],
    "report": ["wide.test_mse"]
  }
})json";

}  // namespace

TEST(Expression, ArithmeticComparisonsAndNames) {
    EXPECT_DOUBLE_EQ(value("1 + 2 * 3"), 7);
    EXPECT_DOUBLE_EQ(value("(1 + 2) * 3"), 9);
    EXPECT_DOUBLE_EQ(value("-2 - -3"), 1);
    EXPECT_DOUBLE_EQ(value("1e-3 * 1000 / 4"), 0.25);
    EXPECT_DOUBLE_EQ(value("abs(a.b.c) + 1"), 3);
    EXPECT_DOUBLE_EQ(value("narrow.test_mse > 5 * wide.test_mse"), 1);
    EXPECT_DOUBLE_EQ(value("narrow.test_mse > 20 * wide.test_mse"), 0);
    EXPECT_DOUBLE_EQ(value("1 <= 1 and 2 >= 2 and 1 < 2"), 1);
    EXPECT_DOUBLE_EQ(value("1 < 2 and 3 < 2"), 0);
    EXPECT_DOUBLE_EQ(value("wide.test_mse < 0.003"), 1);
    EXPECT_DOUBLE_EQ(value("2 * 5 == 10 and 1 <= 2"), 1);
    EXPECT_DOUBLE_EQ(value("a.b.c == 2"), 0);
}

TEST(Expression, ErrorsSayWhatAndWhere) {
    auto unknown = evaluate_expression("wide.test_mse < missing.x", metrics);
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error().find("unknown name 'missing.x'"), std::string::npos) << unknown.error();
    for (const char* bad : {"1 +", "(1 + 2", "1 2", "3 $ 4", ""}) {
        auto v = evaluate_expression(bad, metrics);
        ASSERT_FALSE(v) << bad;
        EXPECT_NE(v.error().find("at character"), std::string::npos) << v.error();
    }
    auto names = expression_names("a.x > 2 * b.y and abs(c.z) < 1");
    ASSERT_TRUE(names);
    EXPECT_EQ(*names, (std::vector<std::string>{"a.x", "b.y", "c.z"}));
}

TEST(Lesson, AGoodLessonLoadsWithEverything) {
    auto lesson = parse_lesson(kGood, "dir/01-test.json");
    ASSERT_TRUE(lesson) << lesson.error();
    EXPECT_EQ(lesson->name, "01-test");
    EXPECT_EQ(lesson->title, "A test lesson");
    ASSERT_EQ(lesson->steps.size(), 2u);
    EXPECT_EQ(lesson->steps[0].tries.at(0).set.at(0), (std::pair<std::string, std::string>{"hidden", "128"}));
    EXPECT_TRUE(lesson->steps[0].tries.at(1).set.empty());
    EXPECT_EQ(lesson->steps[0].tries.at(1).view.at(0), (std::pair<std::string, double>{"anomaly_k", 2}));
    EXPECT_FALSE(lesson->steps[0].fresh);
    EXPECT_TRUE(lesson->steps[1].fresh);
    ASSERT_EQ(lesson->check.runs.size(), 2u);
    EXPECT_EQ(lesson->check.runs[0].name, "wide") << "runs keep the file's order";
    EXPECT_EQ(lesson->check.runs[1].steps, 5);
    // Step 1's config builds on the base and step 0.
    auto config = lesson_config(*lesson, 1);
    ASSERT_TRUE(config) << config.error();
    EXPECT_EQ(config->hidden, std::vector<HiddenLayer>{64});
    EXPECT_EQ(config->encoder_act, Activation::Linear);
    EXPECT_FLOAT_EQ(config->knobs.lr, 0.01f);
}

TEST(Lesson, BadFilesAreRefusedNamingFileLineAndProblem) {
    const std::string good = kGood;
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        const size_t at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return text.replace(at, from.size(), to);
    };
    std::string e = error_of(with("\"chapter\": \"0. Tests\",", "\"chapter\": \"0. Tests\""));
    EXPECT_NE(e.find("my-lesson.json:4: not valid JSON"), std::string::npos) << e;
    e = error_of(with("\"formulas\"", "\"formulae\""));
    EXPECT_NE(e.find("my-lesson.json:4: unknown field 'formulae'"), std::string::npos) << e;
    e = error_of(with("\"encoder_act\": \"linear\"", "\"encoder_akt\": \"linear\""));
    EXPECT_NE(e.find("my-lesson.json:8: steps[0].set"), std::string::npos) << e;
    EXPECT_NE(e.find("encoder_akt"), std::string::npos) << e;
    e = error_of(with("\"lr\": \"0.01\"", "\"lr\": \"fast\""));
    EXPECT_NE(e.find("steps[1].set"), std::string::npos) << e;
    EXPECT_NE(e.find("lr"), std::string::npos) << e;
    e = error_of(with("{test_loss:.3f}", "{tset_loss}"));
    EXPECT_NE(e.find("'{tset_loss}' is not a live value"), std::string::npos) << e;
    e = error_of(with("\"fresh\": true", "\"fresh\": \"yes\""));
    EXPECT_NE(e.find("steps[1]: 'fresh' must be true or false"), std::string::npos) << e;
    e = error_of(with("{test_loss:.3f}", "{tied_gradient.nonsense}"));
    EXPECT_NE(e.find("'{tied_gradient.nonsense}' is not a live value"), std::string::npos) << e;
    e = error_of(with("\"anomaly_k\": 2", "\"anomaly_kk\": 2"));
    EXPECT_NE(e.find("steps[0].try[1].view"), std::string::npos) << e;
    EXPECT_NE(e.find("'anomaly_kk' is not a view setting (known: anomaly_k)"), std::string::npos) << e;
    e = error_of(with("\"anomaly_k\": 2", "\"anomaly_k\": 60"));
    EXPECT_NE(e.find("'anomaly_k' must be a number in [0.5, 6]"), std::string::npos) << e;
    e = error_of(with("5 * wide.test_mse", "5 * medium.test_mse"));
    EXPECT_NE(e.find("'medium.test_mse'"), std::string::npos) << e;
    EXPECT_NE(e.find("names no run"), std::string::npos) << e;
    e = error_of(with("\"base\": {", "\"widget\": \"slider\", \"base\": {"));
    EXPECT_NE(e.find("'widget' must be"), std::string::npos) << e;
    e = error_of(with("\"steps\": 10", "\"steps\": -1"));
    EXPECT_NE(e.find("check.runs.wide"), std::string::npos) << e;
    e = error_of(with("\"title\": \"A test lesson\",", ""));
    EXPECT_NE(e.find("'title' is missing"), std::string::npos) << e;
    e = error_of("[]");
    EXPECT_NE(e.find("my-lesson.json"), std::string::npos) << e;
    auto missing = load_lesson("/no/such/lesson.json");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("/no/such/lesson.json"), std::string::npos);
}

// A watch line may name the model figures (core/model_figures.h): a parse accepts them, and
// placeholder_names gives what the panel asks the trainer for.
TEST(Lesson, WatchLinesMayNameModelFigures) {
    std::string text = kGood;
    const std::string from = "test {test_loss:.3f} at step {step}";
    text.replace(text.find(from), from.size(), "rank {encoder_product.rank} of {encoder_product.rows:.0f}");
    auto lesson = parse_lesson(text, "figures.json");
    ASSERT_TRUE(lesson) << lesson.error();
    EXPECT_EQ(placeholder_names(lesson->steps[0].watch[0]),
              (std::vector<std::string>{"encoder_product.rank", "encoder_product.rows"}));
    EXPECT_EQ(placeholder_names("open {brace"), std::vector<std::string>{""});
}

TEST(Lesson, WatchLinesFillTheirPlaceholders) {
    const std::map<std::string, double> live = {{"test_loss", 12.3456}, {"step", 1024}};
    EXPECT_EQ(fill_placeholders("test {test_loss:.2f} at step {step}", live), "test 12.35 at step 1024");
    EXPECT_EQ(fill_placeholders("{kl_term} and {", live), "— and {");
    EXPECT_EQ(fill_placeholders("step {step}, loss {loss}", {{"step", 103400}, {"loss", 0.0123456}}),
              "step 103400, loss 0.01235")
        << "whole numbers in full, not 1.034e+05";
}

TEST(Lesson, EveryShippedLessonLoads) {
    auto lessons = load_all_lessons(lessons_folder());
    ASSERT_TRUE(lessons) << lessons.error();
    EXPECT_GE(lessons->size(), 10u);
    for (const Lesson& l : *lessons) {
        EXPECT_FALSE(l.check.expect.empty()) << l.name;
        for (size_t i = 0; i < l.steps.size(); ++i)
            EXPECT_TRUE(lesson_config(l, int(i))) << l.name << " step " << i;
    }
    auto found = find_lesson("05", lessons_folder());
    ASSERT_TRUE(found) << found.error();
    EXPECT_EQ(found->name, "05-equal-initial-weights");
    auto none = find_lesson("99", lessons_folder());
    ASSERT_FALSE(none);
    EXPECT_NE(none.error().find("--list-lessons"), std::string::npos);
}
