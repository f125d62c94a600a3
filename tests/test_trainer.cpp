// The trainer thread: knobs reach the next step, pause/step/reset semantics, errors, and
// snapshots that stay consistent while other threads read them (run under TSan in CI).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <thread>

#include "core/files/image_grid.h"
#include "core/files/run_file.h"
#include "core/run/session.h"
#include "core/trainer/trainer.h"
#include "core/views/anomaly_view.h"
#include "core/views/backprop_view.h"
#include "core/views/filters_view.h"
#include "core/views/latent.h"
#include "core/views/model_figures.h"
#include "core/views/pca_view.h"
#include "tests/test_support.h"

using namespace aelab;
using namespace std::chrono_literals;
using aelab::testing::small_config;

namespace {

constexpr auto kTimeout = 120s;  // generous: ThreadSanitizer builds run ~10× slower

std::shared_ptr<const Snapshot> wait_until(Trainer& t,
                                           const std::function<bool(const Snapshot&)>& ready) {
    auto s = t.wait_for(ready, kTimeout);
    EXPECT_TRUE(ready(*s)) << "timed out waiting for the trainer (step " << s->progress.step << ", error '"
                           << s->status.error << "')";
    return s;
}

std::vector<float> train_curve(const Snapshot& s) {
    return s.curves.history.train.mean();
}

}  // namespace

TEST(Trainer, StartsPausedAndStepsExactly) {
    Trainer trainer(small_config(), {}, /*start_running=*/false);
    auto s = wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    EXPECT_EQ(s->progress.step, 0);
    EXPECT_FALSE(s->status.running);
    EXPECT_TRUE(s->status.error.empty()) << s->status.error;

    trainer.send(commands::Step{3});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 3 && !s.status.running; });
    trainer.send(commands::Step{1});
    // Had the trainer kept going after the three steps, this would be past 4.
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step >= 4 && !s.status.running; });
    EXPECT_EQ(s->progress.step, 4);

    trainer.send(commands::Play{});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step >= 40 && s.status.running; });
    trainer.send(commands::Pause{});
    s = wait_until(trainer, [](const Snapshot& s) { return !s.status.running; });
    const int64_t paused_at = s->progress.step;
    trainer.send(commands::Step{1});
    s = wait_until(trainer,
                   [&](const Snapshot& s) { return s.progress.step >= paused_at + 1 && !s.status.running; });
    EXPECT_EQ(s->progress.step, paused_at + 1);
}

// Slow motion: at one step per 1,000 s, Play trains one step and then holds; a command still
// reaches the trainer at once (it waits on its condition variable, not in a sleep), and Step
// is never held. No timing: had the cap not held, the step count would have moved on.
TEST(Trainer, SpeedLimitHoldsPlayButNotCommandsOrStep) {
    Trainer trainer(small_config(), {}, /*start_running=*/false);
    wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    trainer.send(commands::SpeedLimit{0.001});
    trainer.send(commands::Play{});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.status.running && s.progress.step == 1; });
    EXPECT_DOUBLE_EQ(s->status.speed_limit, 0.001);
    Knobs k = s->config.knobs;
    k.lr = 0.02f;
    trainer.set_knobs(k);
    s = wait_until(trainer, [](const Snapshot& s) { return s.config.knobs.lr == 0.02f; });
    EXPECT_EQ(s->progress.step, 1) << "the knob arrived while the next step was held";
    trainer.send(commands::Pause{});
    s = wait_until(trainer, [](const Snapshot& s) { return !s.status.running; });
    EXPECT_EQ(s->progress.step, 1);
    trainer.send(commands::Step{10});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 11 && !s.status.running; });
    trainer.send(commands::SpeedLimit{0});  // full speed again
    trainer.send(commands::Play{});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step >= 40 && s.status.running; });
    EXPECT_EQ(s->status.speed_limit, 0);
}

// One drag of a slider is one marker, from where the drag began to where it settled, in the
// window's words — not one per frame of the drag.
TEST(Trainer, OneDragMakesOneMarker) {
    Trainer trainer(small_config(), {}, /*start_running=*/true);
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step > 0; });
    Knobs k = s->config.knobs;
    k.sparsity = SparsityKind::Kl;
    trainer.set_knobs(k);  // a combo: settled at once
    for (float p : {0.08f, 0.12f, 0.17f, 0.2f}) {
        k.sparsity_p = p;
        trainer.set_knobs(k, /*dragging=*/true);
    }
    s = wait_until(trainer, [](const Snapshot& s) { return s.config.knobs.sparsity_p == 0.2f; });
    k.sparsity_p = 0.226f;
    trainer.set_knobs(k);  // released
    s = wait_until(trainer, [](const Snapshot& s) { return s.curves.history.markers.size() >= 2; });
    trainer.send(commands::Pause{});
    s = wait_until(trainer, [](const Snapshot& s) { return !s.status.running; });
    ASSERT_EQ(s->curves.history.markers.size(), 2u);
    EXPECT_EQ(s->curves.history.markers[0].label, "sparsity none → kl");
    EXPECT_EQ(s->curves.history.markers[1].label, "target p 0.05 → 0.226");
}

