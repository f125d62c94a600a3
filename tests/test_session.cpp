// One training run: refused when too big, the objective's terms, learning that lowers the
// loss, the symmetry of equal weights and what a snapshot carries. (No allocation in the
// step: test_no_allocation.cpp.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>

#include "core/memory_budget.h"
#include "core/session.h"

using namespace aelab;

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

TEST(Session, RefusesAModelTooBigForThisMachineBeforeAllocating) {
    Config c = shapes_config();
    c.hidden = {100000, 100000};  // 10¹⁰ weights: 40 GB of parameters alone
    auto session = Session::create(c, make_synthetic("shapes"));
    ASSERT_FALSE(session);
    EXPECT_NE(session.error().find("config key 'hidden'"), std::string::npos) << session.error();
    EXPECT_NE(session.error().find("GB"), std::string::npos) << "gives the estimate";
    const ModelMemory m = estimate_model_memory(c, 784);
    EXPECT_GT(m.parameters, 4e10);
    EXPECT_DOUBLE_EQ(m.gradient_and_optimiser, 3 * m.parameters);

    c.hidden = {1000};  // a wide model, but one that fits
    EXPECT_FALSE(check_model_fits(c, 784).has_value());
}

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
    session->fill_snapshot(s);
    const ProbeJacobians jacobian = session->probe_jacobians();
    EXPECT_GT(jacobian.first_layer, 0.0);
    EXPECT_GT(jacobian.code, 0.0);
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
