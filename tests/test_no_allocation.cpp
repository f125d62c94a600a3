// A training step allocates nothing once warm, whatever kernels OpenBLAS picks. ctest runs
// this file once per OpenBLAS core type (OPENBLAS_CORETYPE = Haswell, SkylakeX, Cooperlake,
// Zen, and unset); a core this CPU cannot execute is reported as skipped, never as passed.
// The BLAS-call check below runs on every CPU: it proves that no product handed to OpenBLAS
// has the shape its AVX-512 small-matrix kernel answers with a malloc.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <strings.h>

#include "core/base/gemm.h"
#include "core/base/openblas.h"
#include "core/run/session.h"

using namespace aelab;

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
#define AELAB_COUNT_MALLOC 1
// Every allocation in the process goes through these while counting is on: Eigen's
// aligned allocations, std::vector growth, and the BLAS library alike.
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
extern "C" void* __libc_malloc(size_t);
extern "C" void* __libc_calloc(size_t, size_t);
extern "C" void* __libc_realloc(void*, size_t);
extern "C" void* malloc(size_t size) {
    if (g_counting.load(std::memory_order_relaxed)) ++g_allocations;
    return __libc_malloc(size);
}
extern "C" void* calloc(size_t n, size_t size) {
    if (g_counting.load(std::memory_order_relaxed)) ++g_allocations;
    return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, size_t size) {
    if (g_counting.load(std::memory_order_relaxed)) ++g_allocations;
    return __libc_realloc(p, size);
}
#endif

namespace {

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
    return "unknown CPU";
}

