// The anomaly view on a real model: μ and σ against a direct computation, the held-out class
// kept apart, the galleries' order, the ELBO measure, and the per-class table that fills one
// row per update (busy until done).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/run/session.h"
#include "core/views/anomaly_view.h"
#include "core/views/pca.h"

using namespace aelab;

namespace {

std::unique_ptr<Session> make_session(Config config) {
    auto data = prepare_dataset(make_synthetic(config.dataset), config);
    EXPECT_TRUE(data) << data.error();
    auto session = Session::create(config, *data);
    EXPECT_TRUE(session) << session.error();
    return std::move(*session);
}

Config shapes_without(const std::string& holdout) {
    Config c;
    c.dataset = "shapes";
    c.hidden = {32};
    c.holdout_class = holdout;
    return c;
}

const AnomalyView& as_anomaly(const std::shared_ptr<const ViewResult>& result) {
    return dynamic_cast<const AnomalyView&>(*result);
}

}  // namespace

TEST(AnomalyView, MuAndSigmaAreThoseOfTheTrainingErrors) {
    auto session = make_session(shapes_without("3"));
    for (int i = 0; i < 200; ++i) session->train_step();
    AnomalyExplorer explorer;
    AnomalyRequest request;
    request.active = true;
    auto result = explorer.update({*session, false}, request);
    const AnomalyView& v = as_anomaly(result);
    // Directly: the per-pixel squared error of each of the first training images.
    const Dataset& data = session->data();
    const int count = std::min<int>(kAnomalyTrainSamples, int(data.train_x.cols()));
    Workspace ws;
    ws.reserve(session->network(), count);
    forward(session->network(), data.train_x.leftCols(count), ws, false);
    const Eigen::ArrayXd errors =
        (reconstruction(ws, count) - data.train_x.leftCols(count)).colwise().squaredNorm().cast<double>().transpose() /
        double(data.input_size());
    const double mean = errors.mean();
    const double sigma = std::sqrt((errors - mean).square().mean());
    EXPECT_NEAR(v.errors.train_stats.mean, mean, 1e-6 * mean);
    EXPECT_NEAR(v.errors.train_stats.sigma, sigma, 1e-5 * sigma);
    // The held-out class is the only one in holdout_sorted.
    const int held = int(std::count(data.test_y.begin(), data.test_y.end(), uint8_t(3)));
    EXPECT_EQ(int(v.errors.holdout_sorted.size()), held);
    EXPECT_EQ(v.errors.normal_sorted.size() + v.errors.holdout_sorted.size(), data.test_y.size());
    EXPECT_FALSE(std::isnan(v.errors.auc));
    // The rule's numbers follow k: more flagged at a lower threshold.
    const AnomalyRates at1 = rates_at(v.errors, 1), at3 = rates_at(v.errors, 3);
    EXPECT_NEAR(at3.threshold, mean + 3 * sigma, 1e-5 * at3.threshold);
    EXPECT_GE(at1.false_alarm_rate, at3.false_alarm_rate);
    EXPECT_GE(at1.detection_rate, at3.detection_rate);
    // Galleries: normal images by falling error, held-out ones by rising error.
    ASSERT_EQ(v.top_normal.indices.size(), size_t(AnomalyExplorer::kGallerySize));
    EXPECT_TRUE(std::is_sorted(v.top_normal.errors.rbegin(), v.top_normal.errors.rend()));
    EXPECT_FLOAT_EQ(v.top_normal.errors[0], v.errors.normal_sorted.back());
    EXPECT_TRUE(std::is_sorted(v.lowest_holdout.errors.begin(), v.lowest_holdout.errors.end()));
    for (int i : v.lowest_holdout.indices) EXPECT_EQ(data.test_y[i], 3);
    EXPECT_EQ(v.top_normal.reconstructions.cols(), AnomalyExplorer::kGallerySize);
}

TEST(AnomalyView, NegativeElboForAVaeAndAClearFallbackForAnAutoencoder) {
    AnomalyExplorer explorer;
    AnomalyRequest request;
    request.active = true;
    request.measure = ErrorMeasure::NegativeElbo;
    auto ae = make_session(shapes_without("none"));
    const AnomalyView& fallback = as_anomaly(explorer.update({*ae, false}, request));
    EXPECT_EQ(fallback.errors.measure, ErrorMeasure::SquaredError);
    EXPECT_NE(fallback.note.find("VAE"), std::string::npos);
    EXPECT_TRUE(std::isnan(fallback.errors.auc)) << "no class held out";
    EXPECT_TRUE(std::isnan(rates_at(fallback.errors, 3).detection_rate));

    explorer.reset();
    Config vae = shapes_without("none");
    vae.model = ModelKind::Vae;
    vae.loss = LossKind::Bce;
    auto v = make_session(vae);
    const AnomalyView& elbo = as_anomaly(explorer.update({*v, false}, request));
    EXPECT_EQ(elbo.errors.measure, ErrorMeasure::NegativeElbo);
    EXPECT_TRUE(elbo.note.empty());
    // −ELBO at z = μ is a summed loss plus a KL ≥ 0: far above a per-pixel squared error.
    EXPECT_GT(elbo.errors.train_stats.mean, 1.0);
}

TEST(AnomalyView, ThePerClassTableFillsOneStepPerUpdateAndIsBusyUntilDone) {
    auto session = make_session(shapes_without("none"));
    AnomalyExplorer explorer;
    AnomalyRequest request;
    request.active = true;
    EXPECT_TRUE(as_anomaly(explorer.update({*session, false}, request)).class_auc.empty())
        << "only when asked";
    EXPECT_FALSE(explorer.busy());
    request.class_table = true;
    int updates = 0;
    std::shared_ptr<const ViewResult> result;
    do {
        result = explorer.update({*session, false}, request);
        ++updates;
    } while (explorer.busy() && updates < 100);
    const AnomalyView& v = as_anomaly(result);
    const int classes = session->data().class_count();
    EXPECT_EQ(updates, 2 * classes) << "a scatter, then an AUC, per class";
    ASSERT_EQ(int(v.class_auc.size()), classes);
    for (double a : v.class_auc) {
        EXPECT_FALSE(std::isnan(a));
        EXPECT_GE(a, 0.0);
        EXPECT_LE(a, 1.0);
    }
    EXPECT_EQ(v.class_table_k, 32);
    // Row 4 directly: PCA-32 of the training images that are not class 4, per-pixel error of
    // every test image, AUC of class 4 against the rest.
    const Dataset& data = session->data();
    std::vector<int> others;
    for (int i = 0; i < int(data.train_y.size()); ++i)
        if (data.train_y[i] != 4) others.push_back(i);
    Mat without(data.input_size(), int(others.size()));
    for (int j = 0; j < int(others.size()); ++j) without.col(j) = data.train_x.col(others[j]);
    const Pca pca = compute_pca(without);
    Mat reconstructed;
    pca.reconstruct(data.test_x, 32, reconstructed);
    std::vector<float> normal, held;
    for (int i = 0; i < int(data.test_y.size()); ++i)
        (data.test_y[i] == 4 ? held : normal)
            .push_back((reconstructed.col(i) - data.test_x.col(i)).squaredNorm() /
                       data.input_size());
    EXPECT_NEAR(v.class_auc[4], auc(normal, held), 2e-3);
}