TEST(Trainer, KnobChangeIsUsedAtTheNextStep) {
    const Config config = small_config();
    // Reference: the same run stepped by hand, lr changed after step 5.
    auto data = *prepare_dataset(make_synthetic("bars"), config);
    auto session = Session::create(config, data);
    ASSERT_TRUE(session);
    std::vector<float> expected;
    for (int i = 0; i < 5; ++i) expected.push_back(float((*session)->train_step().total()));
    Knobs faster = config.knobs;
    faster.lr = 0.05f;
    (*session)->set_knobs(faster);
    for (int i = 0; i < 3; ++i) expected.push_back(float((*session)->train_step().total()));

    Trainer trainer(config, {}, false);
    trainer.send(commands::Step{5});
    wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 5 && !s.status.running; });
    trainer.set_knobs(faster);
    trainer.send(commands::Step{3});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 8 && !s.status.running; });
    EXPECT_EQ(train_curve(*s), expected)
        << "step 7 and 8 see lr 0.05 exactly when the reference does";
    ASSERT_EQ(s->curves.history.markers.size(), 1u);
    EXPECT_EQ(s->curves.history.markers[0].step, 5);
    EXPECT_EQ(s->curves.history.markers[0].label, "learning rate 0.001 → 0.05");
    EXPECT_FLOAT_EQ(s->config.knobs.lr, 0.05f);
}

TEST(Trainer, ResetWithTheSameSeedRepeatsTheRunBitForBit) {
    Config config = small_config();
    config.knobs.noise = NoiseKind::Gaussian;  // the noise stream must replay too
    Trainer trainer(config, {}, false);
    trainer.send(commands::Step{30});
    auto first = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 30 && !s.status.running; });
    const uint64_t model_version = first->model_version;
    trainer.send(commands::Reset{});
    trainer.send(commands::Step{30});
    auto second = wait_until(trainer, [&](const Snapshot& s) {
        return s.model_version != model_version && s.progress.step == 30 && !s.status.running;
    });
    EXPECT_EQ(train_curve(*first), train_curve(*second));
    EXPECT_EQ(first->model.probes.output, second->model.probes.output);

    trainer.send(commands::NewSeed{});
    trainer.send(commands::Step{30});
    auto third = wait_until(trainer, [&](const Snapshot& s) {
        return s.model_version > second->model_version && s.progress.step == 30 && !s.status.running;
    });
    EXPECT_NE(third->config.seed, first->config.seed);
    EXPECT_NE(train_curve(*third), train_curve(*first));
}

TEST(Trainer, BadDataIsReportedAndARebuildRecovers) {
    Config config = small_config();
    config.dataset = "/definitely/not/a/folder";
    Trainer trainer(config, {}, true);
    auto s = wait_until(trainer, [](const Snapshot& s) { return !s.status.loading && !s.status.error.empty(); });
    EXPECT_NE(s->status.error.find("/definitely/not/a/folder"), std::string::npos) << s->status.error;
    EXPECT_FALSE(s->status.running);
    ASSERT_FALSE(s->messages.empty());

    trainer.send(commands::Rebuild{small_config()});
    s = wait_until(trainer, [](const Snapshot& s) { return s.status.error.empty() && s.progress.step >= 10; });
    EXPECT_TRUE(s->status.running) << "play was asked for; training resumes once the data is good";
}

TEST(Trainer, DivergenceStopsTrainingWithAMessage) {
    Config config = small_config();
    config.encoder_act = config.decoder_act = Activation::Linear;
    config.knobs.optimizer = OptimizerKind::Sgd;
    config.knobs.lr = 10.0f;
    Trainer trainer(config, {}, true);
    auto s = wait_until(trainer, [](const Snapshot& s) { return !s.status.error.empty(); });
    EXPECT_FALSE(s->status.running);
    EXPECT_TRUE(s->status.error.find("NaN") != std::string::npos ||
                s->status.error.find("infinite") != std::string::npos)
        << s->status.error;
    // Play and Step are refused until a reset: the weights are no longer finite. Each
    // command is answered with a snapshot, so waiting for two newer versions suffices.
    const uint64_t before = s->version;
    const int64_t step = s->progress.step;
    trainer.send(commands::Play{});
    trainer.send(commands::Step{1});
    s = wait_until(trainer, [&](const Snapshot& s) { return s.version >= before + 2; });
    EXPECT_FALSE(s->status.running);
    EXPECT_EQ(s->progress.step, step);
}

TEST(Trainer, SnapshotsStayConsistentWhileReadConcurrently) {
    Trainer trainer(small_config(), {}, true);
    std::atomic<bool> stop{false};
    std::atomic<int> checked{0}, broken{0};
    auto reader = [&] {
        uint64_t last_version = 0;
        while (!stop.load()) {
            auto s = trainer.latest();
            if (s->version < last_version) ++broken;
            last_version = s->version;
            if (s->status.loading) continue;
            const bool ok =
                s->model.probes.input.cols() == s->model.probes.output.cols() &&
                s->model.probes.labels.size() == size_t(s->model.probes.input.cols()) &&
                (s->curves.history.train.empty() || s->curves.history.train.x().back() == float(s->progress.step)) &&
                s->curves.history.train.size() == int(s->curves.history.train.mean().size());
            if (!ok) ++broken;
            ++checked;
        }
    };
    std::thread a(reader), b(reader);
    Knobs knobs = small_config().knobs;
    for (int i = 0; i < 40; ++i) {  // knobs and commands arrive while the readers read
        knobs.lr = 0.001f * (1 + i % 5);
        trainer.set_knobs(knobs);
        if (i == 20) trainer.send(commands::Reset{});
        trainer.wait_for([&](const Snapshot& s) { return s.version > 0 && s.progress.step > i; }, kTimeout);
    }
    wait_until(trainer, [](const Snapshot& s) { return s.progress.step >= 60; });
    stop = true;
    a.join();
    b.join();
    EXPECT_GT(checked.load(), 0);
    EXPECT_EQ(broken.load(), 0);
}

