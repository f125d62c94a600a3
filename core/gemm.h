// One matrix-product entry point for the whole training step, so the BLAS choice is made
// in one place. Any thread (OpenBLAS is used single-threaded; see gemm.cpp).
#pragma once

#include "core/tensor.h"

namespace aelab {

enum class Op { N, T };  // use the matrix as is, or transposed

// c = alpha * op(a) * op(b) + beta * c. With beta == 0, c's old contents are ignored.
void gemm(float alpha, ConstMatRef a, Op op_a, ConstMatRef b, Op op_b, float beta, MatRef c);

// The backend the build uses ("OpenBLAS 0.3.21 (1 thread)" or "Eigen 3.4.0").
const char* gemm_backend_name();

}  // namespace aelab
