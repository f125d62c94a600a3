// The training step: no heap allocation once warm (counted by interposing malloc), the
// objective's terms, and learning that actually lowers the loss.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>

#include "core/session.h"

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

std::unique_ptr<Session> make_session(const Config& config) {
    auto data = prepare_dataset(make_synthetic(config.dataset), config);
    auto session = Session::create(config, data);
    EXPECT_TRUE(session) << session.error();
    return std::move(*session);
}

Config shapes_config() {
    Config c;
    c.dataset = "shapes";  // 28×28, like Fashion-MNIST, and built in
    return c;
}

}  // namespace

#ifdef AELAB_COUNT_MALLOC
TEST(Session, TrainingStepDoesNotAllocateOnceWarm) {
    std::vector<Config> configs;
    configs.push_back(shapes_config());  // the 784-256-32-256-784 sigmoid autoencoder, Adam
    Config regularised = shapes_config();
    regularised.tied = true;
    regularised.knobs.noise = NoiseKind::Gaussian;
    regularised.knobs.l2 = 1e-4f;
    regularised.knobs.sparsity = SparsityKind::Kl;
    regularised.knobs.contractive = 0.1f;
    regularised.knobs.optimizer = OptimizerKind::Momentum;
    configs.push_back(regularised);
    Config vae = shapes_config();
    vae.model = ModelKind::Vae;
    vae.hidden = {512};
    vae.encoder_act = Activation::Relu;
    configs.push_back(vae);
    for (int batch : {64, 256}) {
        for (Config c : configs) {
            c.knobs.batch = batch;
            g_allocations = 0;
            g_counting = true;  // control: building a model does allocate, and is counted
            auto session = make_session(c);
            g_counting = false;
            ASSERT_GT(g_allocations.load(), 0) << "the malloc counter does not see allocations";
            for (int i = 0; i < 3; ++i) session->train_step();  // warm: buffers sized
            g_allocations = 0;
            g_counting = true;
            for (int i = 0; i < 20; ++i) session->train_step();
            g_counting = false;
            EXPECT_EQ(g_allocations.load(), 0)
                << to_string(c.model) << " batch " << batch << " allocated in the step";
        }
    }
}
#endif

TEST(Session, LossFallsOnTheBuiltInImages) {
    auto session = make_session(shapes_config());
    const double before = session->evaluate_test_set().terms.recon;
    for (int i = 0; i < 400; ++i) session->train_step();
    const double after = session->evaluate_test_set().terms.recon;
    EXPECT_LT(after, 0.5 * before) << "reconstruction error must at least halve";
    EXPECT_EQ(session->step(), 400);
    EXPECT_EQ(session->samples_seen(), 400 * 64);
    EXPECT_GT(session->training_seconds(), 0.0);
}

TEST(Session, ConstantInitKeepsHiddenUnitsIdentical) {
    // The symmetry problem: equal weights → equal units, for ever.
    Config c = shapes_config();
    c.hidden = {16};
    c.init = InitKind::Constant;
    auto session = make_session(c);
    for (int i = 0; i < 50; ++i) session->train_step();
    Snapshot s;
    session->fill_snapshot(s);
    // Equal up to float rounding: BLAS kernels sum different rows in different orders.
    const Mat& h = s.probe_hidden[0];
    for (int j = 1; j < h.rows(); ++j)
        EXPECT_LT((h.row(j) - h.row(0)).cwiseAbs().maxCoeff(), 1e-4f) << "unit " << j;
    const Mat& w = s.encoder_weights;
    for (int j = 1; j < w.rows(); ++j)
        EXPECT_LT((w.row(j) - w.row(0)).cwiseAbs().maxCoeff(), 1e-4f) << "unit " << j;

    c.init = InitKind::Xavier;  // …while random initialisation breaks the symmetry
    auto random = make_session(c);
    random->train_step();
    random->fill_snapshot(s);
    EXPECT_GT((s.probe_hidden[0].row(1) - s.probe_hidden[0].row(0)).cwiseAbs().maxCoeff(), 1e-2f);
}

TEST(Session, SnapshotCarriesWhatTheViewsDraw) {
    Config c = shapes_config();
    c.knobs.noise = NoiseKind::Mask;
    c.knobs.noise_level = 0.5f;
    auto session = make_session(c);
    session->train_step();
    Snapshot s;
    const double jacobian = session->fill_snapshot(s);
    EXPECT_GT(jacobian, 0.0);
    EXPECT_EQ(s.probe_input.cols(), Session::kProbeCount);
    EXPECT_EQ(s.probe_input.rows(), 784);
    EXPECT_TRUE(s.probe_is_corrupted);
    EXPECT_LT(s.probe_corrupted.sum(), s.probe_input.sum()) << "masking zeroes pixels";
    EXPECT_EQ(s.probe_hidden.size(), 2u);  // 256 and the 32-unit code
    EXPECT_EQ(s.probe_hidden[1].rows(), 32);
    EXPECT_EQ(s.encoder_weights.rows(), 256);
    EXPECT_EQ(s.encoder_weights.cols(), 784);
    EXPECT_EQ(s.decoder_weights.rows(), 784);
    EXPECT_EQ(s.decoder_weights.cols(), 256);
    EXPECT_EQ(s.p_hat.size(), 32);
}
