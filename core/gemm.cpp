// Matrix products through OpenBLAS when the build has it (AELAB_HAVE_OPENBLAS), else Eigen.
// Why OpenBLAS: at the autoencoder's shapes its AVX-512 SGEMM runs ~30 % faster than Eigen
// 3.4's GEMM on this project's reference CPU (see README, "Speed"); the elementwise work
// stays in Eigen.
#include "core/gemm.h"

#include <mutex>
#include <string>

#include "core/check.h"

#ifdef AELAB_HAVE_OPENBLAS
#include <cblas.h>
#endif

namespace aelab {

#ifdef AELAB_HAVE_OPENBLAS
namespace {
// The trainer is single-threaded by design (two cores: one for it, one for the window);
// a pthread OpenBLAS would otherwise spin up its own pool and fight the UI for the CPU.
void ensure_single_thread() {
    static std::once_flag once;
    std::call_once(once, [] { openblas_set_num_threads(1); });
}
}  // namespace
#endif

void gemm(float alpha, ConstMatRef a, Op op_a, ConstMatRef b, Op op_b, float beta, MatRef c) {
    const Eigen::Index m = c.rows(), n = c.cols();
    const Eigen::Index k = op_a == Op::N ? a.cols() : a.rows();
    AELAB_CHECK((op_a == Op::N ? a.rows() : a.cols()) == m, "gemm: rows of op(a) != rows of c");
    AELAB_CHECK((op_b == Op::N ? b.rows() : b.cols()) == k, "gemm: inner dimensions differ");
    AELAB_CHECK((op_b == Op::N ? b.cols() : b.rows()) == n, "gemm: cols of op(b) != cols of c");
    if (m == 0 || n == 0) return;
#ifdef AELAB_HAVE_OPENBLAS
    ensure_single_thread();
    // cblas with k == 0 still scales c by beta, which is what the maths asks for.
    cblas_sgemm(CblasColMajor, op_a == Op::N ? CblasNoTrans : CblasTrans,
                op_b == Op::N ? CblasNoTrans : CblasTrans, static_cast<int>(m), static_cast<int>(n),
                static_cast<int>(k), alpha, a.data(),
                static_cast<int>(std::max<Eigen::Index>(1, a.outerStride())), b.data(),
                static_cast<int>(std::max<Eigen::Index>(1, b.outerStride())), beta, c.data(),
                static_cast<int>(std::max<Eigen::Index>(1, c.outerStride())));
#else
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
#endif
}

const char* gemm_backend_name() {
#ifdef AELAB_HAVE_OPENBLAS
    static const std::string name = std::string("OpenBLAS ") + openblas_get_config();
    return name.c_str();
#else
    return "Eigen " EIGEN_MAKESTRING(EIGEN_WORLD_VERSION) "." EIGEN_MAKESTRING(
        EIGEN_MAJOR_VERSION) "." EIGEN_MAKESTRING(EIGEN_MINOR_VERSION);
#endif
}

}  // namespace aelab
