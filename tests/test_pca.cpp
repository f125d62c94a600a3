// PCA against an independent computation (the SVD of the centred data), principal angles and
// Procrustes alignment on constructed cases, and the built-in 3-D plane.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/data/dataset.h"
#include "core/run/session.h"
#include "core/views/pca.h"
#include "core/views/pca_view.h"

using namespace aelab;

namespace {

// n×N data with a known, uneven spread: a random rotation of axis-aligned variances.
Mat correlated_data(int n, int count, uint32_t seed) {
    std::mt19937 rng(seed);
    std::normal_distribution<float> normal(0, 1);
    Mat axes(n, n);
    for (Eigen::Index i = 0; i < axes.size(); ++i) axes.data()[i] = normal(rng);
    const Mat rotation = orthonormal_basis(axes);
    Mat x(n, count);
    for (int j = 0; j < count; ++j)
        for (int i = 0; i < n; ++i) x(i, j) = normal(rng) * float(n - i) * 0.3f;
    x = rotation * x;
    x.colwise() += Vec::LinSpaced(n, 0.1f, 0.9f);
    return x;
}

const double kDegree = M_PI / 180;

}  // namespace

TEST(Pca, MatchesTheSvdOfTheCentredData) {
    const Mat x = correlated_data(12, 2000, 3);
    const Pca pca = compute_pca(x);
    // Independently: X_c / √N = U Σ Vᵀ, so the covariance's eigenvalues are σ² and its
    // eigenvectors the columns of U.
    const Eigen::MatrixXd centred =
        (x.cast<double>().colwise() - x.cast<double>().rowwise().mean()) / std::sqrt(2000.0);
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(centred, Eigen::ComputeThinU);
    const Eigen::VectorXd sigma2 = svd.singularValues().array().square();
    ASSERT_EQ(pca.variances.size(), 12);
    for (int i = 0; i < 12; ++i) {
        EXPECT_NEAR(pca.variances[i], sigma2[i], 1e-4 * sigma2[0]) << "variance " << i;
        const double alignment =
            std::abs(pca.components.col(i).cast<double>().dot(svd.matrixU().col(i)));
        EXPECT_NEAR(alignment, 1.0, 1e-4) << "component " << i << " (up to its sign)";
    }
    EXPECT_NEAR(pca.explained(12), 1.0, 1e-9);
    EXPECT_NEAR(pca.explained(3), sigma2.head(3).sum() / sigma2.sum(), 1e-6);
    EXPECT_GT(pca.seconds, 0.0);
}

TEST(Pca, ReconstructionErrorIsTheSumOfTheDiscardedVariances) {
    const Mat x = correlated_data(10, 3000, 5);
    const Pca pca = compute_pca(x);
    for (int k : {0, 2, 5, 10}) {
        Mat rebuilt;
        pca.reconstruct(x, k, rebuilt);
        const double measured = double((rebuilt - x).squaredNorm()) / double(x.size());
        EXPECT_NEAR(pca.mse_per_pixel(k), measured, 1e-4 * (1 + measured)) << "k = " << k;
    }
}

TEST(Pca, PrincipalAnglesOfConstructedSubspaces) {
    Mat a = Mat::Zero(5, 2), b = Mat::Zero(5, 2);
    a(0, 0) = a(1, 1) = 1;  // span{e0, e1}
    b(0, 0) = 2;            // e0 again, scaled…
    b(1, 1) = std::cos(0.3f);  // …and e1 tilted by 0.3 rad towards e2
    b(2, 1) = std::sin(0.3f);
    auto angles = principal_angles(a, b);
    ASSERT_EQ(angles.size(), 2u);
    EXPECT_NEAR(angles[0], 0.0, 1e-4);
    EXPECT_NEAR(angles[1], 0.3, 1e-5);
    angles = principal_angles(a, a * Eigen::Matrix2f{{2, 1}, {-1, 3}});  // same span
    EXPECT_LT(angles[1], 1e-3);
    Mat c = Mat::Zero(5, 2);
    c(3, 0) = c(4, 1) = 1;
    angles = principal_angles(a, c);
    EXPECT_NEAR(angles[0], M_PI / 2, 1e-5) << "orthogonal subspaces";
}

TEST(Pca, AlignedBasisRecoversTheTargetColumnsSignsIncluded) {
    const Mat target = orthonormal_basis(correlated_data(8, 3, 7));  // 8×3, orthonormal
    // The same span, mixed by an invertible (not orthogonal) matrix: what a decoder learns.
    Eigen::Matrix3f mix;
    mix << 1.5f, -0.3f, 0.2f, 0.4f, -2.0f, 0.1f, 0.0f, 0.7f, 0.9f;
    const Mat aligned = aligned_basis(target * mix, target);
    EXPECT_LT((aligned - target).cwiseAbs().maxCoeff(), 1e-4f);
    EXPECT_LT((aligned.transpose() * aligned - Eigen::Matrix3f::Identity()).cwiseAbs().maxCoeff(),
              1e-5f)
        << "still orthonormal";
}

