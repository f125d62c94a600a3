// Model figures (core/model_figures.h): the encoder product's rank against a matrix of known
// rank, the tied gradient's paths, and the computed view the Lesson panel reads them from.
#include <gtest/gtest.h>

#include <limits>
#include <random>

#include "core/run/session.h"
#include "core/views/metrics.h"
#include "core/views/model_figures.h"
#include "tests/test_support.h"

using namespace aelab;

namespace {

std::unique_ptr<Session> make_session(const Config& config) {
    auto session = Session::create(config, aelab::testing::prepared(config));
    EXPECT_TRUE(session) << session.error();
    return std::move(*session);
}

}  // namespace

// Two linear layers then the code layer multiply out to one code×n matrix; a rank-2 first
// layer makes the product rank 2 whatever the later layers are.
TEST(ModelFigures, EncoderProductMultipliesTheLinearLayersOut) {
    Config c;
    c.hidden = {{5, Activation::Linear}, {5, Activation::Linear}, 4};
    std::mt19937 rng(3);
    Network net(c, 9, rng);
    nlohmann::json p = encoder_product(net);
    EXPECT_EQ(p["linear_layers"], 2);
    EXPECT_EQ(p["rows"], 4);
    EXPECT_EQ(p["cols"], 9);
    EXPECT_EQ(p["rank"], 4) << "random matrices: full rank";

    MatMap w0 = net.weight(net.params(), 0);  // 5×9: make it rank 2
    Mat a = Mat::Random(5, 2), b = Mat::Random(2, 9);
    w0 = a * b;
    EXPECT_EQ(encoder_product(net)["rank"], 2);

    c.hidden = {6, 3};  // no linear layer: the product is the first layer's matrix alone
    Network plain(c, 9, rng);
    EXPECT_EQ(encoder_product(plain)["linear_layers"], 0);
    EXPECT_EQ(encoder_product(plain)["rows"], 6);
}

// The view publishes model_figures flattened to the names watch lines use, and a tied linear
// autoencoder's gradient paths are among them.
TEST(ModelFigures, TheViewPublishesTheFiguresByPath) {
    Config c;
    c.dataset = "shapes";
    c.hidden = {{8, Activation::Linear}};
    c.decoder_act = Activation::Linear;
    c.loss = LossKind::Mse;
    c.tied = true;
    auto session = make_session(c);
    for (int i = 0; i < 20; ++i) session->train_step();
    ModelFiguresExplorer explorer;
    ModelFiguresRequest request;
    request.active = true;
    auto result = explorer.update({*session, false}, request);
    const auto& view = dynamic_cast<const ModelFiguresView&>(*result);
    const nlohmann::json direct = model_figures(*session);
    EXPECT_EQ(view.step, 20);
    EXPECT_DOUBLE_EQ(view.values.at("parameters"), direct["parameters"].get<double>());
    EXPECT_DOUBLE_EQ(view.values.at("encoder_product.rank"), 8);
    EXPECT_LT(view.values.at("tied_gradient.relative_error"), 1e-4);
    EXPECT_GT(view.values.at("tied_gradient.encoder_path_norm"), 0);
    EXPECT_GT(view.values.at("tied_gradient.decoder_path_norm"), 0);
    for (const ModelFigureName& n : model_figure_names())
        EXPECT_TRUE(view.values.count(n.name)) << n.name << " is listed but not computed";
    // Paused and the model unchanged: the same result, not a recomputation.
    EXPECT_EQ(explorer.update({*session, false}, request), result);
}

// Issue 19: `--set init=constant --set hidden=1000` crashed (SIGSEGV) in Eigen 3.4.0's BDCSVD,
// whose deflation indexes out of bounds on a matrix with many equal singular values — here
// rank 1, every other σ = 0 — and which also miscounted smaller ones (157 for 500×784). More
// units than pixels (m ≥ 785) is where it crashed; the rank of equal rows is 1 at every size.
TEST(ModelFigures, EqualInitialWeightsHaveRankOneAtAnyWidth) {
    for (int hidden : {16, 500, 784, 785, 1000}) {
        Config c;
        c.hidden = {hidden};
        c.init = InitKind::Constant;
        std::mt19937 rng(1);
        Network net(c, 784, rng);
        const nlohmann::json p = encoder_product(net);
        EXPECT_EQ(p["rows"], hidden);
        EXPECT_EQ(p["rank"], 1) << "hidden " << hidden;
    }
    // Random weights wider than the input: full rank n.
    Config c;
    c.hidden = {1000};
    std::mt19937 rng(2);
    Network wide(c, 784, rng);
    EXPECT_EQ(encoder_product(wide)["rank"], 784);
}

// Issue 19: a diverged run's NaN weights crashed the SVD while --metrics was written (Eigen
// reports NaN input as invalid and leaves the singular values unset; rank() read them). No
// decomposition sees such weights: the figure says "diverged" instead.
TEST(ModelFigures, NanOrInfWeightsGiveNoRankButANote) {
    Config c;
    c.hidden = {{5, Activation::Linear}, 4};
    std::mt19937 rng(3);
    Network net(c, 9, rng);
    EXPECT_EQ(divergence_note(net), "");
    for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
        net.weight(net.params(), 0)(0, 0) = bad;
        const nlohmann::json p = encoder_product(net);
        EXPECT_TRUE(p["rank"].is_null()) << p.dump();
        EXPECT_NE(p["diverged"].get<std::string>().find("NaN or Inf"), std::string::npos);
        EXPECT_NE(divergence_note(net).find("diverged"), std::string::npos);
    }
}

// The same run through --metrics: a linear autoencoder driven to NaN by a huge learning rate
// (what the trainer pauses on). Its metrics are written, each decomposition says "diverged".
TEST(ModelFigures, ADivergedRunsMetricsSayDivergedInsteadOfDecomposing) {
    Config c;
    c.dataset = "shapes";
    c.hidden = {{8, Activation::Linear}};
    c.decoder_act = Activation::Linear;
    c.loss = LossKind::Mse;
    c.knobs.optimizer = OptimizerKind::Sgd;
    c.knobs.lr = 10.0f;
    auto session = make_session(c);
    for (int i = 0; i < 1000 && session->network().params().allFinite(); ++i) session->train_step();
    ASSERT_FALSE(session->network().params().allFinite()) << "the run did not diverge";
    const nlohmann::json m = collect_metrics(*session);
    EXPECT_NE(m.value("diverged", "").find("NaN or Inf"), std::string::npos) << m.dump();
    ASSERT_TRUE(m.contains("pca"));
    EXPECT_TRUE(m["pca"]["max_angle_deg"].is_null());
    EXPECT_NE(m["pca"].value("diverged", "").find("diverged"), std::string::npos);
    EXPECT_TRUE(m["encoder_product"]["rank"].is_null());
    EXPECT_NE(m["anomaly"].value("diverged", "").find("diverged"), std::string::npos);
}
