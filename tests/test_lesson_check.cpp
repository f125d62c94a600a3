// A lesson's check and its sabotages, on the built-in data (fast, in every build): the runs
// train once however many checks and sabotages ask for them; a sabotage that takes the
// claimed effect away fails the check where it says, one that does not is a failed lesson;
// an expectation on a metric its run lacks fails rather than erring. And the figures of
// core/lessons/lesson_metrics.h: what a decoder that draws the mean image scores, how bright
// an output is.
#include <gtest/gtest.h>

#include <sstream>

#include "core/lessons/lesson_check.h"
#include "core/lessons/lesson_metrics.h"
#include "core/run/ready_run.h"
#include "core/views/metrics.h"
#include "tests/test_support.h"

using namespace aelab;
using aelab::testing::load_synthetic;

namespace {

// A check on the bars (16×16, built in): L2 decay shrinks the weights.
std::string decay_lesson(const std::string& sabotage_set, const std::string& extra_expect = "") {
    return R"json({
  "title": "Decay on bars", "chapter": "0. Tests",
  "steps": [{"title": "one", "text": "first"}],
  "check": {
    "claim": "λ = 0.05 shrinks ‖W‖_F",
    "runs": {
      "plain": {"set": {"dataset": "bars", "hidden": "24", "batch": "16"}, "steps": 300},
      "decay": {"set": {"dataset": "bars", "hidden": "24", "batch": "16", "l2": "0.05"}, "steps": 300},
      "other": {"set": {"dataset": "bars", "hidden": "12", "batch": "16"}, "steps": 300}
    },
    "expect": ["decay.weights_fro < 0.8 * plain.weights_fro", "other.parameters > 0")json" +
           extra_expect + R"json(],
    "report": ["decay.weights_fro / plain.weights_fro"],
    "sabotage": [{"what": "no decay", "run": "decay", "set": )json" +
           sabotage_set + R"json(, "fails": ["decay.weights_fro < 0.8 * plain.weights_fro"]}]
  }
})json";
}

Lesson parsed(const std::string& text) {
    auto lesson = parse_lesson(text, "decay.json");
    EXPECT_TRUE(lesson) << lesson.error();
    return lesson ? *lesson : Lesson{};
}

}  // namespace

TEST(CheckRuns, ARunEqualToOneTrainedBeforeIsNotTrainedAgain) {
    CheckRuns runs(load_synthetic);
    std::ostringstream progress;
    Config config = aelab::testing::small_config();
    auto first = runs.metrics(config, 20, "first", progress);
    ASSERT_TRUE(first) << first.error();
    // The same run, written differently: l2 = 0 is the default.
    ASSERT_FALSE(set_config_value(config, "l2", "0"));
    auto again = runs.metrics(config, 20, "again", progress);
    ASSERT_TRUE(again) << again.error();
    EXPECT_EQ(*first, *again);
    EXPECT_EQ(runs.trained(), 1);
    EXPECT_EQ(runs.reused(), 1);
    EXPECT_NE(progress.str().find("again: the same run as before, reused"), std::string::npos)
        << progress.str();
    // Other steps or another knob: another run.
    ASSERT_TRUE(runs.metrics(config, 21, "longer", progress));
    ASSERT_FALSE(set_config_value(config, "l2", "0.01"));
    ASSERT_TRUE(runs.metrics(config, 20, "decayed", progress));
    EXPECT_EQ(runs.trained(), 3);
    // A run whose data cannot be had is an error, with the loader's reason.
    CheckRuns no_data([](const std::string& name) -> Expected<std::shared_ptr<const Dataset>> {
        return Error{name + ": no such data set here"};
    });
    auto missing = no_data.metrics(config, 20, "missing", progress);
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().find("bars: no such data set here"), std::string::npos)
        << missing.error();
    EXPECT_EQ(no_data.trained(), 0);
}

TEST(LessonCheck, ASabotageFailsTheCheckWhereTheLessonSaysAndReusesTheRunsItLeaves) {
    const Lesson lesson = parsed(decay_lesson(R"({"l2": "0"})"));
    CheckRuns runs(load_synthetic);
    std::ostringstream progress;
    auto result = run_lesson_check(lesson, progress, runs);
    ASSERT_TRUE(result) << result.error();
    EXPECT_TRUE(result->claim_holds) << result->line;
    ASSERT_EQ(result->sabotage.size(), 1u);
    const SabotageResult& s = result->sabotage[0];
    EXPECT_TRUE(s.check_failed) << s.line;
    EXPECT_TRUE(s.fails_as_declared) << s.line;
    EXPECT_EQ(s.failed, std::vector<std::string>{"decay.weights_fro < 0.8 * plain.weights_fro"})
        << "only the expectations whose runs the sabotage trained are judged";
    EXPECT_TRUE(result->passed);
    EXPECT_NE(
        s.line.find(
            "sabotage 'no decay' (run 'decay': l2=0): the check FAILS, as it must | does not hold: "
            "decay.weights_fro < 0.8 * plain.weights_fro (decay.weights_fro = "),
        std::string::npos)
        << s.line;
    EXPECT_NE(result->line.find("\n" + s.line), std::string::npos)
        << "one line for the check, one per sabotage";
    // The sabotaged decay run is the plain run: the three runs of the check, nothing more.
    EXPECT_EQ(runs.trained(), 3) << progress.str();
    EXPECT_NE(progress.str().find("run 'decay' (sabotaged): the same run as before, reused"),
              std::string::npos)
        << progress.str();
}

