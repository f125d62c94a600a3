// Headless runs on Fashion-MNIST that must show what the issue promises (skipped, loudly,
// only where the dataset package is missing).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/dataset.h"
#include "core/headless.h"

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

}  // namespace

TEST(Behaviour, DefaultAutoencoderBeatsTheMeanImageIn3000Steps) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    const nlohmann::json m = run(Config{}, 3000);
    constexpr double kMeanImageMse = 0.0866;  // per pixel, Fashion-MNIST test set
    EXPECT_LT(m["test_mse"].get<double>(), 0.5 * kMeanImageMse);
    EXPECT_EQ(m["steps"], 3000);
    EXPECT_NEAR(m["epochs"].get<double>(), 3000.0 * 64 / 60000, 1e-9);
    EXPECT_GT(m["samples_per_second"].get<double>(), 0.0);
    for (const char* key : {"train_loss", "test_loss", "jacobian_fro2"})
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
