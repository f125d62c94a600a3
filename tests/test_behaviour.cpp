// Headless runs on Fashion-MNIST that must show what the issues promise (skipped, loudly,
// only where the dataset package is missing): the default autoencoder, and a VAE without
// posterior collapse, with an organised latent space and sensible samples from the prior.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/random.h"
#include "core/data/dataset.h"
#include "core/run/session.h"
#include "core/trainer/headless.h"

using namespace aelab;
namespace fs = std::filesystem;

namespace {

nlohmann::json run(Config config, int steps) {
    const fs::path metrics =
        fs::temp_directory_path() / ("aelab_metrics_" + std::to_string(::getpid()) + ".json");
    std::ostringstream out, err;
    const int code = run_headless({config, steps, metrics.string()}, out, err);
    EXPECT_EQ(code, 0) << err.str();
    EXPECT_NE(out.str().find("samples/s"), std::string::npos) << "one-line summary";
    std::ifstream in(metrics);
    nlohmann::json j = nlohmann::json::parse(in);
    fs::remove(metrics);
    return j;
}

bool have_fashion_mnist() {
    return fs::exists(kFashionMnistDir);
}

// Per-pixel squared error of always answering the training set's mean image, on the test set:
// the error of a model that learned nothing about the image in front of it.
double mean_image_mse() {
    auto data = load_dataset("fashion-mnist");
    EXPECT_TRUE(data) << data.error();
    const Dataset& d = **data;
    const Vec mean = d.train_x.rowwise().mean();
    return double((d.test_x.colwise() - mean).squaredNorm()) / double(d.test_x.size());
}

}  // namespace

TEST(Behaviour, DefaultAutoencoderBeatsTheMeanImageIn3000Steps) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    const nlohmann::json m = run(Config{}, 3000);
    const double baseline = mean_image_mse();
    EXPECT_NEAR(baseline, 0.0866, 0.002) << "Fashion-MNIST's mean image";
    EXPECT_LT(m["test_mse"].get<double>(), 0.5 * baseline);
    EXPECT_EQ(m["steps"], 3000);
    EXPECT_NEAR(m["epochs"].get<double>(), 3000.0 * 64 / 60000, 1e-9);
    EXPECT_GT(m["samples_per_second"].get<double>(), 0.0);
    for (const char* key : {"train_loss", "test_loss", "jacobian_fro2", "code_jacobian_fro2"})
        EXPECT_TRUE(m[key].is_number()) << key;
    EXPECT_TRUE(m["terms"]["recon"].is_number());
    EXPECT_TRUE(m["terms"]["l2"].is_number());
    EXPECT_EQ(m["config"]["hidden"], nlohmann::json::array({256, 32}));
    EXPECT_EQ(m["config"]["loss"], "mse") << "the effective config: auto resolved";
}

TEST(Behaviour, HeadlessRefusesBadDataWithExitCode2) {
    Config c;
    c.dataset = "/no/such/folder";
    std::ostringstream out, err;
    EXPECT_EQ(run_headless({c, 10, ""}, out, err), 2);
    EXPECT_NE(err.str().find("/no/such/folder"), std::string::npos);

    c.dataset = "bars";
    EXPECT_EQ(run_headless({c, 5, "/no/such/folder/metrics.json"}, out, err), 2);
    EXPECT_NE(err.str().find("metrics.json"), std::string::npos);
}