TEST(Pca, ThePlaneIn3dIsFoundByItsFirstTwoComponents) {
    auto data = make_synthetic("plane3d");
    ASSERT_EQ(data->input_size(), 3);
    EXPECT_EQ(data->class_count(), 4);
    const Pca pca = compute_pca(data->train_x);
    EXPECT_GT(pca.explained(2), 0.97) << "points near a plane";
    // The third component is the plane's normal: residuals of the points along it are small.
    const Vec normal = pca.components.col(2);
    const Vec offsets = normal.transpose() * (data->train_x.colwise() - pca.mean);
    EXPECT_LT(std::sqrt(offsets.squaredNorm() / offsets.size()), 0.03);
    EXPECT_GT(pca.variances[1], 10 * pca.variances[2]);
    (void)kDegree;
}

// ---- The autoencoder beside PCA (pca_view.h) ----

namespace {

Config linear_autoencoder(const std::string& dataset, int k) {
    Config c;
    c.dataset = dataset;
    c.hidden = {k};
    c.encoder_act = Activation::Linear;
    c.decoder_act = Activation::Linear;
    c.loss = LossKind::Mse;
    c.normalize = NormalizeKind::Center;
    return c;
}

std::unique_ptr<Session> make_session(const Config& config,
                                      std::shared_ptr<const Dataset> full = nullptr) {
    if (!full) full = make_synthetic(config.dataset);
    auto data = prepare_dataset(full, config);
    EXPECT_TRUE(data) << data.error();
    auto session = Session::create(config, *data);
    EXPECT_TRUE(session) << session.error();
    return std::move(*session);
}

const PcaView& as_pca(const std::shared_ptr<const ViewResult>& result) {
    return dynamic_cast<const PcaView&>(*result);
}

}  // namespace

TEST(PcaView, ATwoUnitLinearAutoencoderFindsThePlaneIn3d) {
    Config c = linear_autoencoder("plane3d", 2);
    c.knobs.lr = 0.01f;
    auto session = make_session(c);
    PcaExplorer explorer;
    PcaRequest request;
    request.active = true;
    const PcaView before = as_pca(explorer.update({*session, false}, request));
    ASSERT_TRUE(before.refusal.empty()) << before.refusal;
    EXPECT_GT(before.comparison.max_angle_deg(), 10) << "a random start is not PCA's plane";
    for (int i = 0; i < 10000; ++i) session->train_step();
    auto result = explorer.update({*session, false}, request);
    const PcaView& after = as_pca(result);
    EXPECT_LT(after.comparison.max_angle_deg(), 2.0);
    // span(Wᵀ) follows more slowly: the little variance off the plane barely pulls on it.
    EXPECT_LT(after.comparison.encoder_angles_deg.back(),
              before.comparison.encoder_angles_deg.back());
    EXPECT_GE(after.comparison.ae_mse, after.comparison.pca_mse * (1 - 1e-3));
    EXPECT_LT(after.comparison.ae_mse, after.comparison.pca_mse * 1.05);
    // What the 3-D view draws: the data, and the decoded plane through the data's middle.
    EXPECT_EQ(after.points.rows(), 3);
    EXPECT_GT(after.points.cols(), 100);
    ASSERT_EQ(after.ae_plane_centre.size(), 3);
    EXPECT_LT((after.ae_plane_centre - after.pca->mean).norm(), 0.05);
    // The aligned basis is span(W*) turned onto the eigen-images: here the same two vectors.
    EXPECT_LT((after.aligned_basis - after.eigen_images).cwiseAbs().maxCoeff(), 0.05);
    ASSERT_TRUE(after.history);
    EXPECT_EQ(after.history->size(), 2u) << "one point per pass";
    EXPECT_GT(after.history->front().max_angle_deg, after.history->back().max_angle_deg);
}

TEST(PcaView, ThePcaIsComputedOncePerDatasetAndKeptAcrossRebuilds) {
    const Config c = linear_autoencoder("plane3d", 2);
    auto full = make_synthetic("plane3d");
    auto data = *prepare_dataset(full, c);
    auto first = std::move(*Session::create(c, data));
    PcaExplorer explorer;
    PcaRequest request;
    request.active = true;
    const auto pca = as_pca(explorer.update({*first, false}, request)).pca;
    first->train_step();
    EXPECT_EQ(as_pca(explorer.update({*first, false}, request)).pca, pca) << "cached";
    explorer.reset();  // a rebuild on the same prepared data
    auto second = std::move(*Session::create(c, data));
    const PcaView& rebuilt = as_pca(explorer.update({*second, false}, request));
    EXPECT_EQ(rebuilt.pca, pca) << "same data, same PCA";
    EXPECT_EQ(rebuilt.history->size(), 1u) << "a new model starts a new curve";
    Config standardized = c;
    standardized.normalize = NormalizeKind::Standardize;
    auto third = std::move(*Session::create(standardized, *prepare_dataset(full, standardized)));
    EXPECT_NE(as_pca(explorer.update({*third, false}, request)).pca, pca) << "new data, new PCA";
}