TEST(Trainer, RebuildsBetweenShapesWithTheLatentViewOpen) {
    // Models with the same number of layers but other sizes, one after another, while the
    // latent view keeps its workspace: ae (64, 2) ↔ vae (64, latent 2): both 4 layers; then
    // latent 2 → 3, hidden 64 → 32, and back to an autoencoder.
    Config ae = small_config();
    ae.hidden = {64, 2};
    Config vae = small_config();
    vae.model = ModelKind::Vae;
    vae.hidden = {64};
    vae.latent = 2;
    Config vae3 = vae;
    vae3.latent = 3;
    Config vae32 = vae3;
    vae32.hidden = {32};

    Trainer trainer(ae, {}, false);
    LatentRequest request;
    request.active = true;
    request.grid = 10;
    request.has_point = true;
    trainer.set_view_request(ViewId::Latent, std::make_shared<LatentRequest>(request));
    auto latent = [](const Snapshot& s) { return s.view<LatentView>(ViewId::Latent); };
    uint64_t model = 0;
    for (const Config& c : {ae, vae, vae3, vae32, ae, vae32}) {
        if (model > 0) trainer.send(commands::Rebuild{c});
        trainer.send(commands::Step{5});
        auto s = wait_until(trainer, [&](const Snapshot& s) {
            return s.model_version > model && s.progress.step == 5 && !s.status.running && latent(s) &&
                   latent(s)->codes && latent(s)->manifold;
        });
        ASSERT_TRUE(s->status.error.empty()) << s->status.error;
        ASSERT_TRUE(latent(*s)) << "timed out";
        model = s->model_version;
        const int dims = c.model == ModelKind::Vae ? c.latent : code_size(c);
        const LatentView& v = *latent(*s);
        EXPECT_EQ(v.dims, dims);
        EXPECT_EQ(v.codes->rows(), dims);
        EXPECT_EQ(v.manifold->rows(), 256) << "bars are 16×16";
        EXPECT_EQ(v.point_image.size(), 256);
    }
}

// Issue 19: every computed view survives the model being rebuilt under it. Lesson 06's
// settings (16 linear units, mse, centred inputs), then what a class clicks: decoder → sigmoid
// (which aborted in gemm: the views' cached Workspace kept every layer's size but had no
// logits buffer), encoder → sigmoid, a constant init wider than the input, tied weights, a
// VAE, and back — with all six views open, each asked for after each rebuild.
TEST(Trainer, EveryComputedViewSurvivesLessonSixsRebuilds) {
    Config base = small_config();  // bars: n = 256
    base.hidden = {16};
    base.encoder_act = base.decoder_act = Activation::Linear;
    base.loss = LossKind::Mse;
    base.normalize = NormalizeKind::Center;
    base.knobs.batch = 64;
    std::vector<Config> configs{base};
    auto then = [&](auto change) {
        Config c = configs.back();
        change(c);
        configs.push_back(c);
    };
    then([](Config& c) { c.decoder_act = Activation::Sigmoid; });
    then([](Config& c) { c.encoder_act = Activation::Sigmoid; });
    then([](Config& c) { c.decoder_act = Activation::Linear; });
    then([](Config& c) { c.hidden = {300}; c.init = InitKind::Constant; });
    then([](Config& c) { c.hidden = {16}; c.init = InitKind::Xavier; c.tied = true; });
    then([](Config& c) { c.tied = false; c.model = ModelKind::Vae; c.hidden = {32}; c.latent = 2; });
    then([](Config& c) { c.decoder_act = Activation::Sigmoid; });
    configs.push_back(base);

    Trainer trainer(configs.front(), {}, false);
    auto active = [](auto request) {
        request.active = true;
        return std::make_shared<decltype(request)>(request);
    };
    trainer.set_view_request(ViewId::Latent, active(LatentRequest{}));
    trainer.set_view_request(ViewId::Filters, active(FiltersRequest{}));
    trainer.set_view_request(ViewId::Pca, active(PcaRequest{}));
    trainer.set_view_request(ViewId::Anomaly, active(AnomalyRequest{}));
    trainer.set_view_request(ViewId::Backprop, active(BackpropRequest{}));
    trainer.set_view_request(ViewId::ModelFigures, active(ModelFiguresRequest{}));
    uint64_t model = 0;
    for (size_t i = 0; i < configs.size(); ++i) {
        if (i > 0) trainer.send(commands::Rebuild{configs[i]});
        trainer.send(commands::Step{3});
        auto s = wait_until(trainer, [&](const Snapshot& s) {
            if (s.model_version <= model || s.progress.step != 3 || s.status.running) return false;
            for (int v = 0; v < kViewCount; ++v)
                if (!s.model.computed[v]) return false;
            return true;
        });
        ASSERT_TRUE(s->status.error.empty()) << "config " << i << ": " << s->status.error;
        ASSERT_TRUE(s->status.rebuild_refused.empty()) << "config " << i << ": " << s->status.rebuild_refused;
        model = s->model_version;
        const PcaView* pca = s->view<PcaView>(ViewId::Pca);
        ASSERT_TRUE(pca);
        if (configs[i].model == ModelKind::Autoencoder && code_size(configs[i]) < 256)
            EXPECT_TRUE(pca->refusal.empty()) << "config " << i << ": " << pca->refusal;
        else
            EXPECT_FALSE(pca->refusal.empty()) << "config " << i;
        const FiltersView* filters = s->view<FiltersView>(ViewId::Filters);
        ASSERT_TRUE(filters);
        EXPECT_EQ(filters->encoder_weights.cols(), 256) << "config " << i;
    }
}

