// The figures of core/lessons/lesson_metrics.h that lesson checks compare: what a decoder
// that draws the mean image scores, how bright an output is, and that the VAE figures describe
// the very prior samples core/views measured.
#include <gtest/gtest.h>

#include "core/lessons/lesson_metrics.h"
#include "core/run/ready_run.h"
#include "core/views/metrics.h"
#include "tests/test_support.h"

using namespace aelab;
using aelab::testing::load_synthetic;

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
    EXPECT_NEAR(output_brightness(network, Mat::Zero(4, 3), images), 1.5, 1e-6) << "the output, not the input";
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
    EXPECT_EQ(lessons["latent"]["prior_nearest"].get<double>(), views["latent"]["prior_nearest"].get<double>());
    EXPECT_GE(lessons["latent"]["prior_classes"].get<int>(), 1);
    EXPECT_GT(lessons["latent"]["mean_image_nearest"].get<double>(), 0.0);
    EXPECT_TRUE(lessons["brightness"].contains("clean"));
    EXPECT_FALSE(lessons["brightness"].contains("corrupted")) << "no noise, no corrupted inputs";
}