TEST(PcaView, RefusesModelsItCannotCompareWithAClearLine) {
    PcaExplorer explorer;
    PcaRequest request;
    request.active = true;
    Config stack = linear_autoencoder("shapes", 16);
    stack.hidden = {64, 16};
    EXPECT_NE(as_pca(explorer.update({*make_session(stack), false}, request)).refusal.find(
                  "one hidden layer"),
              std::string::npos);
    Config vae = stack;
    vae.model = ModelKind::Vae;
    vae.normalize = NormalizeKind::None;
    EXPECT_NE(as_pca(explorer.update({*make_session(vae), false}, request)).refusal.find("VAE"),
              std::string::npos);
    Config wide = linear_autoencoder("plane3d", 3);
    EXPECT_NE(as_pca(explorer.update({*make_session(wide), false}, request)).refusal.find("k = 3"),
              std::string::npos);
    const PcaView& fine =
        as_pca(explorer.update({*make_session(linear_autoencoder("shapes", 8)), false}, request));
    EXPECT_TRUE(fine.refusal.empty()) << fine.refusal;
    EXPECT_EQ(fine.eigen_images.cols(), 8);
    EXPECT_EQ(fine.probe_pca.cols(), fine.probe_input.cols());
}

// Issue 19: lesson 06 in the window, decoder activation linear → sigmoid, aborted in gemm (a
// shape check) from compare_with_pca. Every layer keeps its size, so the view's cached
// Workspace looked as if it fitted, but a sigmoid output needs a logits buffer (n × batch)
// that a linear one leaves empty. The trainer resets the view and hands it the new model.
TEST(PcaView, ARebuildThatOnlyChangesTheOutputActivationIsComparedAnew) {
    Config c = linear_autoencoder("shapes", 16);  // lesson 06's base: 16 linear units, mse,
    c.knobs.batch = 256;                          // centred inputs, batch 256
    auto full = make_synthetic("shapes");
    PcaExplorer explorer;
    PcaRequest request;
    request.active = true;
    for (Activation decoder : {Activation::Linear, Activation::Sigmoid, Activation::Linear,
                               Activation::Tanh, Activation::Sigmoid}) {
        c.decoder_act = decoder;
        auto session = make_session(c, full);
        explorer.reset();
        const PcaView& view = as_pca(explorer.update({*session, false}, request));
        ASSERT_TRUE(view.refusal.empty()) << view.refusal;
        EXPECT_EQ(view.comparison.k, 16);
        EXPECT_EQ(view.probe_ae.rows(), session->data().input_size());
        EXPECT_TRUE(std::isfinite(view.comparison.ae_mse));
    }
    // Then other sizes under the same explorer: hidden 16 → 8 → 24.
    for (int k : {8, 24}) {
        c.hidden = {k};
        auto session = make_session(c, full);
        explorer.reset();
        EXPECT_EQ(as_pca(explorer.update({*session, false}, request)).comparison.k, k);
    }
}

// Issue 19: a diverged model (NaN weights) reaches no SVD: the view says why in its line.
TEST(PcaView, ADivergedModelIsRefusedNotDecomposed) {
    Config c = linear_autoencoder("shapes", 8);
    c.knobs.optimizer = OptimizerKind::Sgd;
    c.knobs.lr = 10.0f;
    auto session = make_session(c);
    for (int i = 0; i < 1000 && session->network().params().allFinite(); ++i) session->train_step();
    ASSERT_FALSE(session->network().params().allFinite()) << "the run did not diverge";
    PcaExplorer explorer;
    PcaRequest request;
    request.active = true;
    const PcaView& view = as_pca(explorer.update({*session, false}, request));
    EXPECT_NE(view.refusal.find("diverged"), std::string::npos) << view.refusal;
    // And the building blocks themselves refuse NaN: angles unknown, no SVD.
    Mat a = Mat::Random(6, 2), b = Mat::Random(6, 2);
    a(0, 0) = std::numeric_limits<float>::quiet_NaN();
    const std::vector<double> angles = principal_angles(a, b);
    ASSERT_EQ(angles.size(), 2u);
    EXPECT_TRUE(std::isnan(angles[0]));
    EXPECT_TRUE(aligned_basis(a, b).array().isNaN().all());
}