TEST(LessonCheck, ASabotageThatLeavesTheClaimStandingFailsTheLesson) {
    // lr = 0.001 is the default: nothing is taken away, the claim still holds.
    const Lesson lesson = parsed(decay_lesson(R"({"lr": "0.001"})"));
    CheckRuns runs(load_synthetic);
    std::ostringstream progress;
    auto result = run_lesson_check(lesson, progress, runs);
    ASSERT_TRUE(result) << result.error();
    EXPECT_TRUE(result->claim_holds) << result->line;
    ASSERT_EQ(result->sabotage.size(), 1u);
    EXPECT_FALSE(result->sabotage[0].check_failed);
    EXPECT_FALSE(result->sabotage[0].fails_as_declared);
    EXPECT_FALSE(result->passed) << "a check that passes whatever was done proves nothing";
    EXPECT_NE(result->line.find("the check still PASSES, which it must not | still holds: "
                                "decay.weights_fro < 0.8 * plain.weights_fro"),
              std::string::npos)
        << result->line;
}

TEST(LessonCheck, AnExpectationOnAMetricItsRunLacksFailsNamingIt) {
    // An autoencoder has no latent.prior_nearest (a VAE's figure).
    const Lesson lesson =
        parsed(decay_lesson(R"({"l2": "0"})", R"(, "plain.latent.prior_nearest < 1")"));
    CheckRuns runs(load_synthetic);
    std::ostringstream progress;
    auto result = run_lesson_check(lesson, progress, runs);
    ASSERT_TRUE(result) << result.error();
    EXPECT_FALSE(result->claim_holds);
    EXPECT_EQ(result->failed, std::vector<std::string>{"plain.latent.prior_nearest < 1"});
    EXPECT_NE(
        result->line.find(
            "does not hold: plain.latent.prior_nearest < 1 (plain.latent.prior_nearest = missing)"),
        std::string::npos)
        << result->line;
}

TEST(LessonMetrics, ADecoderThatDrawsTheMeanImageScoresAsTheMeanImageDoes) {
    // A pool of three classes of 4-pixel images, two of each.
    Mat pool(4, 6);
    pool << 1, 0.9f, 0, 0, 0, 0,  //
        0, 0, 1, 0.8f, 0, 0,      //
        0, 0, 0, 0, 1, 0.7f,      //
        0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f;
    const std::vector<uint8_t> labels = {0, 0, 1, 1, 2, 2};
    const Mat mean = pool.rowwise().mean();
    const Mat same = mean.replicate(1, 10);
    const GenerationFigures m = generation_figures(same, pool, labels);
    EXPECT_NEAR(m.samples_nearest, m.mean_image_nearest, 1e-6);
    EXPECT_EQ(m.classes, 1);
    EXPECT_EQ(m.spread, 0.0);
    // Lesson 13's expectations fail for it.
    EXPECT_FALSE(m.samples_nearest < 0.85 * m.mean_image_nearest);
    EXPECT_FALSE(m.classes >= 8 || m.spread > 0.5);
    // Samples that are training images: nearest 0, every class, as varied as the pool.
    const GenerationFigures copies = generation_figures(pool, pool, labels);
    EXPECT_NEAR(copies.samples_nearest, 0.0, 1e-3);
    EXPECT_EQ(copies.classes, 3);
    EXPECT_NEAR(copies.spread, 1.0, 1e-6);
    EXPECT_LT(copies.samples_nearest, 0.85 * copies.mean_image_nearest);
}

TEST(LessonMetrics, BrightnessIsTheMeanOutputOverTheMeanImage) {
    // Zero weights and a linear output: x̂ = c, the output layer's bias, whatever the input.
    Config config = aelab::testing::small_config();
    config.decoder_act = Activation::Linear;
    std::mt19937 rng(1);
    Network network(config, 4, rng);
    network.params().setZero();
    network.bias(network.params(), int(network.layers().size()) - 1).setConstant(0.6f);
    const Mat images = Mat::Constant(4, 3, 0.4f);
    EXPECT_NEAR(output_brightness(network, images, images), 1.5, 1e-6);
    EXPECT_NEAR(output_brightness(network, Mat::Zero(4, 3), images), 1.5, 1e-6)
        << "the output, not the input";
}

TEST(LessonMetrics, TheVaeFiguresDescribeTheSamplesTheMetricsMeasured) {
    Config config = aelab::testing::small_config();
    config.model = ModelKind::Vae;
    config.hidden = {32};
    auto ready = prepare_run(config, nullptr, load_synthetic);
    ASSERT_TRUE(ready) << ready.error();
    Session& session = *ready->session;
    for (int i = 0; i < 50; ++i) session.train_step();
    const nlohmann::json views = collect_metrics(session);
    const nlohmann::json lessons = lesson_metrics(session);
    // The same 200 prior samples and pool as core/views' latent.prior_nearest.
    EXPECT_EQ(lessons["latent"]["prior_nearest"].get<double>(),
              views["latent"]["prior_nearest"].get<double>());
    EXPECT_GE(lessons["latent"]["prior_classes"].get<int>(), 1);
    EXPECT_GT(lessons["latent"]["mean_image_nearest"].get<double>(), 0.0);
    EXPECT_TRUE(lessons["brightness"].contains("clean"));
    EXPECT_FALSE(lessons["brightness"].contains("corrupted")) << "no noise, no corrupted inputs";
}