// Issue 19: a run file that does not fit the data (saved on 16×16 bars, opened with
// dataset=shapes) was only logged; `aelab bad.aelab --steps 5 --screenshot x.png` then waited
// for ever for steps the run never made. The refusal is published for the window to show (and
// for a --screenshot run to end on), and the model on screen goes on.
TEST(Trainer, ARunFileThatDoesNotFitTheDataIsARefusalTheWindowShows) {
    auto state = std::make_shared<RunState>();
    {
        auto session = Session::create(small_config(), *prepare_dataset(*load_dataset("bars"), small_config()));
        ASSERT_TRUE(session);
        *state = (*session)->state();
    }
    state->config.dataset = "shapes";  // what --set dataset=shapes does to an opened run
    Trainer trainer(state->config, {}, false);
    trainer.send(commands::Resume{state, "bad.aelab"});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.status.refusal_version > 0; });
    EXPECT_NE(s->status.rebuild_refused.find("not opened: bad.aelab"), std::string::npos)
        << s->status.rebuild_refused;
    EXPECT_TRUE(s->status.error.empty()) << s->status.error;
}

TEST(Trainer, WhateverTheDataLoaderThrowsBecomesAMessageAndAPause) {
    auto loader = [](const std::string& name) -> Expected<std::shared_ptr<const Dataset>> {
        if (name == "throws") throw std::runtime_error("the disk caught fire");
        if (name == "too-big") throw std::bad_alloc();
        return load_dataset(name);
    };
    Config config = small_config();
    config.dataset = "throws";  // the very first build throws
    Trainer trainer(config, {}, true, loader);
    auto s = wait_until(trainer, [](const Snapshot& s) { return !s.status.loading && !s.status.error.empty(); });
    EXPECT_NE(s->status.error.find("the disk caught fire"), std::string::npos) << s->status.error;
    EXPECT_FALSE(s->status.running);

    config.dataset = "too-big";
    trainer.send(commands::Rebuild{config});
    s = wait_until(trainer, [](const Snapshot& s) {
        return !s.status.loading && s.status.error.find("out of memory") != std::string::npos;
    });
    EXPECT_FALSE(s->status.running);

    trainer.send(commands::Rebuild{small_config()});  // good data: it trains on Play
    trainer.send(commands::Play{});
    s = wait_until(trainer, [](const Snapshot& s) { return s.status.error.empty() && s.progress.step >= 5; });
    EXPECT_TRUE(s->status.running);
}

// A rebuild that cannot be made — a model too large for memory, a data folder that is not
// one — is refused before the running model gives way: it keeps its config, its steps and
// its knobs, goes on training, and the reason names the key or the folder.
TEST(Trainer, ABadRebuildIsRefusedAndTheRunningModelKeepsTraining) {
    Trainer trainer(small_config(), {}, false);
    trainer.send(commands::Step{5});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 5 && !s.status.running; });
    const uint64_t model = s->model_version;
    Config huge = small_config();
    huge.hidden = {100000, 100000};
    huge.knobs.lr = 0.05f;
    trainer.send(commands::Rebuild{huge});
    s = wait_until(trainer, [](const Snapshot& s) { return s.status.refusal_version == 1; });
    EXPECT_NE(s->status.rebuild_refused.find("config key 'hidden'"), std::string::npos) << s->status.rebuild_refused;
    EXPECT_NE(s->status.rebuild_refused.find("GB"), std::string::npos) << s->status.rebuild_refused;
    EXPECT_TRUE(s->status.error.empty()) << s->status.error;
    EXPECT_EQ(s->model_version, model);
    EXPECT_EQ(s->config, small_config()) << "the refused rebuild's knobs did not stay either";

    Config folder = small_config();
    folder.dataset = "/no/such/folder";
    trainer.send(commands::Rebuild{folder});
    s = wait_until(trainer, [](const Snapshot& s) { return s.status.refusal_version == 2; });
    EXPECT_NE(s->status.rebuild_refused.find("/no/such/folder"), std::string::npos) << s->status.rebuild_refused;
    EXPECT_EQ(s->config.dataset, "bars");
    trainer.send(commands::Step{3});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 8 && !s.status.running; });
    EXPECT_EQ(s->model_version, model) << "the same model went on";

    Config wider = small_config();
    wider.hidden = {32};
    trainer.send(commands::Rebuild{wider});
    s = wait_until(trainer, [&](const Snapshot& s) { return s.model_version != model && !s.status.loading; });
    EXPECT_TRUE(s->status.rebuild_refused.empty()) << "a rebuild that works clears the refusal";
}

