// Principal component analysis of a data set and how an autoencoder's subspace compares
// with it (SPEC §2): principal angles, the orthogonal-Procrustes rotation that lines one
// basis up with another, PCA-k reconstructions. Pure functions; any thread.
//
// Shapes: data n×N (one sample per column), bases n×k (one direction per column).
#pragma once

#include <vector>

#include "core/base/tensor.h"
#include "core/base/worker_pool.h"

namespace aelab {

struct Pca {
    Vec mean;                   // n: the data's mean (subtracted before the covariance)
    Eigen::VectorXd variances;  // n: eigenvalues of the covariance (1/N), descending
    Mat components;             // n×n: unit eigenvectors, column i ↔ variances[i]
    double seconds = 0;         // what the computation took (covariance + eigen-solver)

    int dims() const { return int(mean.size()); }
    // Fraction of the total variance the first k components explain.
    double explained(int k) const;
    // The best any rank-k affine map can do: mean squared error per pixel of the PCA-k
    // reconstruction over the data it was fitted on, Σ_{i>k} λ_i / n.
    double mse_per_pixel(int k) const;
    // x̂ = mean + U_k U_kᵀ (x − mean) for the columns of x, into out (n×B).
    void reconstruct(ConstMatRef x, int k, Mat& out) const;
};

// PCA of the columns of x: the covariance (1/N) Σ (x − mean)(x − mean)ᵀ accumulated in chunks
// (no centred copy of the data), then Eigen's SelfAdjointEigenSolver in double precision.
// With a pool, each thread accumulates its own run of chunks and the partial sums are added in
// thread order (deterministic for a given thread count).
Pca compute_pca(ConstMatRef x, WorkerPool* pool = nullptr);

// An orthonormal basis (n×k) of the column span of a (n×k, k ≤ n), by Householder QR.
Mat orthonormal_basis(ConstMatRef a);

// The principal angles (radians, ascending) between the column spans of a and b (n×k each):
// θ_i = arccos σ_i(Q_aᵀ Q_b). All 0 when the spans are the same subspace.
std::vector<double> principal_angles(ConstMatRef a, ConstMatRef b);

// The orthonormal basis of span(a), rotated to match b's orthonormal columns as well as any
// rotation can (orthogonal Procrustes: Q_a R with R = A Bᵀ from the SVD Q_aᵀ b = A Σ Bᵀ).
// When the spans agree, column i is b's column i, sign included.
Mat aligned_basis(ConstMatRef a, ConstMatRef b);

}  // namespace aelab
