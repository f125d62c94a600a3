// One matrix-product entry point for the whole training step, so the BLAS choice is made
// in one place. Any thread (OpenBLAS is used single-threaded; see gemm.cpp).
#pragma once

#include "core/base/tensor.h"

namespace aelab {

enum class Op { N, T };  // use the matrix as is, or transposed

// c = alpha * op(a) * op(b) + beta * c. With beta == 0, c's old contents are ignored.
// Allocates nothing once warm, whatever kernels OpenBLAS picks (see gemm.cpp).
void gemm(float alpha, ConstMatRef a, Op op_a, ConstMatRef b, Op op_b, float beta, MatRef c);

// The backend the build uses ("OpenBLAS 0.3.21 … (1 thread)" or "Eigen 3.4.0").
const char* gemm_backend_name();
// The kernels in use: OpenBLAS's core name ("Haswell", "SkylakeX", "Zen", …) or "Eigen".
const char* gemm_kernel_name();

// True for a product that OpenBLAS 0.3.21's AVX-512 small-matrix kernels (SkylakeX and
// Cooperlake) answer with a malloc: op N·N, M·N·K ≤ 100³, K ≥ 32 and M mod 16 in 1…8.
// gemm() never hands OpenBLAS such a product; tests check every call against this.
bool blas_call_would_allocate(Op op_a, Op op_b, long m, long n, long k);

// Tests only: called with the shape of every product handed to the BLAS library (null: off).
using BlasCallObserver = void (*)(Op op_a, Op op_b, long m, long n, long k);
void set_blas_call_observer(BlasCallObserver observer);

}  // namespace aelab