TEST(Behaviour, VaeOrganisesItsLatentSpaceWithoutCollapse) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    Config config;
    config.model = ModelKind::Vae;
    config.hidden = {512};
    config.encoder_act = Activation::Relu;
    auto fashion = load_dataset("fashion-mnist");
    ASSERT_TRUE(fashion) << fashion.error();
    auto made = Session::create(config, *fashion);
    ASSERT_TRUE(made) << made.error();
    Session& s = **made;
    for (int i = 0; i < 6000; ++i) s.train_step();

    const Evaluation test = s.evaluate_test_set();
    EXPECT_GT(test.terms.kl, 2.0) << "posterior collapse: the KL term is ~0";
    EXPECT_LT(test.mse_per_pixel, 0.7 * mean_image_mse()) << "well under the mean-image baseline";

    // Class centroids of μ, and how many stand more than one average σ from every other.
    const Mat codes = s.encode_test_set();
    const Dataset& data = s.data();
    Mat centroids = Mat::Zero(2, 10);
    Vec counts = Vec::Zero(10);
    for (int i = 0; i < codes.cols(); ++i) {
        centroids.col(data.test_y[i]) += codes.col(i);
        counts[data.test_y[i]] += 1;
    }
    for (int c = 0; c < 10; ++c) centroids.col(c) /= counts[c];
    int separated = 0;
    for (int a = 0; a < 10; ++a) {
        double nearest = 1e30;
        for (int b = 0; b < 10; ++b)
            if (a != b)
                nearest = std::min(nearest, double((centroids.col(a) - centroids.col(b)).norm()));
        separated += nearest > test.mean_sigma;
    }
    EXPECT_GE(separated, 6) << "mean σ " << test.mean_sigma;

    // Generation: decode z ~ N(0, I) with no encoder at all.
    FastRng rng(11);
    Mat z(2, 64);
    rng.fill_normal(z.data(), z.size());
    const Mat images = s.decode(z);
    const double mean = images.mean(), data_mean = data.test_x.mean();
    EXPECT_GT(mean, 0.4 * data_mean) << "samples from the prior are blank";
    EXPECT_LT(mean, 2.0 * data_mean) << "samples from the prior are saturated";
    EXPECT_LT((images.array() > 0.99f).cast<float>().mean(), 0.2f);
}

// SPEC §2: a linear autoencoder with MSE on centred data learns PCA's subspace. With Adam at
// batch 256 the largest principal angle measured here falls to ≈ 3° in 3,000 steps (the mean
// angle far sooner); a bigger batch damps the SGD noise that holds the last directions.
TEST(Behaviour, LinearAutoencoderLearnsThePcaSubspace) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    Config c;
    c.hidden = {16};
    c.encoder_act = Activation::Linear;
    c.decoder_act = Activation::Linear;
    c.loss = LossKind::Mse;
    c.normalize = NormalizeKind::Center;
    c.knobs.batch = 256;
    const nlohmann::json m = run(c, 3000);
    ASSERT_TRUE(m.contains("pca")) << m.dump(2);
    const nlohmann::json& pca = m["pca"];
    EXPECT_EQ(pca["k"], 16);
    EXPECT_LT(pca["max_angle_deg"].get<double>(), 10.0);
    EXPECT_LE(pca["mean_angle_deg"].get<double>(), pca["max_angle_deg"].get<double>());
    // PCA-k is the best rank-k map on the training set: the autoencoder nears it, never beats it.
    const double ae = pca["ae_mse"], best = pca["pca_mse"];
    EXPECT_GE(ae, best * (1 - 1e-4));
    EXPECT_LT(ae, best * 1.02);
    EXPECT_NEAR(pca["explained_variance"].get<double>(), 0.765, 0.01);
}

// The 3σ lesson (seed 000, question 5): trained without "Bag", the default autoencoder's
// reconstruction error tells bags from the nine classes it knows (AUC ≈ 0.93 measured here
// at 2,000 steps), and μ + 3σ flags far more bags than normal images.
TEST(Behaviour, HoldingOutBagMakesBagsAnomalous) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    Config c;
    c.holdout_class = "Bag";
    const nlohmann::json m = run(c, 2000);
    ASSERT_TRUE(m.contains("anomaly")) << m.dump(2);
    const nlohmann::json& a = m["anomaly"];
    EXPECT_EQ(a["holdout_class"], "Bag");
    EXPECT_GT(a["auc"].get<double>(), 0.8);
    EXPECT_GT(a["detection_rate"].get<double>(), a["false_alarm_rate"].get<double>());
    EXPECT_NEAR(a["threshold"].get<double>(),
                a["mu"].get<double>() + 3 * a["sigma"].get<double>(), 1e-12);
}