// Without a model to keep (the first build), a model too large is the run's error.
TEST(Trainer, AModelTooBigAtTheStartIsTheRunsError) {
    Config huge = small_config();
    huge.hidden = {100000, 100000};
    Trainer trainer(huge, {}, false);
    auto s = wait_until(trainer, [](const Snapshot& s) { return !s.status.loading && !s.status.error.empty(); });
    EXPECT_NE(s->status.error.find("config key 'hidden'"), std::string::npos) << s->status.error;
    EXPECT_NE(s->status.error.find("GB"), std::string::npos) << s->status.error;
}

TEST(Trainer, WithInputNoiseTheTestCurveGetsACleanInputLine) {
    Config config = small_config();
    Trainer trainer(config, {}, false);
    trainer.send(commands::Step{5});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 5 && !s.status.running; });
    EXPECT_FALSE(s->curves.history.test.empty());
    EXPECT_TRUE(s->curves.history.test_clean.empty()) << "no noise: one test curve";
    Knobs noisy = config.knobs;
    noisy.noise = NoiseKind::SaltPepper;
    trainer.set_knobs(noisy);
    trainer.send(commands::Step{5});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 10 && !s.status.running; });
    // Measured when the steps end (the figures); the curves get a point every N steps.
    EXPECT_TRUE(s->curves.has_test_clean);
    EXPECT_GT(s->curves.last_test_clean, 0.0);
    trainer.send(commands::Play{});
    s = wait_until(trainer, [](const Snapshot& s) { return !s.curves.history.test_clean.empty(); });
    EXPECT_FALSE(s->curves.history.test_clean.empty());
    EXPECT_EQ(s->curves.history.test_clean.x().back(), s->curves.history.test.x().back())
        << "both measured at the same points";
}

TEST(Trainer, AComputedViewIsComputedOnlyWhileAskedFor) {
    // The filters' weights travel the same channel as every computed view: nothing while no
    // panel asks, the model's W and W* once asked (tied: W* = Wᵀ), nothing once switched off.
    Config config = small_config();
    config.tied = true;
    Trainer trainer(config, {}, false);
    trainer.send(commands::Step{3});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 3 && !s.status.running; });
    EXPECT_FALSE(s->view<FiltersView>(ViewId::Filters));

    trainer.set_view_request(ViewId::Filters, std::make_shared<FiltersRequest>([] {
                                 FiltersRequest r;
                                 r.active = true;
                                 return r;
                             }()));
    s = wait_until(trainer, [](const Snapshot& s) { return s.view<FiltersView>(ViewId::Filters); });
    const FiltersView& f = *s->view<FiltersView>(ViewId::Filters);
    EXPECT_EQ(f.encoder_weights.rows(), 24);
    EXPECT_EQ(f.encoder_weights.cols(), 256);
    EXPECT_EQ(f.decoder_weights, f.encoder_weights.transpose()) << "tied: W* = Wᵀ";
    EXPECT_EQ(f.step, 3);

    trainer.set_view_request(ViewId::Filters, nullptr);  // the panel closed
    s = wait_until(trainer, [](const Snapshot& s) { return !s.view<FiltersView>(ViewId::Filters); });
}

namespace {
bool logged(const Snapshot& s, const std::string& text) {
    for (const LogMessage& m : s.messages)
        if (m.text.find(text) != std::string::npos) return true;
    return false;
}
}  // namespace

TEST(Trainer, SavesOffItsThreadTracksUnsavedChangesAndResumesWithTheCurves) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("aelab_trainer_save_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "run.aelab").string();
    Trainer trainer(small_config(), {}, /*start_running=*/false);
    auto s = wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    EXPECT_FALSE(s->file.unsaved) << "a new, untrained model has nothing to save";
    trainer.send(commands::Step{25});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 25 && !s.status.running; });
    EXPECT_TRUE(s->file.unsaved);
    EXPECT_TRUE(s->file.path.empty());

    trainer.send(commands::Save{path});
    s = wait_until(trainer, [](const Snapshot& s) { return !s.file.unsaved && !s.file.saving; });
    EXPECT_EQ(s->file.path, path);
    EXPECT_TRUE(logged(*s, "saved step 25 to " + path)) << s->messages.back().text;
    const std::vector<float> curve = train_curve(*s);
    ASSERT_EQ(curve.size(), 25u);

    // A save that cannot be written says so, and the file on disk stays the good one.
    trainer.send(commands::Save{(dir / "no such folder" / "run.aelab").string()});
    s = wait_until(trainer, [](const Snapshot& s) { return logged(s, "not saved"); });
    EXPECT_EQ(s->file.path, path);
    EXPECT_FALSE(s->file.unsaved);
    trainer.send(commands::Step{1});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 26; });
    EXPECT_TRUE(s->file.unsaved);

    // Opened in another trainer: the same step, the curves as they were, nothing unsaved.
    auto loaded = load_run(path);
    ASSERT_TRUE(loaded) << loaded.error();
    Trainer other(small_config(), {}, /*start_running=*/false);
    wait_until(other, [](const Snapshot& s) { return !s.status.loading; });
    other.send(commands::Resume{std::make_shared<const RunState>(std::move(*loaded)), path});
    auto o = wait_until(other, [](const Snapshot& s) { return s.progress.step == 25; });
    EXPECT_EQ(train_curve(*o), curve);
    EXPECT_EQ(o->file.path, path);
    EXPECT_FALSE(o->file.unsaved);
    EXPECT_TRUE(logged(*o, "resumed at step 25"));
    std::filesystem::remove_all(dir);
}

