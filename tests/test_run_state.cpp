// A run as plain values (RunState): resuming from it is exact — the same steps give
// bit-identical losses and parameters as the run that never stopped — and a state that does
// not fit its config or data is refused with what is wrong.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <set>
#include <vector>

#include "core/run/session.h"
#include "tests/test_support.h"

using namespace aelab;

namespace {

using aelab::testing::prepared;

std::unique_ptr<Session> make(const Config& config) {
    auto session = Session::create(config, prepared(config));
    EXPECT_TRUE(session) << session.error();
    return std::move(*session);
}

bool same_bits(double a, double b) {
    return std::memcmp(&a, &b, sizeof a) == 0;
}

// Trains `before` steps, saves, trains `after` more; a second session resumed from the saved
// state trains the same `after` steps: every loss and the final parameters must match bit
// for bit. A small training set makes both cross epoch boundaries (a reshuffle).
void expect_exact_resume(Config config, int before, int after) {
    config.train_size = 300;
    auto data = prepared(config);
    auto original = std::move(*Session::create(config, data));
    for (int i = 0; i < before; ++i) original->train_step();
    const RunState saved = original->state();
    auto resumed = Session::resume(saved, data);
    ASSERT_TRUE(resumed) << resumed.error();
    Session& copy = **resumed;
    EXPECT_EQ(copy.step(), before);
    for (int i = 0; i < after; ++i) {
        const Terms a = original->train_step();
        const Terms b = copy.train_step();
        ASSERT_TRUE(same_bits(a.total(), b.total()))
            << "step " << before + i << ": " << a.total() << " vs " << b.total();
        ASSERT_TRUE(same_bits(a.kl, b.kl) && same_bits(a.sparsity, b.sparsity));
    }
    EXPECT_EQ(original->network().params(), copy.network().params());
    EXPECT_EQ(original->epoch(), copy.epoch());
    EXPECT_GT(original->epoch(), 1) << "the run crossed reshuffles";
}

}  // namespace

TEST(RunState, ResumingAPlainAutoencoderIsExact) {
    Config c;
    c.dataset = "shapes";
    c.hidden = {32};
    expect_exact_resume(c, 13, 17);
}

TEST(RunState, ResumingARegularisedNoisyAutoencoderIsExact) {
    Config c;
    c.dataset = "shapes";
    c.hidden = {48, 16};
    c.knobs.optimizer = OptimizerKind::Momentum;
    c.knobs.noise = NoiseKind::Mask;
    c.knobs.noise_level = 0.3f;
    c.knobs.sparsity = SparsityKind::Kl;
    c.knobs.l2 = 1e-3f;
    c.knobs.contractive = 0.1f;
    expect_exact_resume(c, 11, 19);
}

TEST(RunState, ResumingAVaeIsExact) {
    Config c;
    c.dataset = "shapes";
    c.model = ModelKind::Vae;
    c.hidden = {64};
    c.loss = LossKind::Bce;
    expect_exact_resume(c, 9, 21);
}

TEST(RunState, AStateThatDoesNotFitIsRefusedWithWhatIsWrong) {
    Config c;
    c.dataset = "shapes";
    c.hidden = {16};
    c.train_size = 200;
    auto data = prepared(c);
    auto session = make(c);
    session->train_step();
    const RunState good = session->state();
    ASSERT_TRUE(Session::resume(good, data));
    auto refused = [&](RunState s, const std::string& says) {
        auto r = Session::resume(s, data);
        ASSERT_FALSE(r) << says;
        EXPECT_NE(r.error().find(says), std::string::npos) << r.error();
    };
    RunState s = good;
    s.params.conservativeResize(s.params.size() - 1);
    refused(s, "parameters, the config's model has");
    s = good;
    s.params[3] = std::numeric_limits<float>::quiet_NaN();
    refused(s, "NaN");
    s = good;
    s.order[0] = s.order[1];
    refused(s, "not a permutation");
    s = good;
    s.order_rng = "not a generator";
    refused(s, "random state");
    s = good;
    s.optimizer.first.resize(5);
    refused(s, "optimiser");
    s = good;
    s.probe_indices[0] = -1;
    refused(s, "probe");
    s = good;
    s.config.hidden = {17};  // another model than the parameters were trained for
    refused(s, "parameters");
}

// A run saved when aelab kept 16 probes (or with another probe count) keeps the probes it
// chose — probe 1 picked in the anomaly panel included — first; the default choice fills the
// rest, none twice.
TEST(RunState, ARunSavedWithFewerProbesKeepsItsProbesFirst) {
    Config c;
    c.dataset = "shapes";
    c.hidden = {16};
    auto data = prepared(c);
    auto session = make(c);
    ASSERT_TRUE(session->set_first_probe(500));
    RunState saved = session->state();
    ASSERT_EQ(saved.probe_indices.size(), size_t(Session::kProbeCount));
    saved.probe_indices.resize(16);  // as an older aelab wrote it
    std::vector<int> old = saved.probe_indices;
    auto resumed = Session::resume(saved, data);
    ASSERT_TRUE(resumed) << resumed.error();
    const std::vector<int> now = (*resumed)->state().probe_indices;
    ASSERT_EQ(now.size(), size_t(Session::kProbeCount));
    EXPECT_EQ(std::vector<int>(now.begin(), now.begin() + 16), old);
    EXPECT_EQ(std::set<int>(now.begin(), now.end()).size(), now.size()) << "no probe twice";
    EXPECT_EQ((*resumed)->probe_images().col(0), data->test_x.col(500));
}

// Issue 22, item 3: the session keeps a run's plain values as a RunProgress, the base of
// RunState, so state() and resume carry every one of them without a line per field.
TEST(RunState, ThePlainValuesTravelAsOneRunProgress) {
    Config config;
    config.dataset = "bars";
    config.hidden = {24};
    config.knobs.batch = 16;
    auto data = prepared(config);
    auto session = std::move(*Session::create(config, data));
    for (int i = 0; i < 5; ++i) session->train_step();
    ASSERT_TRUE(session->set_first_probe(7));
    const RunState saved = session->state();
    const RunProgress& progress = saved;
    EXPECT_EQ(progress.step, 5);
    EXPECT_EQ(progress.samples_seen, 5 * 16);
    EXPECT_EQ(progress.probe_indices.front(), 7);
    auto resumed = Session::resume(saved, data);
    ASSERT_TRUE(resumed) << resumed.error();
    const RunState again = (*resumed)->state();
    const RunProgress& back = again;
    EXPECT_EQ(back.position, progress.position);
    EXPECT_EQ(back.step, progress.step);
    EXPECT_EQ(back.samples_seen, progress.samples_seen);
    EXPECT_EQ(back.epoch, progress.epoch);
    EXPECT_EQ(back.training_seconds, progress.training_seconds);
    EXPECT_EQ(back.p_hat_average, progress.p_hat_average);
    EXPECT_EQ(back.last_terms.total(), progress.last_terms.total());
    EXPECT_EQ(back.probe_indices, progress.probe_indices);
}
