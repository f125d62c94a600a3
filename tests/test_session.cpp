// One training run: refused when too big, the objective's terms, learning that lowers the
// loss, the symmetry of equal weights and what a snapshot carries. (No allocation in the
// step: test_no_allocation.cpp.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>

#include "core/run/memory_budget.h"
#include "core/run/session.h"

using namespace aelab;

namespace {

std::unique_ptr<Session> make_session(const Config& config) {
    auto data = *prepare_dataset(make_synthetic(config.dataset), config);
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
    const Mat& h = s.model.probes.hidden[0];
    for (int j = 1; j < h.rows(); ++j)
        EXPECT_LT((h.row(j) - h.row(0)).cwiseAbs().maxCoeff(), 1e-4f) << "unit " << j;
    const Mat w = session->network().weight(0);
    for (int j = 1; j < w.rows(); ++j)
        EXPECT_LT((w.row(j) - w.row(0)).cwiseAbs().maxCoeff(), 1e-4f) << "unit " << j;

    c.init = InitKind::Xavier;  // …while random initialisation breaks the symmetry
    auto random = make_session(c);
    random->train_step();
    random->fill_snapshot(s);
    EXPECT_GT((s.model.probes.hidden[0].row(1) - s.model.probes.hidden[0].row(0)).cwiseAbs().maxCoeff(), 1e-2f);
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
    EXPECT_EQ(s.model.probes.input.cols(), Session::kProbeCount);
    EXPECT_EQ(s.model.probes.input.rows(), 784);
    EXPECT_TRUE(s.model.probes.is_corrupted);
    EXPECT_LT(s.model.probes.corrupted.sum(), s.model.probes.input.sum()) << "masking zeroes pixels";
    EXPECT_EQ(s.model.probes.hidden.size(), 2u);  // 256 and the 32-unit code
    EXPECT_EQ(s.model.probes.hidden[1].rows(), 32);
    EXPECT_EQ(s.model.p_hat.size(), 32);
}

TEST(Session, TheTestObjectiveIsTheTrainingObjective) {
    // Salt-and-pepper noise 0.3: training sees corrupted inputs. Evaluated the same way, the
    // test objective sits by the train curve; on clean inputs it is far off (here higher: a
    // net trained on noisy inputs does not expect clean ones).
    Config c = shapes_config();
    c.hidden = {64};
    c.knobs.batch = 32;
    c.knobs.noise = NoiseKind::SaltPepper;
    c.knobs.noise_level = 0.3f;
    c.knobs.sparsity = SparsityKind::Kl;
    c.knobs.sparsity_beta = 1.0f;
    auto session = make_session(c);
    double recent = 0;
    for (int i = 0; i < 600; ++i) {
        const double total = session->train_step().total();
        if (i >= 500) recent += total / 100;
    }
    const Evaluation as_trained = session->evaluate_test(session->as_trained(1000));
    const Evaluation clean = session->evaluate_test(EvaluationOptions::clean(c.knobs, 1000));
    EXPECT_NEAR(as_trained.terms.total() / recent, 1.0, 0.15)
        << "train " << recent << ", test " << as_trained.terms.total();
    EXPECT_GT(std::abs(clean.terms.total() / recent - 1.0), 0.15)
        << "clean inputs measure something else: " << clean.terms.total();
}

TEST(Session, TheSparsityTermIsMeasuredPerBatchAsInTraining) {
    // β Σ_j KL(p‖p̂_j) is not linear in p̂: the mean over batches of the penalty is what
    // training minimises, not the penalty of one p̂ over the whole set.
    Config c = shapes_config();
    c.hidden = {32};
    c.knobs.sparsity = SparsityKind::Kl;
    c.knobs.sparsity_p = 0.05f;
    auto session = make_session(c);
    for (int i = 0; i < 50; ++i) session->train_step();
    EvaluationOptions options = EvaluationOptions::clean(c.knobs, 1000);
    options.batch = 8;
    const Evaluation per_8 = session->evaluate_test(options);
    // By hand: p̂ of each run of 8 test images, its penalty, the mean.
    const Objective objective = Objective::from(c);
    Workspace ws;
    double by_hand = 0;
    for (int start = 0; start < 1000; start += 8) {
        encode(session->network(), session->data().test_x.middleCols(start, 8), ws);
        const Vec p_hat = ws.act[session->network().code_layer()].leftCols(8).rowwise().mean();
        by_hand += sparsity_penalty(objective, p_hat) / 125;
    }
    EXPECT_NEAR(per_8.terms.sparsity, by_hand, 1e-3 * by_hand);
    options.batch = 1000;
    const Evaluation whole = session->evaluate_test(options);
    encode(session->network(), session->data().test_x.leftCols(1000), ws);
    const Vec all = ws.act[session->network().code_layer()].leftCols(1000).rowwise().mean();
    EXPECT_NEAR(whole.terms.sparsity, sparsity_penalty(objective, all), 1e-4 * by_hand);
    EXPECT_GT(per_8.terms.sparsity, 1.005 * whole.terms.sparsity) << "KL is convex in p̂";
}
