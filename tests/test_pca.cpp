// PCA against an independent computation (the SVD of the centred data), principal angles and
// Procrustes alignment on constructed cases, and the built-in 3-D plane.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "core/dataset.h"
#include "core/pca.h"

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
