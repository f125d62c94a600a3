// Matrix products through OpenBLAS when it loads (openblas.h: the build has its headers and
// the machine its library), else Eigen.
// Why OpenBLAS: at the autoencoder's shapes its SGEMM runs ~30 % faster than Eigen 3.4's
// GEMM (see README, "Speed"); the elementwise work stays in Eigen.
//
// Why products are sometimes split: OpenBLAS (0.3.16 and later; Debian 12 ships 0.3.21)
// sends small products to hand-written AVX-512 kernels on SkylakeX and Cooperlake CPUs. Its
// N·N kernel copies the last M mod 16 rows of A into a buffer from malloc when that
// remainder is 1–8 and K ≥ 32 (sgemm_small_kernel_nn_skylakex.c): a VAE's heads layer
// (2d rows) hits it at every step. Such a product is split in two: the first M − M mod 16
// rows go to OpenBLAS as they are, and the last few rows are multiplied as a T·N product
// from a transposed copy of them, kept in a per-thread buffer; no T·N kernel allocates.
// Every core type gets the same split (deterministic results); it costs a copy of at most
// 8·K floats.
#include "core/base/gemm.h"

#include <atomic>
#include <string>

#include "core/base/check.h"
#include "core/base/openblas.h"

namespace aelab {

namespace {
std::atomic<BlasCallObserver> g_observer{nullptr};
}  // namespace

bool blas_call_would_allocate(Op op_a, Op op_b, long m, long n, long k) {
    const long remainder = m % 16;
    return op_a == Op::N && op_b == Op::N && double(m) * double(n) * double(k) <= 1e6 &&
           k >= 32 && remainder >= 1 && remainder <= 8;
}

void set_blas_call_observer(BlasCallObserver observer) {
    g_observer.store(observer);
}

namespace {

// CBLAS's codes (cblas.h): column-major storage, and whether to transpose.
constexpr int kColMajor = 102, kNoTrans = 111, kTrans = 112;

int stride(const auto& m) {
    return static_cast<int>(std::max<Eigen::Index>(1, m.outerStride()));
}

void blas(const OpenBlas& lib, float alpha, const float* a, int lda, Op op_a, const float* b,
          int ldb, Op op_b, float beta, float* c, int ldc, int m, int n, int k) {
    if (BlasCallObserver observer = g_observer.load(std::memory_order_relaxed))
        observer(op_a, op_b, m, n, k);
    lib.sgemm(kColMajor, op_a == Op::N ? kNoTrans : kTrans, op_b == Op::N ? kNoTrans : kTrans, m,
              n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void eigen_gemm(float alpha, ConstMatRef a, Op op_a, ConstMatRef b, Op op_b, float beta,
                MatRef c) {
    if (beta == 0.0f)
        c.setZero();
    else if (beta != 1.0f)
        c *= beta;
    if (op_a == Op::N && op_b == Op::N)
        c.noalias() += alpha * (a * b);
    else if (op_a == Op::N)
        c.noalias() += alpha * (a * b.transpose());
    else if (op_b == Op::N)
        c.noalias() += alpha * (a.transpose() * b);
    else
        c.noalias() += alpha * (a.transpose() * b.transpose());
}

}  // namespace

void gemm(float alpha, ConstMatRef a, Op op_a, ConstMatRef b, Op op_b, float beta, MatRef c) {
    const Eigen::Index m = c.rows(), n = c.cols();
    const Eigen::Index k = op_a == Op::N ? a.cols() : a.rows();
    AELAB_CHECK((op_a == Op::N ? a.rows() : a.cols()) == m, "gemm: rows of op(a) != rows of c");
    AELAB_CHECK((op_b == Op::N ? b.rows() : b.cols()) == k, "gemm: inner dimensions differ");
    AELAB_CHECK((op_b == Op::N ? b.cols() : b.rows()) == n, "gemm: cols of op(b) != cols of c");
    if (m == 0 || n == 0) return;
    const OpenBlas* lib = openblas();
    if (!lib) {
        eigen_gemm(alpha, a, op_a, b, op_b, beta, c);
        return;
    }
    // cblas with k == 0 still scales c by beta, which is what the maths asks for.
    if (!blas_call_would_allocate(op_a, op_b, m, n, k)) {
        blas(*lib, alpha, a.data(), stride(a), op_a, b.data(), stride(b), op_b, beta, c.data(),
             stride(c), int(m), int(n), int(k));
        return;
    }
    const int tail = int(m % 16), head = int(m) - tail;
    if (head > 0)  // a multiple of 16 rows: the kernel's remainder loop is never entered
        blas(*lib, alpha, a.data(), stride(a), Op::N, b.data(), stride(b), Op::N, beta, c.data(),
             stride(c), head, int(n), int(k));
    // The last rows of A, stored transposed (K×tail): C_tail = (Aᵀ_tail)ᵀ · B as a T·N product.
    thread_local Mat rows_transposed;  // grows to the largest K seen, then is reused
    if (rows_transposed.rows() < k || rows_transposed.cols() < tail)
        rows_transposed.resize(std::max<Eigen::Index>(k, rows_transposed.rows()),
                               std::max<Eigen::Index>(16, rows_transposed.cols()));
    auto copy = rows_transposed.topLeftCorner(k, tail);
    copy.noalias() = a.middleRows(head, tail).transpose();
    blas(*lib, alpha, copy.data(), stride(rows_transposed), Op::T, b.data(), stride(b), Op::N,
         beta, c.data() + head, stride(c), tail, int(n), int(k));
}

const char* gemm_backend_name() {
    if (const OpenBlas* lib = openblas())
        return lib->get_config();  // "OpenBLAS 0.3.21 … DYNAMIC_ARCH … Haswell MAX_THREADS=64"
    static const std::string eigen =
        "Eigen " EIGEN_MAKESTRING(EIGEN_WORLD_VERSION) "." EIGEN_MAKESTRING(
            EIGEN_MAJOR_VERSION) "." EIGEN_MAKESTRING(EIGEN_MINOR_VERSION) " (OpenBLAS: " +
        std::string(openblas_load_error()) + ")";
    return eigen.c_str();
}

const char* gemm_kernel_name() {
    const OpenBlas* lib = openblas();
    return lib ? lib->get_corename() : "Eigen";
}

}  // namespace aelab
