// OpenBLAS, loaded before main rather than linked, so that aelab can choose its kernels
// first (see openblas.cpp). Any thread.
#pragma once

namespace aelab {

// The four entry points aelab uses, or null when the library could not be loaded (the
// products then run on Eigen; openblas_load_error() says why).
struct OpenBlas {
    void (*sgemm)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                  const float* a, int lda, const float* b, int ldb, float beta, float* c, int ldc);
    void (*set_num_threads)(int threads);
    char* (*get_config)();
    char* (*get_corename)();
};
const OpenBlas* openblas();
const char* openblas_load_error();  // "" when loaded

// The core type aelab put in OPENBLAS_CORETYPE before loading OpenBLAS ("SkylakeX",
// "Cooperlake"), or null when OpenBLAS chose by itself (or the user did).
const char* blas_kernels_chosen_by_aelab();

// The decision, for tests: the kernels to ask for, or null to leave OpenBLAS to itself.
// Only OpenBLAS 0.3.21 (Debian 12's), only when the user did not set OPENBLAS_CORETYPE, only
// on a CPU and system that run AVX-512: Cooperlake's kernels with bf16, SkylakeX's without.
const char* blas_kernels_to_choose(const char* openblas_version, bool user_chose, bool avx512,
                                   bool bf16);

}  // namespace aelab