// The timeline through the trainer: a checkpoint on view shows exactly the model of that
// step (the probe reconstructions and p̂ of a separate run stopped there), while the live
// run goes on; "back to live" shows the live model again.
TEST(Trainer, ViewingACheckpointShowsTheModelOfThatStep) {
    const Config config = small_config();
    Trainer trainer(config, {}, /*start_running=*/false);
    wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    trainer.send(commands::Step{40});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 40 && !s.status.running; });
    ASSERT_GE(s->timeline.checkpoint_steps.size(), 5u);
    EXPECT_EQ(s->timeline.checkpoint_steps.front(), 0);
    EXPECT_LE(s->timeline.checkpoint_steps.back(), 40);  // the newest taken (every min_stride steps)
    EXPECT_LE(s->timeline.bytes, s->timeline.budget);
    const Mat live_output = s->model.probes.output;
    const int64_t k = s->timeline.checkpoint_steps[s->timeline.checkpoint_steps.size() / 2];
    ASSERT_GT(k, 0);
    ASSERT_LT(k, 40);

    FiltersRequest filters;
    filters.active = true;
    trainer.set_view_request(ViewId::Filters, std::make_shared<FiltersRequest>(filters));
    trainer.send(commands::ViewStep{k});
    s = wait_until(trainer, [&](const Snapshot& s) {
        return s.timeline.viewing_step == k && s.view<FiltersView>(ViewId::Filters);
    });
    EXPECT_EQ(s->progress.step, 40) << "the live run's progress stays in the snapshot";

    auto data = prepare_dataset(make_synthetic(config.dataset), config);
    ASSERT_TRUE(data);
    auto reference = std::move(*Session::create(config, *data));
    for (int64_t i = 0; i < k; ++i) reference->train_step();
    Snapshot expected;
    reference->fill_snapshot(expected);
    EXPECT_EQ(s->model.probes.output, expected.model.probes.output) << "bit for bit, at step " << k;
    EXPECT_EQ(s->model.p_hat, expected.model.p_hat);
    EXPECT_NE(s->model.probes.output, live_output);
    // The computed views too: the filters are the weights of step k.
    const FiltersView& f = *s->view<FiltersView>(ViewId::Filters);
    EXPECT_EQ(f.step, k);
    EXPECT_EQ(f.encoder_weights, Mat(reference->network().weight(0)));
    // A figure exported now is of the model on view.
    const auto dir = std::filesystem::temp_directory_path() /
                     ("aelab_view_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const std::string exported = (dir / "shown.png").string(), expected_png = (dir / "k.png").string();
    trainer.send(commands::Export{commands::ExportKind::ProbesPng, exported});
    wait_until(trainer, [&](const Snapshot& s) {
        return !s.messages.empty() && s.messages.back().text.find("shown.png") != std::string::npos;
    });
    ASSERT_FALSE(export_probes_png(expected_png, *reference));
    const auto bytes = [](const std::string& path) {
        std::ifstream in(path, std::ios::binary);
        return std::string(std::istreambuf_iterator<char>(in), {});
    };
    EXPECT_EQ(bytes(exported), bytes(expected_png));
    std::filesystem::remove_all(dir);

    trainer.send(commands::ViewStep{-1});
    s = wait_until(trainer, [](const Snapshot& s) { return s.timeline.viewing_step == -1; });
    EXPECT_EQ(s->model.probes.output, live_output);
}

