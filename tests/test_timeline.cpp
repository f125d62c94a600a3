// The timeline (core/timeline.h): a checkpoint holds exactly the run at its step (continuing
// from it repeats the run bit for bit, across reshuffles), the checkpoints stay within their
// memory budget however large the model, and the kept steps are spread as promised.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/run/session.h"
#include "core/run/timeline.h"
#include "tests/test_support.h"

using namespace aelab;

namespace {

using aelab::testing::prepared;

bool same_bits(float a, float b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// FNV-1a over the parameters' bytes: "the same parameters" as one number.
uint64_t hash(const Vec& v) {
    uint64_t h = 1469598103934665603ull;
    const auto* bytes = reinterpret_cast<const unsigned char*>(v.data());
    for (size_t i = 0; i < size_t(v.size()) * sizeof(float); ++i) h = (h ^ bytes[i]) * 1099511628211ull;
    return h;
}

// Trains `steps` steps with a timeline (budget small enough to thin it), remembering each
// step's loss and parameter hash; then, from every kept checkpoint, a fresh session restored
// from it repeats the rest of the run: the same hash at the checkpoint, the same losses bit
// for bit after it.
void expect_checkpoints_exact(Config config, int steps, size_t budget) {
    config.train_size = 200;  // several reshuffles: checkpoints share and change orders
    auto data = prepared(config);
    auto run = std::move(*Session::create(config, data));
    Timeline timeline(budget);
    std::vector<float> losses;          // losses[i]: the loss of step i + 1
    std::vector<uint64_t> hashes = {hash(run->network().params())};  // after step i
    timeline.record(*run);
    for (int i = 0; i < steps; ++i) {
        losses.push_back(run->train_step().total());
        hashes.push_back(hash(run->network().params()));
        if (timeline.wants(run->step())) timeline.record(*run);
    }
    const std::vector<int64_t> kept = timeline.steps();
    ASSERT_GE(kept.size(), 4u);
    EXPECT_GT(run->epoch(), 2);
    for (int64_t k : kept) {
        const Checkpoint* checkpoint = timeline.at(k);
        ASSERT_NE(checkpoint, nullptr);
        EXPECT_EQ(hash(checkpoint->state.params), hashes[k]) << "checkpoint at step " << k;
        auto replay = std::move(*Session::create(config, data));
        replay->restore(*checkpoint);
        ASSERT_EQ(replay->step(), k);
        EXPECT_EQ(hash(replay->network().params()), hashes[k]);
        for (int64_t i = k; i < steps; ++i) {
            const float loss = replay->train_step().total();
            ASSERT_TRUE(same_bits(loss, losses[i]))
                << "from step " << k << ", step " << i + 1 << ": " << loss << " vs " << losses[i];
        }
        EXPECT_EQ(hash(replay->network().params()), hashes.back()) << "from step " << k;
        // The same through the run-file form (Session::resume checks it first).
        if (k == kept[kept.size() / 2]) {
            auto resumed = Session::resume(checkpoint->run_state(), data);
            ASSERT_TRUE(resumed) << resumed.error();
            for (int64_t i = k; i < steps; ++i)
                ASSERT_TRUE(same_bits((*resumed)->train_step().total(), losses[i]));
        }
    }
}

}  // namespace

TEST(Timeline, EveryCheckpointContinuesThePlainAutoencoderBitForBit) {
    Config c;
    c.dataset = "bars";
    c.hidden = {16};
    c.knobs.batch = 16;
    expect_checkpoints_exact(c, 120, size_t(1) << 20);
}

TEST(Timeline, EveryCheckpointContinuesANoisyRegularisedAutoencoderBitForBit) {
    Config c;
    c.dataset = "bars";
    c.hidden = {20, 8};
    c.knobs.batch = 16;
    c.knobs.noise = NoiseKind::Mask;
    c.knobs.sparsity = SparsityKind::Kl;
    c.knobs.l2 = 1e-3f;
    c.knobs.optimizer = OptimizerKind::Momentum;
    expect_checkpoints_exact(c, 120, size_t(1) << 20);
}

TEST(Timeline, EveryCheckpointContinuesTheVaeBitForBit) {
    Config c;
    c.dataset = "bars";
    c.model = ModelKind::Vae;
    c.hidden = {16};
    c.knobs.batch = 16;
    expect_checkpoints_exact(c, 120, size_t(1) << 20);
}

TEST(Timeline, AThousandUnitModelStaysWithinTheBudget) {
    Config c;
    c.dataset = "bars";  // 256 inputs: 256-1000-256 is half a million parameters
    c.hidden = {1000};
    c.knobs.batch = 4;
    c.train_size = 100;
    auto run = std::move(*Session::create(c, prepared(c)));
    const size_t budget = size_t(48) << 20;
    Timeline timeline(budget, /*adapt_to_cost=*/false);
    timeline.record(*run);
    size_t most = 0;
    for (int i = 0; i < 400; ++i) {
        run->train_step();
        if (timeline.wants(run->step())) timeline.record(*run);
        ASSERT_LE(timeline.bytes(), budget) << "step " << run->step();
        most = std::max(most, timeline.bytes());
    }
    const Checkpoint* newest = timeline.at(run->step());
    ASSERT_NE(newest, nullptr) << "the newest step is kept";
    const size_t one = newest->bytes();
    EXPECT_GE(one, 3 * size_t(run->network().param_count()) * sizeof(float))
        << "parameters and Adam's two moments";
    // The budget is used, not wasted: more than half of it holds checkpoints.
    EXPECT_GT(most, budget / 2);
    EXPECT_GE(timeline.count(), 4);
    EXPECT_LE(timeline.count() * one, budget);
    EXPECT_NE(timeline.at(0), nullptr) << "the start is kept";

    // A budget too small for even one checkpoint keeps none rather than overspend.
    timeline.set_budget(one / 2);
    EXPECT_EQ(timeline.count(), 0);
    EXPECT_EQ(timeline.bytes(), 0u);
}

TEST(Timeline, KeepsTheStartDenselyAnEvenGridAndTheNewest) {
    Config c;
    c.dataset = "bars";
    c.hidden = {8};
    c.knobs.batch = 8;
    c.train_size = 64;
    auto run = std::move(*Session::create(c, prepared(c)));
    Timeline probe;
    probe.record(*run);
    const size_t one = probe.at(0)->bytes();
    // Room for ~40 checkpoints plus the shared orders.
    Timeline timeline(40 * one + 8 * 1024, /*adapt_to_cost=*/false);
    timeline.record(*run);
    const int steps = 3000;
    for (int i = 0; i < steps; ++i) {
        run->train_step();
        if (timeline.wants(run->step())) timeline.record(*run);
    }
    const std::vector<int64_t> kept = timeline.steps();
    ASSERT_TRUE(std::is_sorted(kept.begin(), kept.end()));
    const std::set<int64_t> set(kept.begin(), kept.end());
    EXPECT_TRUE(set.count(0));
    for (int64_t s = steps - Timeline::kNewest + 1; s <= steps; ++s)
        EXPECT_TRUE(set.count(s)) << "newest step " << s;
    const int64_t stride = timeline.stride();
    EXPECT_GT(stride, 1) << "the budget forced thinning";
    for (int64_t s = stride; s <= steps - Timeline::kNewest; s += stride)
        EXPECT_TRUE(set.count(s)) << "grid step " << s << " (stride " << stride << ")";
    for (int64_t s = 1; s < stride; s *= 2)
        if (s >= stride / 256) EXPECT_TRUE(set.count(s)) << "start step " << s;
    EXPECT_LE(timeline.count(), 40);
    EXPECT_GE(timeline.count(), 12);

    // Branching at a step drops the future; the next record continues from there.
    const int64_t middle = kept[kept.size() / 2];
    timeline.truncate_after(middle);
    EXPECT_EQ(timeline.steps().back(), middle);
}

TEST(Timeline, CheckpointsOfOneEpochShareItsOrder) {
    Config c;
    c.dataset = "bars";
    c.hidden = {8};
    c.knobs.batch = 8;
    auto run = std::move(*Session::create(c, prepared(c)));
    const int per_epoch = int(run->data().train_x.cols()) / c.knobs.batch;
    ASSERT_GT(per_epoch, 40);
    Timeline timeline;
    timeline.record(*run);
    for (int i = 0; i < per_epoch + 20; ++i) {  // into the second epoch
        run->train_step();
        timeline.record(*run);
    }
    std::set<const EpochOrder*> orders;
    size_t own = 0;
    for (int64_t s : timeline.steps()) {
        orders.insert(timeline.at(s)->epoch_order.get());
        own += timeline.at(s)->bytes();
    }
    EXPECT_EQ(orders.size(), 2u) << "one order per epoch";
    const EpochOrder& first = *timeline.at(0)->epoch_order;
    const size_t order_bytes = first.order.size() * sizeof(int) + first.rng.size();
    EXPECT_LE(timeline.bytes(), own + 2 * (order_bytes + sizeof(EpochOrder) + 64));  // rng text varies
    EXPECT_NE(timeline.at(0)->epoch_order, timeline.at(run->step())->epoch_order);
}

// The curves' markers (core/history.h): a day of knob changes, 10,000 of them, keeps the
// newest kMaxMarkers, in order; every snapshot and compared run copies them, so an unbounded
// list would grow each copy all day.
TEST(History, ADayOfKnobChangesKeepsTheNewestMarkers) {
    History h;
    for (int64_t step = 0; step < 10'000; ++step)
        h.add_marker(step, "learning rate 0.001 → 0.01 and a label of some length");
    ASSERT_LE(h.markers.size(), History::kMaxMarkers);
    EXPECT_GE(h.markers.size(), History::kMaxMarkers * 9 / 10) << "dropped in small blocks";
    EXPECT_EQ(h.markers.back().step, 9'999);
    EXPECT_TRUE(std::is_sorted(h.markers.begin(), h.markers.end(),
                               [](const Marker& a, const Marker& b) { return a.step < b.step; }));
}

// A day's run in miniature: 10,000 checkpoints offered (every step) to a budget of 40 of
// them. Bytes stay within the budget at every step, and the count with them; the newest and
// the start survive the thinning.
TEST(Timeline, TenThousandCheckpointsStayWithinTheBudget) {
    Config c;
    c.dataset = "bars";
    c.hidden = {16};
    c.knobs.batch = 4;
    c.train_size = 100;
    auto run = std::move(*Session::create(c, prepared(c)));
    Timeline probe(Timeline::kDefaultBudget, false);
    probe.record(*run);
    const size_t one = probe.at(0)->bytes();
    const size_t budget = 40 * one;
    Timeline timeline(budget, /*adapt_to_cost=*/false);
    timeline.record(*run);
    for (int i = 0; i < 10'000; ++i) {
        run->train_step();
        ASSERT_TRUE(timeline.wants(run->step()));
        timeline.record(*run);
        ASSERT_LE(timeline.bytes(), budget) << "step " << run->step();
    }
    EXPECT_LE(size_t(timeline.count()) * one, budget);
    EXPECT_NE(timeline.at(0), nullptr);
    EXPECT_NE(timeline.at(10'000), nullptr);
}

// Issue 20: the runs kept to return to share the timeline's budget: the checkpoints fit in
// what they leave, thinned at once when they arrive.
TEST(Timeline, KeptRunsTakeTheirShareOutOfTheBudget) {
    const Config config = aelab::testing::small_config();
    auto session = std::move(*Session::create(config, prepared(config)));
    Timeline timeline(2'000'000, /*adapt_to_cost=*/false);
    for (int i = 0; i < 400; ++i) {
        session->train_step();
        if (timeline.wants(session->step())) timeline.record(*session);
    }
    const size_t full = timeline.bytes();
    EXPECT_GT(full, 1'000'000u) << "the checkpoints use the budget";
    timeline.set_reserved(1'200'000);
    EXPECT_LE(timeline.bytes(), 800'000u) << "thinned to what the kept runs leave";
    EXPECT_GT(timeline.count(), 0);
    for (int i = 0; i < 200; ++i) {
        session->train_step();
        if (timeline.wants(session->step())) timeline.record(*session);
        ASSERT_LE(timeline.bytes(), 800'000u) << "at step " << session->step();
    }
}
