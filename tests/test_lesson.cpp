// Lessons as data (core/lesson.h) and the arithmetic of their checks (core/expression.h):
// the shipped lessons all load; a bad lesson file is refused naming the file, the line and
// what is wrong; a check's comparisons evaluate as written.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "core/base/expression.h"
#include "core/base/text_format.h"
#include "core/lessons/lesson.h"
#include "core/run/snapshot.h"

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
    "report": ["wide.test_mse"],
    "sabotage": [{"what": "a narrow wide run", "run": "wide", "set": {"hidden": "32", "encoder_act": "linear"},
                  "fails": ["narrow.test_mse > 5 * wide.test_mse"]}]
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
    ASSERT_EQ(lesson->check.sabotage.size(), 1u);
    const LessonSabotage& sabotage = lesson->check.sabotage[0];
    EXPECT_EQ(sabotage.what, "a narrow wide run");
    EXPECT_EQ(sabotage.run, "wide");
    EXPECT_EQ(sabotage.set, (Settings{{"hidden", "32"}, {"encoder_act", "linear"}}));
    EXPECT_EQ(sabotage.fails, std::vector<std::string>{"narrow.test_mse > 5 * wide.test_mse"});
}

TEST(Lesson, ASabotageMustNameARunAChangeAndExpectationsOfTheCheck) {
    const std::string good = kGood;
    const auto with = [&](const std::string& from, const std::string& to) {
        std::string text = good;
        const size_t at = text.find(from);
        EXPECT_NE(at, std::string::npos) << from;
        return text.replace(at, from.size(), to);
    };
    // Line 18 is where "sabotage" starts: errors point there.
    std::string e = error_of(with("\"run\": \"wide\", \"set\"", "\"run\": \"medium\", \"set\""));
    EXPECT_NE(e.find("my-lesson.json:18: check.sabotage[0]: 'run': 'medium' is not one of the check's runs"),
              std::string::npos) << e;
    e = error_of(with("\"fails\": [\"narrow.test_mse > 5 * wide.test_mse\"]", "\"fails\": [\"narrow.test_mse > 4 * wide.test_mse\"]"));
    EXPECT_NE(e.find("check.sabotage[0].fails: 'narrow.test_mse > 4 * wide.test_mse' is not one of the check's 'expect' lines"),
              std::string::npos) << e;
    e = error_of(with("\"fails\": [\"narrow.test_mse > 5 * wide.test_mse\"]", "\"fails\": []"));
    EXPECT_NE(e.find("'fails' must name at least one expectation"), std::string::npos) << e;
    e = error_of(with("\"set\": {\"hidden\": \"32\", \"encoder_act\": \"linear\"}", "\"set\": {}"));
    EXPECT_NE(e.find("'set' must change at least one config key"), std::string::npos) << e;
    const std::string change = "\"set\": {\"hidden\": \"32\", \"encoder_act\": \"linear\"}";
    e = error_of(with(change, "\"set\": {\"hidden\": \"32\", \"encoder_act\": \"cubic\"}"));
    EXPECT_NE(e.find("check.sabotage[0].set: config key 'encoder_act': 'cubic' is not allowed"), std::string::npos) << e;
    // The whole sabotaged run is validated, as --set would: a VAE cannot be tied.
    e = error_of(with(change, "\"set\": {\"model\": \"vae\", \"tied\": \"true\"}"));
    EXPECT_NE(e.find("check.sabotage[0].set: config key 'tied'"), std::string::npos) << e;
    e = error_of(with("\"what\": \"a narrow wide run\", ", ""));
    EXPECT_NE(e.find("check.sabotage[0]: the field 'what' is missing"), std::string::npos) << e;
    e = error_of(with("\"what\": \"a narrow wide run\"", "\"what\": \"x\", \"steps\": 5"));
    EXPECT_NE(e.find("check.sabotage[0]: unknown field 'steps'"), std::string::npos) << e;
    e = error_of(with("\"sabotage\": [{\"what\": \"a narrow wide run\", \"run\": \"wide\"",
                      "\"sabotage\": {\"what\": \"a narrow wide run\", \"run\": \"wide\""));
    EXPECT_NE(e.find("not valid JSON"), std::string::npos) << e;  // the brackets no longer match
    std::string text = good;
    text.replace(text.find("\"sabotage\": ["), std::string::npos, "\"sabotage\": 3}}");
    e = error_of(text);
    EXPECT_NE(e.find("check: 'sabotage' must be a list"), std::string::npos) << e;
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

TEST(Lesson, WatchLinesFollowAKnobWithNamedValues) {
    std::map<std::string, double> live = {{"test_loss", 13.03}};
    const std::string line = "test, {noise:none=clean|mask=masked|*=noisy} inputs: {test_loss:.2f} ({noise})";
    ASSERT_FALSE(bad_placeholder_format(line));
    Config config;
    for (const auto& [noise, expected] : std::vector<std::pair<const char*, const char*>>{
             {"mask", "test, masked inputs: 13.03 (mask)"},
             {"gaussian", "test, noisy inputs: 13.03 (gaussian)"},
             {"saltpepper", "test, noisy inputs: 13.03 (saltpepper)"},
             {"none", "test, clean inputs: 13.03 (none)"}}) {
        ASSERT_FALSE(set_config_value(config, "noise", noise));
        live["noise"] = choice_knob_values(config).at("noise");
        EXPECT_EQ(fill_placeholders(line, live), expected);
    }
    ASSERT_FALSE(set_config_value(config, "sparsity", "kl"));
    EXPECT_EQ(fill_placeholders("{sparsity:kl=KL|*=other}", choice_knob_values(config)), "KL");
    // A value out of the list (a fuzzer's NaN, a stale index) shows as missing.
    for (double bad : {-1.0, 99.0, std::nan("")})
        EXPECT_EQ(fill_placeholders("{noise:*=x} {noise}", {{"noise", bad}}), "— —");
}

TEST(Lesson, LiveValuesGiveTheNoiseAndTheCleanLineOnlyWhileItIsCurrent) {
    Snapshot s;
    ASSERT_FALSE(set_config_value(s.config, "noise", "gaussian"));
    s.curves.has_test = true;
    s.curves.last_test_terms.recon = 10.3;
    s.curves.last_test_clean = 8.4;
    s.curves.history.test.add(100, 10.3f);
    s.curves.history.test_clean.add(100, 8.4f);
    auto values = live_values(s);
    EXPECT_EQ(fill_placeholders("{noise}: {test_loss:.1f}, clean {test_loss_clean:.1f}", values),
              "gaussian: 10.3, clean 8.4");
    // The noise switched off: the next test point has no clean twin, and the last clean value
    // is no longer the grey line's.
    ASSERT_FALSE(set_config_value(s.config, "noise", "none"));
    s.curves.history.test.add(200, 6.9f);
    values = live_values(s);
    EXPECT_EQ(values.count("test_loss_clean"), 0u);
    EXPECT_EQ(fill_placeholders("{noise}: clean {test_loss_clean:.1f}", values), "none: clean —");
}

TEST(Lesson, AChoiceThatLeavesAValueWithoutTextIsRefusedAtLoad) {
    auto refused = [](const std::string& line) {
        const auto bad = bad_placeholder_format(line);
        EXPECT_TRUE(bad) << line;
        return bad.value_or("");
    };
    EXPECT_NE(refused("{noise:mask=masked|gaussian=noisy}").find("gives no text for none"), std::string::npos);
    EXPECT_NE(refused("{noise:mask=masked|dropout=x|*=y}").find("'dropout' is not a value of noise"), std::string::npos);
    EXPECT_NE(refused("{noise:mask=a|mask=b|*=c}").find("'mask' is given twice"), std::string::npos);
    EXPECT_NE(refused("{noise:.3f}").find("picks a text by value"), std::string::npos);
    refused("{test_loss:mask=a|*=b}");  // a number takes a number's format
    EXPECT_FALSE(bad_placeholder_format("{noise:*=corrupted}"));
    EXPECT_FALSE(bad_placeholder_format("{optimizer:adam=Adam|sgd=plain SGD|momentum=momentum}"));
    // …and a lesson with such a line does not load, naming the line.
    auto lesson = parse_lesson(std::string(kGood).replace(std::string(kGood).find("at step {step}"), 14,
                                                          "{noise:mask=masked}"),
                               "choice.json");
    ASSERT_FALSE(lesson);
    EXPECT_NE(lesson.error().find("choice.json:9: steps[0].watch[0]: {noise:…} gives no text for none"),
              std::string::npos) << lesson.error();
}

TEST(Lesson, EveryShippedLessonLoads) {
    auto lessons = load_all_lessons(lessons_folder());
    ASSERT_TRUE(lessons) << lessons.error();
    EXPECT_GE(lessons->size(), 10u);
    for (const Lesson& l : *lessons) {
        EXPECT_FALSE(l.check.expect.empty()) << l.name;
        // Each shows its check can fail (ctest runs every check with --sabotage).
        EXPECT_FALSE(l.check.sabotage.empty()) << l.name << " declares no sabotage";
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

// ---- Hostile lessons (issue 19): a lesson is a file from the internet -----------------------

namespace {

// kGood with one text replaced.
std::string good_with(const std::string& from, const std::string& to) {
    std::string text = kGood;
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return at == std::string::npos ? text : text.replace(at, from.size(), to);
}

}  // namespace

TEST(Expression, DeepNestingIsRefusedNotAStackOverflow) {
    const std::string parens = std::string(100000, '(') + "1" + std::string(100000, ')');
    const std::string minuses = std::string(100000, '-') + "1";
    const std::string abses = [] {
        std::string s;
        for (int i = 0; i < 50000; ++i) s += "abs(";
        return s + "1" + std::string(50000, ')');
    }();
    for (const std::string& deep : {parens, minuses, abses}) {
        auto v = evaluate_expression(deep, metrics);
        ASSERT_FALSE(v);
        EXPECT_NE(v.error().find("nested too deeply"), std::string::npos) << v.error().substr(0, 200);
        EXPECT_FALSE(expression_names(deep));
    }
    // Nesting a person writes still works.
    EXPECT_DOUBLE_EQ(value(std::string(30, '(') + "2" + std::string(30, ')') + " * --3"), 6);
}

TEST(Lesson, ADeeplyNestedExpectIsRefusedWithFileFieldAndLine) {
    // 100,000 '(' overflowed the stack; now too long before it is parsed.
    std::string deep = std::string(100000, '(') + "wide.test_mse" + std::string(100000, ')');
    std::string e = error_of(good_with("narrow.test_mse > 5 * wide.test_mse", deep));
    EXPECT_NE(e.find("my-lesson.json:16: check: an item of 'expect' is longer than"), std::string::npos) << e.substr(0, 300);
    // Within the length, 1,000 levels: too deep for the parser.
    deep = std::string(1000, '(') + "wide.test_mse" + std::string(1000, ')');
    e = error_of(good_with("narrow.test_mse > 5 * wide.test_mse", deep));
    EXPECT_NE(e.find("my-lesson.json:16: check.expect[0]"), std::string::npos) << e.substr(0, 300);
    EXPECT_NE(e.find("nested too deeply"), std::string::npos) << e.substr(0, 300);
    EXPECT_LT(e.size(), 400u) << "the message quotes the expression's start, not all of it";
}

TEST(Lesson, WatchFormatsAreAWhitelistCheckedAtLoad) {
    // %n writes memory, a width of 10^9 stalls: both refused when the lesson loads.
    for (const char* bad : {"{step:n}", "{step:1000000000f}", "{step:.1000000000f}", "{step:s}",
                            "{step:%}", "{step:-5f}", "{step:.3fx}", "{step:41f}", "{step:.13f}",
                            "{step:.f}", "{step:.3d}", "{step:#x}", "{step:*f}"}) {
        const std::string e = error_of(good_with("{step}", bad));
        EXPECT_NE(e.find("my-lesson.json:9: steps[0].watch[0]"), std::string::npos) << bad << ": " << e;
        EXPECT_NE(e.find("is not allowed"), std::string::npos) << bad << ": " << e;
    }
    for (const char* ok : {"{step:.0f}", "{step:8.2f}", "{step:.3e}", "{step:.2g}", "{step:d}", "{step:6}",
                           "{step:.3}", "{step:}"})
        EXPECT_TRUE(parse_lesson(good_with("{step}", ok), "ok.json")) << ok;
}

TEST(Lesson, FillingAWatchLineNeverHandsItsTextToPrintf) {
    // A line that did not go through the loader (the panel's own text) must not crash either.
    const std::map<std::string, double> live = {{"step", 1024}, {"loss", 0.0123456}};
    EXPECT_EQ(fill_placeholders("{step:n}", live).find("1024"), std::string::npos);
    EXPECT_LT(fill_placeholders("{step:1000000000f}", live).size(), 100u);
    EXPECT_LT(fill_placeholders("{loss:.1000000000f}", live).size(), 100u);
    EXPECT_EQ(fill_placeholders("{loss:s}{loss:%s%s%s}", live).find("1024"), std::string::npos);
    // The built-in lessons' formats read as printf's did.
    EXPECT_EQ(fill_placeholders("{loss:.3f} {loss:.2g} {step:.1f} {loss:.4f} {step}", live),
              "0.012 0.012 1024.0 0.0123 1024");
    EXPECT_EQ(fill_placeholders("{loss:10.3e}|{step:8.2f}|{step:d}", live), " 1.235e-02| 1024.00|1024");
}

TEST(Lesson, LoadingIsLinearInTheNumberOfSteps) {
    // Each step's config builds on the steps before it; the loader used to rebuild it from the
    // start for every step (1 + 2 + … + n settings: 46 s for 20,000 steps). Count the work.
    const int n = 20000;
    std::string text = R"({"title": "long", "chapter": "0. Tests", "base": {"hidden": "64"}, "steps": [)";
    for (int i = 0; i < n; ++i)
        text += std::string(i ? "," : "") + "\n{\"title\": \"s" + std::to_string(i) +
                "\", \"text\": \"t\", \"set\": {\"lr\": \"0.0" + std::to_string(1 + i % 9) + "\"}}";
    text += R"(], "check": {"claim": "c", "runs": {"a": {"steps": 1}}, "expect": ["a.x > 0"]}})";
    LessonLoadWork work;
    auto lesson = parse_lesson(text, "long.json", &work);
    ASSERT_TRUE(lesson) << lesson.error();
    EXPECT_EQ(lesson->steps.size(), size_t(n));
    // Once while reading each setting, once while checking the configs, plus the run's.
    EXPECT_LE(work.settings_applied, 2 * (n + 1) + 4);
    EXPECT_GE(work.settings_applied, n) << "the counter counts";
    auto last = lesson_config(*lesson, n - 1);
    ASSERT_TRUE(last) << last.error();
    EXPECT_FLOAT_EQ(last->knobs.lr, 0.01f * float(1 + (n - 1) % 9));
}

TEST(Lesson, HostileFilesAreRefusedNotCrashedOn) {
    struct Case {
        std::string text, expected;
    };
    const std::vector<Case> cases = {
        // Wrong JSON types, everywhere a reader looks: an error each, no type_error escapes.
        {good_with("\"A test lesson\"", "5"), "'title' must be text"},
        {good_with("\"formulas\": [\"h = g(Wx + b)\"]", "\"formulas\": \"h\""), "'formulas' must be a list"},
        {good_with("\"formulas\": [\"h = g(Wx + b)\"]", "\"formulas\": [1]"), "must be text"},
        {good_with("\"base\": {\"hidden\": \"64\"}", "\"base\": [1]"), "'base' must be an object"},
        {good_with("\"base\": {\"hidden\": \"64\"}", "\"base\": {\"hidden\": [64]}"), "must be a value"},
        {good_with("\"base\": {\"hidden\": \"64\"}", "\"base\": {\"hidden\": null}"), "must be a value"},
        {good_with("\"base\": {\"hidden\": \"64\"}", "\"base\": {\"hidden\": 1e999}"), "number overflow"},
        {good_with("{\"title\": \"two\"", "5, {\"title\": \"two\""), "must be an object"},
        {good_with("\"try\": [", "\"try\": [7, "), "must be an object"},
        {good_with("\"try\": [", "\"try\": {\"a\": 1}, \"x\": ["), "unknown field 'x'"},
        {good_with("\"view\": {\"anomaly_k\": 2}", "\"view\": [2]"), "'view' must be an object"},
        {good_with("\"view\": {\"anomaly_k\": 2}", "\"view\": {\"anomaly_k\": \"2\"}"), "must be a number"},
        {std::string(kGood).substr(0, std::string(kGood).find("\"check\"")) + "\"check\": []}", "must be an object"},
        {good_with("\"runs\": {", "\"runs\": {\"bad\": 5, "), "check.runs.bad"},
        {good_with("\"steps\": 10", "\"steps\": 18446744073709551615"), "'steps' must be a whole number"},
        {good_with("\"steps\": 10", "\"steps\": 1e300"), "'steps' must be a whole number"},
        {good_with("\"steps\": 10", "\"steps\": 10.5"), "'steps' must be a whole number"},
        {good_with("\"expect\": [", "\"expect\": [5, "), "must be text"},
        // A run's set goes through the whole validation --set does, not key by key only.
        {good_with("\"hidden\": \"784\"}", "\"loss\": \"bce\", \"normalize\": \"standardize\"}"),
         "check.runs.wide.set"},
        // Sizes, before anything is allocated for them.
        {good_with("\"base\"", std::string(20, '[') + std::string(20, ']') + ", \"base\""), "levels of [ and {"},
        {std::string(1000000, '[') + std::string(1000000, ']'), "levels of [ and {"},
        {good_with("\"text\": \"first\"", "\"text\": \"" + std::string(100000, 'x') + "\""), "longer than"},
        {good_with("\"h = g(Wx + b)\"", "\"" + std::string(3000, 'x') + "\""), "formulas[0]: longer than"},
        {good_with("\"h = g(Wx + b)\"", "\"" + std::string(40, '{') + std::string(40, '}') + "\""),
         "formulas[0]: {…} nested too deeply"},
        {good_with("\"watch\": [", "\"watch\": [" + [] {
                       std::string s;
                       for (int i = 0; i < 100; ++i) s += "\"{step}\", ";
                       return s;
                   }()),
         "more than 64 items"},
        {good_with("\"base\": {", "\"base\": {" + [] {
                       std::string s;
                       for (int i = 0; i < 2000; ++i) s += "\"k" + std::to_string(i) + "\": 1, ";
                       return s;
                   }()),
         "an object of more than 512 fields"},
        {std::string(9u << 20, ' '), "larger than 8 MiB"},
    };
    for (const Case& c : cases) {
        const std::string e = error_of(c.text);
        EXPECT_EQ(e.rfind("my-lesson.json", 0), 0u) << e.substr(0, 300);
        EXPECT_NE(e.find(c.expected), std::string::npos) << c.expected << " ← " << e.substr(0, 300);
    }
}

TEST(TextFormat, AWhitelistFormattedAsPrintfWould) {
    // The built-in lessons' formats and the defaults give printf's text, without printf.
    for (double v : {0.0, 1.0, -1.5, 12.3456, 0.0123456, 1024.0, 103400.0, 1e-7, 6.02e23, -0.000125}) {
        for (const char* spec : {".0f", ".1f", ".2f", ".3f", ".4f", ".2g", ".3e", "8.2f", "12.4g", "g", "e", "f"}) {
            char expected[128];
            std::snprintf(expected, sizeof expected, (std::string("%") + spec).c_str(), v);
            auto got = format_watch(v, spec);
            ASSERT_TRUE(got) << spec << ": " << got.error();
            EXPECT_EQ(*got, expected) << spec << " of " << v;
        }
    }
    EXPECT_EQ(*format_watch(103400, ""), "103400");
    EXPECT_EQ(*format_watch(0.0123456, ""), "0.01235");
    EXPECT_EQ(*format_watch(2.5, "d"), "3");
    EXPECT_EQ(format_watch(1e300, ".12f")->size(), 301u + 13u);
    for (const char* bad : {"n", "hn", "s", "%", "1000000000f", "99999999999999999999f", ".", "41f", ".13f", "-5f",
                            "+f", " f", "f ", "5.5.5f", "ff", "lf", "x", "c", "p"}) {
        auto got = format_watch(1, bad);
        EXPECT_FALSE(got) << bad;
    }
}