// Branching from step k with the same knobs repeats the original run's losses bit for bit;
// the original stays as a named compared run; with another knob the branch differs.
TEST(Trainer, ABranchWithTheSameKnobsRepeatsTheRunAndTheOldRunStaysForComparison) {
    Config config = small_config();
    config.train_size = 200;  // reshuffles on the way
    Trainer trainer(config, {}, /*start_running=*/false);
    wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    constexpr int kSteps = 60;
    trainer.send(commands::Step{kSteps});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == kSteps && !s.status.running; });
    const std::vector<float> original = train_curve(*s);
    ASSERT_EQ(original.size(), size_t(kSteps)) << "one bucket per step this early";
    const int64_t k = s->timeline.checkpoint_steps[s->timeline.checkpoint_steps.size() / 2];
    EXPECT_EQ(s->timeline.run_name, "run A");

    trainer.send(commands::ViewStep{k});
    trainer.send(commands::Branch{});
    s = wait_until(trainer, [&](const Snapshot& s) { return s.progress.step == k && !s.timeline.compared.empty(); });
    EXPECT_EQ(s->timeline.viewing_step, -1) << "a branch is live";
    EXPECT_EQ(s->timeline.run_name, "run B");
    ASSERT_EQ(s->timeline.compared.size(), 1u);
    EXPECT_EQ(s->timeline.compared[0]->name, "run A");
    EXPECT_EQ(s->timeline.compared[0]->branched_at, k);
    EXPECT_EQ(s->timeline.compared[0]->history.train.mean(), original);
    EXPECT_EQ(s->curves.history.train.size(), k) << "the branch shares the curve up to step k";
    EXPECT_TRUE(s->timeline.checkpoint_steps.back() <= k);

    trainer.send(commands::Step{int(kSteps - k)});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == kSteps && !s.status.running; });
    EXPECT_EQ(train_curve(*s), original) << "the same knobs: the same losses, bit for bit";

    // Again from k, with another learning rate: run C differs from run B after k.
    trainer.send(commands::ViewStep{k});
    Knobs faster = config.knobs;
    faster.lr *= 10;
    trainer.set_knobs(faster);
    trainer.send(commands::Branch{});
    trainer.send(commands::Step{int(kSteps - k)});
    s = wait_until(trainer, [](const Snapshot& s) {
        return s.progress.step == kSteps && !s.status.running && s.timeline.compared.size() == 2;
    });
    EXPECT_EQ(s->timeline.run_name, "run C");
    const std::vector<float> branched = train_curve(*s);
    ASSERT_EQ(branched.size(), original.size());
    EXPECT_TRUE(std::equal(original.begin(), original.begin() + k, branched.begin()));
    EXPECT_NE(branched.back(), original.back());
    ASSERT_FALSE(s->curves.history.markers.empty());
    const std::string& label = s->curves.history.markers.back().label;
    EXPECT_NE(label.find("run C from run B"), std::string::npos) << label;
    EXPECT_NE(label.find("learning rate"), std::string::npos) << label;
}

// ---- Issue 20: nothing trained is replaced without being kept (or the window asking) ----

namespace {
// The compared run kept whole under `id`, or null.
const ComparedRun* kept_run(const Snapshot& s, uint64_t id) {
    for (const auto& run : s.timeline.compared)
        if (run->kept && run->kept->id == id) return run.get();
    return nullptr;
}
}  // namespace

// A rebuild of a trained run keeps it whole; going back to it continues exactly where it
// stopped (the losses of one run that never left, bit for bit), and the run it replaced is
// kept in turn, so one can go forth again.
TEST(Trainer, ARebuildKeepsTheTrainedRunAndGoingBackContinuesItExactly) {
    constexpr int kBefore = 30, kAfter = 12;
    Config config = small_config();
    config.train_size = 200;  // reshuffles on the way
    std::vector<float> straight;
    {
        Trainer one(config, {}, /*start_running=*/false);
        wait_until(one, [](const Snapshot& s) { return !s.status.loading; });
        one.send(commands::Step{kBefore + kAfter});
        straight = train_curve(*wait_until(
            one, [](const Snapshot& s) { return s.progress.step == kBefore + kAfter && !s.status.running; }));
    }
    Trainer trainer(config, {}, /*start_running=*/false);
    wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    trainer.send(commands::Step{kBefore});
    auto s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == kBefore && !s.status.running; });
    EXPECT_TRUE(s->timeline.keeps_live_run);
    Config wider = config;
    wider.hidden = {40};
    trainer.send(commands::Rebuild{wider, /*keep_as=*/7});
    s = wait_until(trainer, [](const Snapshot& s) { return s.config.hidden.front().size == 40; });
    const ComparedRun* a = kept_run(*s, 7);
    ASSERT_NE(a, nullptr) << "run A is kept whole under the id the window gave";
    EXPECT_EQ(a->name, "run A");
    EXPECT_EQ(a->kept->state.step, kBefore);
    EXPECT_EQ(a->history.train.size(), size_t(kBefore)) << "with its curves";
    EXPECT_EQ(s->timeline.run_name, "run B");
    EXPECT_EQ(s->progress.step, 0);
    EXPECT_TRUE(logged(*s, "run A (step 30) is kept beside run B"));

    trainer.send(commands::Step{5});
    wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 5 && !s.status.running; });
    trainer.send(commands::ReturnTo{7, /*keep_as=*/8});
    s = wait_until(trainer, [](const Snapshot& s) { return s.timeline.run_name == "run A"; });
    EXPECT_EQ(s->progress.step, kBefore);
    EXPECT_EQ(s->config.hidden.front().size, 24);
    EXPECT_EQ(kept_run(*s, 7), nullptr) << "run A is live, no longer beside itself";
    const ComparedRun* b = kept_run(*s, 8);
    ASSERT_NE(b, nullptr) << "run B, trained 5 steps, is kept in its place";
    EXPECT_EQ(b->kept->state.step, 5);
    EXPECT_TRUE(s->file.unsaved) << "a run come back is not known to be in any file";
    EXPECT_TRUE(logged(*s, "back to run A at step 30; run B stays beside it"));

    trainer.send(commands::Step{kAfter});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == kBefore + kAfter && !s.status.running; });
    EXPECT_EQ(train_curve(*s), straight) << "run A went on as if it had never left";

    trainer.send(commands::ReturnTo{8, 7});
    s = wait_until(trainer, [](const Snapshot& s) { return s.timeline.run_name == "run B"; });
    EXPECT_EQ(s->progress.step, 5);
    EXPECT_EQ(s->config.hidden.front().size, 40);
    ASSERT_NE(kept_run(*s, 7), nullptr);
    EXPECT_EQ(kept_run(*s, 7)->kept->state.step, kBefore + kAfter);
}

