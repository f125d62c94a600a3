#include "core/views/pca.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <vector>

#include "core/base/gemm.h"

namespace aelab {

double Pca::explained(int k) const {
    const double total = variances.sum();
    if (total <= 0) return 0;
    return variances.head(std::clamp(k, 0, dims())).sum() / total;
}

double Pca::mse_per_pixel(int k) const {
    const int kept = std::clamp(k, 0, dims());
    return std::max(0.0, variances.tail(dims() - kept).sum()) / std::max(1, dims());
}

void Pca::reconstruct(ConstMatRef x, int k, Mat& out) const {
    const auto u = components.leftCols(std::clamp(k, 0, dims()));
    const Mat centred = x.colwise() - mean;
    const Mat coefficients = u.transpose() * centred;  // k×B
    out = (u * coefficients).colwise() + mean;
}

Pca compute_pca(ConstMatRef x, WorkerPool* pool) {
    const auto start = std::chrono::steady_clock::now();
    const int n = int(x.rows()), total = int(x.cols());
    Pca pca;
    pca.mean = x.rowwise().mean();
    // Σ (x − μ)(x − μ)ᵀ in chunks of centred columns: accurate (no E[xxᵀ] − μμᵀ cancellation)
    // and light (one chunk of copies per thread, not the whole set).
    constexpr int kChunk = 4096;
    const int chunks = (total + kChunk - 1) / kChunk;
    const int threads = std::max(1, std::min(pool ? pool->size() : 1, chunks));
    std::vector<Mat> partial(threads, Mat::Zero(n, n));
    run_parts(pool, threads, [&](int thread) {
        Mat chunk(n, std::min(kChunk, std::max(1, total)));
        const int first = WorkerPool::first_item(chunks, threads, thread);
        const int last = WorkerPool::first_item(chunks, threads, thread + 1);
        for (int c = first; c < last; ++c) {
            const int s = c * kChunk, b = std::min(kChunk, total - s);
            chunk.leftCols(b) = x.middleCols(s, b).colwise() - pca.mean;
            gemm(1.0f / float(total), chunk.leftCols(b), Op::N, chunk.leftCols(b), Op::T, 1.0f,
                 partial[thread]);
        }
    });
    Mat covariance = std::move(partial[0]);
    for (int t = 1; t < threads; ++t) covariance += partial[t];
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(covariance.cast<double>());
    // Eigen sorts ascending; PCA reads descending.
    pca.variances = solver.eigenvalues().reverse();
    pca.components = solver.eigenvectors().rowwise().reverse().cast<float>();
    pca.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return pca;
}

Mat orthonormal_basis(ConstMatRef a) {
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(a.cast<double>());
    const Eigen::MatrixXd thin =
        qr.householderQ() * Eigen::MatrixXd::Identity(a.rows(), a.cols());
    return thin.cast<float>();
}

std::vector<double> principal_angles(ConstMatRef a, ConstMatRef b) {
    // NaN or Inf (a diverged model): Eigen's SVD reports invalid input and leaves its
    // singular values unset, so they are never read; the angles are unknown.
    if (!a.allFinite() || !b.allFinite())
        return std::vector<double>(size_t(std::min(a.cols(), b.cols())),
                                   std::numeric_limits<double>::quiet_NaN());
    const Eigen::MatrixXd qa = orthonormal_basis(a).cast<double>();
    const Eigen::MatrixXd qb = orthonormal_basis(b).cast<double>();
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(qa.transpose() * qb);
    std::vector<double> angles;
    for (Eigen::Index i = 0; i < svd.singularValues().size(); ++i)
        angles.push_back(std::acos(std::clamp(svd.singularValues()[i], -1.0, 1.0)));
    std::sort(angles.begin(), angles.end());
    return angles;
}

Mat aligned_basis(ConstMatRef a, ConstMatRef b) {
    if (!a.allFinite() || !b.allFinite())  // as in principal_angles: no SVD of NaN
        return Mat::Constant(a.rows(), a.cols(), std::numeric_limits<float>::quiet_NaN());
    const Eigen::MatrixXd qa = orthonormal_basis(a).cast<double>();
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(qa.transpose() * b.cast<double>(),
                                          Eigen::ComputeFullU | Eigen::ComputeFullV);
    const Eigen::MatrixXd rotation = svd.matrixU() * svd.matrixV().transpose();
    return (qa * rotation).cast<float>();
}

}  // namespace aelab