// Whether this CPU can execute the kernels of an OpenBLAS core type; "" when it can.
std::string missing_instructions(const std::string& core) {
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
    if (strcasecmp(core.c_str(), "SkylakeX") == 0 && !avx512) return "AVX-512";
    if (strcasecmp(core.c_str(), "Cooperlake") == 0 &&
        !(avx512 && __builtin_cpu_supports("avx512bf16")))
        return "AVX-512 BF16";
    if ((strcasecmp(core.c_str(), "Haswell") == 0 || strcasecmp(core.c_str(), "Zen") == 0) &&
        !(__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")))
        return "AVX2/FMA";
    return "";
}

// Every test that multiplies starts with this: forcing kernels this CPU lacks would end the
// process with SIGILL, so such a run reports "skipped" with the reason instead.
#define SKIP_IF_THIS_CPU_CANNOT_RUN_THE_KERNELS()                                           \
    do {                                                                                   \
        if (const char* asked = std::getenv("OPENBLAS_CORETYPE"))                          \
            if (const std::string missing = missing_instructions(asked); !missing.empty()) \
                GTEST_SKIP() << "this CPU (" << cpu_model() << ") has no " << missing      \
                             << " to run " << asked << " kernels";                         \
    } while (0)

std::unique_ptr<Session> make_session(const Config& config) {
    auto data = *prepare_dataset(make_synthetic(config.dataset), config);
    auto session = Session::create(config, data);
    EXPECT_TRUE(session) << session.error();
    return session ? std::move(*session) : nullptr;
}

Config shapes_config() {
    Config c;
    c.dataset = "shapes";  // 28×28, like Fashion-MNIST, and built in
    return c;
}

// Models whose products fall into every shape class: the default stack, a regularised tied
// model, a VAE with 2 and 5 latent dimensions (heads of 4 and 10 rows), and odd code sizes.
std::vector<Config> model_zoo() {
    std::vector<Config> configs;
    configs.push_back(shapes_config());
    Config regularised = shapes_config();
    regularised.tied = true;
    regularised.knobs.noise = NoiseKind::Gaussian;
    regularised.knobs.l2 = 1e-4f;
    regularised.knobs.sparsity = SparsityKind::Kl;
    regularised.knobs.contractive = 0.1f;
    regularised.knobs.optimizer = OptimizerKind::Momentum;
    configs.push_back(regularised);
    for (int latent : {2, 5}) {
        Config vae = shapes_config();
        vae.model = ModelKind::Vae;
        vae.hidden = {512};
        vae.latent = latent;
        vae.encoder_act = Activation::Relu;
        configs.push_back(vae);
    }
    Config odd = shapes_config();
    odd.hidden = {100, 10};  // 100 mod 16 = 4, 10 mod 16 = 10
    configs.push_back(odd);
    return configs;
}

std::atomic<long> g_allocating_calls{0};
std::atomic<long> g_blas_calls{0};

}  // namespace

TEST(NoAllocation, TheKernelsInUseAreTheOnesAskedFor) {
    const char* asked = std::getenv("OPENBLAS_CORETYPE");
    std::printf("CPU: %s; BLAS: %s; kernels: %s\n", cpu_model().c_str(), gemm_backend_name(),
                gemm_kernel_name());
    if (!asked || !*asked) return;  // OpenBLAS picks for this CPU, as on a user's machine
    SKIP_IF_THIS_CPU_CANNOT_RUN_THE_KERNELS();
    if (strcasecmp(gemm_kernel_name(), "Eigen") == 0) GTEST_SKIP() << "built without OpenBLAS";
    // This CPU can run the kernels asked for (checked above), so OpenBLAS must run them: if it
    // fell back to others, every test of this ctest entry would check the wrong kernels under
    // the right name. (OPENBLAS_CORETYPE=Bogus fails here: OpenBLAS then picks for the CPU.)
    EXPECT_EQ(strcasecmp(gemm_kernel_name(), asked), 0)
        << "OPENBLAS_CORETYPE=" << asked << " was asked for, but OpenBLAS runs "
        << gemm_kernel_name() << " kernels";
}

TEST(BlasKernels, AelabAsksForAvx512KernelsOnlyWhereOpenBlas0321DecidesAlone) {
    EXPECT_STREQ(blas_kernels_to_choose(" OpenBLAS 0.3.21 ", false, true, true), "Cooperlake");
    EXPECT_STREQ(blas_kernels_to_choose(" OpenBLAS 0.3.21 ", false, true, false), "SkylakeX");
    EXPECT_EQ(blas_kernels_to_choose(" OpenBLAS 0.3.21 ", true, true, true), nullptr)
        << "OPENBLAS_CORETYPE set by the user wins";
    EXPECT_EQ(blas_kernels_to_choose(" OpenBLAS 0.3.21 ", false, false, false), nullptr)
        << "no AVX-512: OpenBLAS's own table";
    EXPECT_EQ(blas_kernels_to_choose(" OpenBLAS 0.3.26 ", false, true, true), nullptr)
        << "another version detects by itself";
}

// Debian 12's OpenBLAS falls back to its generic Prescott (SSE3) kernels on AVX-512 CPUs it
// does not know (Sapphire and Emerald Rapids), four times slower; aelab asks for the right
// ones before OpenBLAS loads. (Where OPENBLAS_CORETYPE is forced, this entry checks nothing.)
TEST(BlasKernels, AnAvx512CpuRunsAvx512Kernels) {
    if (strcasecmp(gemm_kernel_name(), "Eigen") == 0) return;
    if (std::getenv("OPENBLAS_CORETYPE") && !blas_kernels_chosen_by_aelab()) return;
    __builtin_cpu_init();
    const bool avx512 = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
                        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
                        __builtin_cpu_supports("avx512cd");
    std::printf("AVX-512: %s; kernels %s%s\n", avx512 ? "yes" : "no", gemm_kernel_name(),
                blas_kernels_chosen_by_aelab() ? " (chosen by aelab)" : "");
    if (!avx512) return;
    EXPECT_TRUE(strcasecmp(gemm_kernel_name(), "SkylakeX") == 0 ||
                strcasecmp(gemm_kernel_name(), "Cooperlake") == 0)
        << "an AVX-512 CPU runs OpenBLAS's " << gemm_kernel_name() << " kernels";
}

#ifdef AELAB_COUNT_MALLOC
// On one thread and with the batch cut into slices on a pool (ParallelObjective): every
// thread's allocations are counted, the workers' too.
TEST(NoAllocation, TrainingStepOnceWarm) {
    SKIP_IF_THIS_CPU_CANNOT_RUN_THE_KERNELS();
    for (int threads : {1, 2, 3})
    for (int batch : {64, 256}) {
        for (Config c : model_zoo()) {
            SCOPED_TRACE(std::to_string(threads) + " threads");
            c.knobs.batch = batch;
            g_allocations = 0;
            g_counting = true;  // control: building a model does allocate, and is counted
            auto session = make_session(c);
            g_counting = false;
            ASSERT_TRUE(session);
            ASSERT_GT(g_allocations.load(), 0) << "the malloc counter does not see allocations";
            if (threads > 1) {
                session->set_pool(std::make_shared<WorkerPool>(threads));
                ASSERT_EQ(ParallelObjective::slices_for(session->network(), batch, threads), threads)
                    << "the batch is cut: the slices' path is the one measured";
            }
            for (int i = 0; i < 3; ++i) session->train_step();  // warm: buffers sized
            g_allocations = 0;
            g_counting = true;
            for (int i = 0; i < 20; ++i) session->train_step();
            g_counting = false;
            EXPECT_EQ(g_allocations.load(), 0)
                << to_string(c.model) << " hidden " << get_config_value(c, "hidden") << " batch "
                << batch << " allocated in the step with " << gemm_kernel_name() << " kernels";
        }
    }
}
#endif

TEST(NoAllocation, NoProductHasTheShapeThatAllocatesInAvx512Kernels) {
    SKIP_IF_THIS_CPU_CANNOT_RUN_THE_KERNELS();
    set_blas_call_observer([](Op a, Op b, long m, long n, long k) {
        ++g_blas_calls;
        if (blas_call_would_allocate(a, b, m, n, k)) ++g_allocating_calls;
    });
    for (int batch : {1, 7, 64, 100, 256}) {
        for (Config c : model_zoo()) {
            c.knobs.batch = batch;
            auto session = make_session(c);
            ASSERT_TRUE(session);
            if (batch >= 64) session->set_pool(std::make_shared<WorkerPool>(3));  // slices' shapes
            for (int i = 0; i < 2; ++i) session->train_step();
            Snapshot snapshot;
            session->fill_snapshot(snapshot);
        }
    }
    set_blas_call_observer(nullptr);
    if (strcasecmp(gemm_kernel_name(), "Eigen") != 0) {
        EXPECT_GT(g_blas_calls.load(), 0) << "the observer saw no product";
    }
    EXPECT_EQ(g_allocating_calls.load(), 0);
}

TEST(NoAllocation, TheAllocatingShapeRuleMatchesOpenBlas) {
    // sgemm_small_kernel_permit_skylakex.c and the remainder branch of
    // sgemm_small_kernel_nn_skylakex.c: N·N, M·N·K ≤ 100³, K ≥ 32, 1 ≤ M mod 16 ≤ 8.
    EXPECT_TRUE(blas_call_would_allocate(Op::N, Op::N, 4, 64, 512));   // VAE heads, batch 64
    EXPECT_TRUE(blas_call_would_allocate(Op::N, Op::N, 4, 256, 512));  // … and batch 256
    EXPECT_TRUE(blas_call_would_allocate(Op::N, Op::N, 24, 10, 32));
    EXPECT_FALSE(blas_call_would_allocate(Op::N, Op::N, 4, 1024, 512)) << "too big: GEMM path";
    EXPECT_FALSE(blas_call_would_allocate(Op::N, Op::N, 4, 64, 31)) << "K < 32: masked loop";
    EXPECT_FALSE(blas_call_would_allocate(Op::N, Op::N, 32, 64, 512)) << "no remainder";
    EXPECT_FALSE(blas_call_would_allocate(Op::N, Op::N, 25, 8, 64)) << "remainder 9 > 8";
    EXPECT_FALSE(blas_call_would_allocate(Op::N, Op::T, 4, 64, 512)) << "N·T never copies";
    EXPECT_FALSE(blas_call_would_allocate(Op::T, Op::N, 4, 64, 512)) << "T·N never copies";
}

TEST(Gemm, EveryShapeAndOpMatchesTheReference) {
    SKIP_IF_THIS_CPU_CANNOT_RUN_THE_KERNELS();
    // Shapes inside the split rule (M mod 16 = 1…8, K ≥ 32), beside it and far from it;
    // strided views (a block of a bigger matrix) as the workspaces pass them.
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> value(-1, 1);
    auto random = [&](int rows, int cols) {
        Mat m(rows, cols);
        for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = value(rng);
        return m;
    };
    for (int m : {1, 4, 8, 9, 16, 20, 25, 100})
        for (int n : {1, 3, 64})
            for (int k : {1, 31, 32, 512})
                for (Op op_a : {Op::N, Op::T})
                    for (Op op_b : {Op::N, Op::T})
                        for (float beta : {0.0f, 1.0f}) {
                            const Mat a = op_a == Op::N ? random(m, k) : random(k, m);
                            const Mat b = op_b == Op::N ? random(k, n) : random(n, k);
                            Mat big = random(m + 3, n + 2);
                            const Mat before = big;
                            gemm(0.5f, a, op_a, b, op_b, beta, big.topLeftCorner(m, n));
                            const Eigen::MatrixXd ad = a.cast<double>(), bd = b.cast<double>();
                            const Eigen::MatrixXd pa = op_a == Op::N ? ad : ad.transpose();
                            const Eigen::MatrixXd pb = op_b == Op::N ? bd : bd.transpose();
                            Eigen::MatrixXd want =
                                0.5 * pa * pb + beta * before.topLeftCorner(m, n).cast<double>();
                            const double error =
                                (big.topLeftCorner(m, n).cast<double>() - want).cwiseAbs().maxCoeff();
                            ASSERT_LT(error, 1e-4 * std::sqrt(double(k)) + 1e-6)
                                << m << "x" << n << "x" << k << " ops " << int(op_a) << int(op_b);
                            // The rest of the bigger matrix is untouched.
                            EXPECT_EQ(big.bottomRows(3), before.bottomRows(3));
                            EXPECT_EQ(big.rightCols(2), before.rightCols(2));
                        }
}