// Every path that replaces a trained model without asking keeps it: a rebuild (ae → vae),
// Reset, New seed and a branch. New and Open (the window asks first) start afresh.
TEST(Trainer, EveryReplacementOfATrainedRunKeepsIt) {
    Trainer trainer(small_config(), {}, /*start_running=*/false);
    wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    const auto train_then = [&](const Command& replace, const std::string& what) {
        trainer.send(commands::Step{4});
        const uint64_t model = wait_until(trainer, [](const Snapshot& s) {
                                   return s.progress.step >= 4 && !s.status.running;
                               })->model_version;
        const int64_t step = trainer.latest()->progress.step;
        trainer.send(replace);
        auto s = wait_until(trainer, [&](const Snapshot& s) { return s.model_version != model; });
        ASSERT_FALSE(s->timeline.compared.empty()) << what;
        const ComparedRun& kept = *s->timeline.compared.back();
        ASSERT_TRUE(kept.kept) << what << ": kept whole";
        EXPECT_EQ(kept.kept->state.step, step) << what;
        EXPECT_NE(kept.kept->id, 0u) << what;
    };
    Config vae = small_config();
    vae.model = ModelKind::Vae;
    train_then(commands::Rebuild{vae}, "ae → vae");
    train_then(commands::Reset{}, "reset");
    train_then(commands::NewSeed{}, "new seed");
    trainer.send(commands::Step{4});
    wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 4 && !s.status.running; });
    trainer.send(commands::ViewStep{2});
    train_then(commands::Branch{}, "branch");
    auto s = trainer.latest();
    EXPECT_EQ(s->timeline.compared.size(), Lineage::kMaxCompared);
    EXPECT_TRUE(logged(*s, "is no longer kept: at most 3 runs are kept beside the live one"))
        << "the fourth pushed out the first, and said so";

    trainer.send(commands::New{small_config()});
    s = wait_until(trainer, [](const Snapshot& s) { return s.timeline.compared.empty(); });
    EXPECT_EQ(s->timeline.run_name, "run A");
}

// The kept runs take at most half the timeline's budget: over it the oldest keeps only its
// curves, and the log says so; a run bigger than that share is not kept, and the snapshot
// says so beforehand (the window then asks). An undo of a run no longer kept gets a fresh
// model of its settings, said.
TEST(Trainer, KeptRunsStayWithinHalfTheBudgetAndSayWhatTheyDrop) {
    Trainer trainer(small_config(), {}, /*start_running=*/false);
    wait_until(trainer, [](const Snapshot& s) { return !s.status.loading; });
    trainer.send(commands::Step{3});
    wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 3 && !s.status.running; });
    trainer.send(commands::Reset{});
    auto s = wait_until(trainer, [](const Snapshot& s) { return !s.timeline.compared.empty(); });
    ASSERT_TRUE(s->timeline.compared[0]->kept);
    const size_t one = s->timeline.compared[0]->kept->bytes();
    const uint64_t first = s->timeline.compared[0]->kept->id;

    // Room for one kept run, not two: the next one pushes the first's weights out.
    const size_t budget = 2 * one + one / 2;
    trainer.send(commands::CheckpointBudget{budget});
    trainer.send(commands::Step{3});
    wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 3 && !s.status.running; });
    trainer.send(commands::Reset{});
    s = wait_until(trainer, [](const Snapshot& s) { return s.timeline.compared.size() == 2; });
    EXPECT_FALSE(s->timeline.compared[0]->kept) << "the older gave up its weights";
    EXPECT_EQ(s->timeline.compared[0]->history.train.size(), 3u) << "its curves stay";
    EXPECT_TRUE(s->timeline.compared[1]->kept);
    EXPECT_TRUE(logged(*s, "its weights are no longer kept, only its curves"));
    EXPECT_LE(s->timeline.bytes + s->timeline.compared[1]->kept->bytes(), budget)
        << "checkpoints and kept runs share the budget";

    // Undoing the change that replaced the first run: a fresh model of its settings.
    Config other = small_config();
    other.seed = 99;
    trainer.send(commands::ReturnTo{first, 0, other});
    s = wait_until(trainer, [](const Snapshot& s) { return s.config.seed == 99; });
    EXPECT_TRUE(logged(*s, "the run to go back to is no longer kept"));

    // A budget smaller than one run: a trained run would not be kept, and the snapshot says so.
    trainer.send(commands::CheckpointBudget{one});
    trainer.send(commands::Step{3});
    s = wait_until(trainer, [](const Snapshot& s) { return s.progress.step == 3 && !s.status.running; });
    EXPECT_FALSE(s->timeline.keeps_live_run);
    for (const auto& run : s->timeline.compared) EXPECT_FALSE(run->kept) << run->name;
}
