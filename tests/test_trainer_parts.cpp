// The Trainer's parts, each alone: the inbox the window writes to, the mailbox it reads from,
// the run loader, the lineage of branches, save tracking, the view scheduler and the meters.
// (The Trainer they make up: test_trainer.cpp.)
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <unistd.h>

#include "core/trainer/lineage.h"
#include "core/trainer/run_loader.h"
#include "core/trainer/save_tracker.h"
#include "core/trainer/snapshot_mailbox.h"
#include "core/trainer/trainer_inbox.h"
#include "core/trainer/trainer_meters.h"
#include "core/trainer/view_scheduler.h"
#include "core/views/pca_view.h"
#include "tests/test_support.h"

using namespace aelab;
using aelab::testing::small_config;
using namespace std::chrono_literals;

namespace {

DatasetLoader synthetic_loader(int* calls) {
    return [calls](const std::string& name) -> Expected<std::shared_ptr<const Dataset>> {
        ++*calls;
        return make_synthetic(name);
    };
}

}  // namespace

TEST(TrainerInbox, HandsOverEachChangeOnceAndWakesTheTrainer) {
    TrainerInbox inbox(Knobs{});
    EXPECT_FALSE(inbox.take_knobs());
    Knobs k;
    k.lr = 0.5;
    inbox.set_knobs(k, /*dragging=*/true);
    auto change = inbox.take_knobs();
    ASSERT_TRUE(change);
    EXPECT_EQ(change->knobs.lr, 0.5);
    EXPECT_TRUE(change->dragging);
    EXPECT_FALSE(inbox.take_knobs()) << "taken once";
    inbox.replace_knobs(Knobs{});
    EXPECT_FALSE(inbox.take_knobs()) << "the trainer's own knobs are not news to it";

    inbox.set_view_request(ViewId::Pca, std::make_shared<PcaRequest>());
    EXPECT_TRUE(inbox.take_view_requests()[int(ViewId::Pca)]);

    // A command from another thread wakes a sleeping trainer.
    std::thread sender([&] {
        std::this_thread::sleep_for(10ms);
        inbox.send(commands::Play{});
    });
    inbox.sleep(std::nullopt, /*views_busy=*/false);
    sender.join();
    EXPECT_EQ(inbox.take_commands().size(), 1u);
    EXPECT_TRUE(inbox.take_commands().empty());
    inbox.sleep(StepPacer::Clock::now() + 1ms, false);  // nothing arrives: the deadline ends it
    EXPECT_FALSE(inbox.quit_requested());
    inbox.save_finished();
    EXPECT_TRUE(inbox.take_save_finished());
    EXPECT_FALSE(inbox.take_save_finished());
    inbox.request_quit();
    inbox.sleep(std::nullopt, false);
    EXPECT_TRUE(inbox.quit_requested());
}

TEST(SnapshotMailbox, ReadersSeeWholeSnapshotsAndAreWoken) {
    std::atomic<int> woken{0};
    SnapshotMailbox mailbox(std::make_shared<Snapshot>(), [&] { ++woken; });
    std::thread reader([&] {
        auto s = mailbox.wait_for([](const Snapshot& s) { return s.progress.step == 100; }, 60s);
        EXPECT_EQ(s->progress.step, 100);
    });
    for (int i = 1; i <= 100; ++i) {
        auto s = mailbox.fresh();
        s->progress.step = i;
        s->version = uint64_t(i);
        mailbox.publish(std::move(s));
    }
    reader.join();
    EXPECT_EQ(mailbox.latest()->progress.step, 100);
    EXPECT_EQ(woken.load(), 100);
}

TEST(RunLoader, KeepsTheDataAndSaysANewSetsNoticeOnce) {
    int calls = 0;
    RunLoader loader(synthetic_loader(&calls));
    const Config c = small_config();
    EXPECT_TRUE(loader.needs_load(c));
    auto data = loader.check(c, /*resuming=*/false);
    ASSERT_TRUE(data) << data.error();
    EXPECT_FALSE(loader.prepared()) << "checked, not kept";
    loader.keep(std::move(*data));
    EXPECT_FALSE(loader.needs_load(c));
    auto again = loader.check(c, false);
    ASSERT_TRUE(again);
    EXPECT_EQ(again->prepared, loader.prepared());
    EXPECT_EQ(loader.keep(std::move(*again)), "") << "the same set: no notice";
    EXPECT_EQ(calls, 1);

    auto session = loader.start(c, nullptr);
    ASSERT_TRUE(session) << session.error();
    EXPECT_EQ((*session)->shared_data(), loader.prepared());

    Config huge = c;
    huge.hidden = {100000, 100000};
    EXPECT_FALSE(loader.check(huge, false)) << "too big: refused before a model is made";
    EXPECT_TRUE(loader.load(huge)) << "load() only loads";
}

TEST(Lineage, NamesBranchesAndKeepsTheLastThreeCompared) {
    EXPECT_EQ(run_name(1), "run A");
    EXPECT_EQ(run_name(26), "run Z");
    EXPECT_EQ(run_name(27), "run 27");
    Lineage lineage;
    EXPECT_EQ(lineage.name(), "run A");
    History h;
    EXPECT_EQ(lineage.branch(h, 10), "run A");
    EXPECT_EQ(lineage.name(), "run B");
    ASSERT_EQ(lineage.compared().size(), 1u);
    EXPECT_EQ(lineage.compared()[0]->branched_at, 10);
    for (int i = 0; i < 4; ++i) lineage.branch(h, 20 + i);
    EXPECT_EQ(lineage.compared().size(), Lineage::kMaxCompared);
    EXPECT_EQ(lineage.compared().front()->name, "run C") << "the oldest dropped first";
    lineage.rename("");
    EXPECT_EQ(lineage.name(), "run F");
    lineage.rename(std::string(100, 'x'));
    EXPECT_EQ(lineage.name().size(), 60u);
    lineage.start("experiment");
    EXPECT_EQ(lineage.name(), "experiment");
    EXPECT_TRUE(lineage.compared().empty());
    lineage.branch(h, 1);
    EXPECT_EQ(lineage.name(), "run B") << "a new lineage names its branches from B again";
}

TEST(SaveTracker, CountsChangesAgainstTheLastSave) {
    const auto dir = std::filesystem::temp_directory_path() / ("aelab_saves_" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    std::atomic<int> finished{0};
    SaveTracker saves([&] { ++finished; });
    EXPECT_FALSE(saves.unsaved());
    saves.changed();
    EXPECT_TRUE(saves.unsaved());

    auto ready = prepare_run(small_config(), nullptr,
                             [](const std::string& n) -> Expected<std::shared_ptr<const Dataset>> {
                                 return make_synthetic(n);
                             });
    ASSERT_TRUE(ready) << ready.error();
    auto state = std::make_shared<const RunState>(ready->session->state());
    const std::string autosave = (dir / "autosave.aelab").string();
    saves.save(autosave, /*autosave=*/true, state);
    const std::string path = (dir / "run.aelab").string();
    saves.save(path, /*autosave=*/false, state);
    saves.changed();  // a step while the save is under way: still unsaved after it
    std::vector<std::string> lines;
    while (lines.size() < 2) {
        for (auto& line : saves.collect()) lines.push_back(line.text);
        std::this_thread::sleep_for(1ms);
    }
    EXPECT_NE(lines[0].find("autosaved step 0"), std::string::npos) << lines[0];
    EXPECT_NE(lines[1].find("saved step 0 to " + path), std::string::npos) << lines[1];
    EXPECT_EQ(saves.run_path(), path) << "a save ties the run to its file; an autosave does not";
    EXPECT_EQ(saves.saves_finished(), 1u);
    EXPECT_EQ(finished.load(), 2);
    EXPECT_TRUE(saves.unsaved());
    saves.tie_to("");
    EXPECT_FALSE(saves.unsaved());
    EXPECT_EQ(saves.run_path(), "");
    std::filesystem::remove_all(dir);
}

TEST(ViewScheduler, ShowsACheckpointAndHandsItOverToBranch) {
    const Config c = small_config();
    auto ready = prepare_run(c, nullptr, [](const std::string& n) -> Expected<std::shared_ptr<const Dataset>> {
        return make_synthetic(n);
    });
    ASSERT_TRUE(ready) << ready.error();
    Session& live = *ready->session;
    Timeline timeline(Timeline::kDefaultBudget, /*adapt_to_cost=*/false);
    timeline.record(live);
    for (int i = 0; i < 8; ++i) {
        live.train_step();
        if (timeline.wants(live.step())) timeline.record(live);
    }
    ViewScheduler views;
    ViewScheduler::Requests requests;
    auto pca = std::make_shared<PcaRequest>();
    pca->active = true;  // an open panel's request
    requests[int(ViewId::Pca)] = pca;
    Snapshot s;
    views.update(s, live, /*training=*/false, c.knobs, requests);
    EXPECT_TRUE(s.model.computed[int(ViewId::Pca)]) << "an open view is computed";
    EXPECT_FALSE(s.model.computed[int(ViewId::Latent)]) << "a view nobody asked for is not";

    views.show_step(4);
    EXPECT_FALSE(views.sync(&live, timeline, ready->data.prepared, c.knobs));
    ASSERT_TRUE(views.viewed());
    EXPECT_EQ(views.viewed()->step(), 4);
    EXPECT_EQ(live.step(), 8) << "the live run goes on untouched";
    views.update(s, live, false, c.knobs, requests);
    EXPECT_TRUE(s.model.computed[int(ViewId::Pca)]);

    Knobs today = c.knobs;
    today.lr *= 2;
    std::vector<std::string> changes;
    auto branch = views.take_viewed(today, changes);
    ASSERT_TRUE(branch);
    EXPECT_EQ(branch->step(), 4);
    EXPECT_EQ(changes.size(), 1u) << "the learning rate differs";
    EXPECT_FALSE(views.viewed()) << "viewing stops";

    views.show_step(-1);
    EXPECT_FALSE(views.sync(&live, timeline, ready->data.prepared, c.knobs));
    EXPECT_FALSE(views.viewed());
}

// Issue 20: samples/s froze while paused and in slow motion (it was measured over training
// time only, whose half-second window a capped run takes minutes to fill). Now over wall-clock
// time, from the steps' own times: no clock read here.
TEST(TrainerMeters, SamplesPerSecondFollowsTheWallClockAtAnySpeed) {
    using namespace std::chrono;
    const RateMeter::Clock::time_point t0{};
    RateMeter rate;
    EXPECT_EQ(rate.samples_per_second(t0), 0.0);
    rate.add(64, t0);  // the first step's end opens the window
    rate.add(64, t0 + milliseconds(100));
    EXPECT_DOUBLE_EQ(rate.samples_per_second(t0 + milliseconds(100)), 640.0)
        << "the average so far";
    for (int i = 2; i <= 5; ++i) rate.add(64, t0 + milliseconds(100 * i));
    EXPECT_DOUBLE_EQ(rate.samples_per_second(t0 + milliseconds(500)), 640.0);
    // Slow motion, one step a second: every step is a reading of 64 samples/s.
    for (int i = 1; i <= 3; ++i) rate.add(64, t0 + milliseconds(500) + seconds(i));
    EXPECT_DOUBLE_EQ(rate.samples_per_second(t0 + seconds(4)), 64.0);
    // A pause is not training time: the first step after it opens a new window.
    rate.interrupted();
    rate.add(64, t0 + seconds(100));
    EXPECT_DOUBLE_EQ(rate.samples_per_second(t0 + seconds(100)), 64.0)
        << "the pause's 96 s counted as training: 0.7 samples/s";
    rate.add(64, t0 + seconds(100) + milliseconds(500));
    EXPECT_DOUBLE_EQ(rate.samples_per_second(t0 + seconds(101)), 128.0);
    rate.restart(/*forget=*/true);
    EXPECT_EQ(rate.samples_per_second(t0 + seconds(101)), 0.0);

    TestClock tests;
    EXPECT_TRUE(tests.due(0)) << "a fresh run wants a point at once";
    Snapshot s;
    tests.fill(s);
    EXPECT_FALSE(s.curves.has_test);
    EXPECT_FALSE(s.curves.has_test_clean);
    TrainerLog log;
    for (int i = 0; i < 100; ++i) log.add("line " + std::to_string(i));
    EXPECT_EQ(log.messages().size(), TrainerLog::kKept);
    EXPECT_EQ(log.messages().back().id, 100u);
    EXPECT_EQ(log.messages().front().text, "line 36");
}

// Issue 20: a run the live one replaced is kept whole (to return to) within its budget; what
// is dropped is said, and returning swaps the live run into the returning one's place.
TEST(Lineage, KeepsReplacedRunsWholeWithinABudgetAndReturnsToThem) {
    const auto kept = [](uint64_t id, int64_t step, size_t floats) {
        auto run = std::make_shared<KeptRun>();
        run->id = id;
        run->state.step = step;
        run->state.params = Vec::Zero(Eigen::Index(floats));
        return std::shared_ptr<const KeptRun>(run);
    };
    Lineage lineage;
    const size_t one = kept(1, 1, 1000)->bytes();
    lineage.set_budget(one + one / 2);
    History h;
    lineage.branch(h, 0, kept(1, 100, 1000));
    EXPECT_TRUE(lineage.take_notes().empty());
    ASSERT_NE(lineage.find(1), nullptr);
    EXPECT_EQ(lineage.kept_bytes(), one);
    lineage.branch(h, 0, kept(2, 200, 1000));  // run B: both do not fit
    const std::vector<std::string> notes = lineage.take_notes();
    ASSERT_EQ(notes.size(), 1u);
    EXPECT_NE(notes[0].find("run A (step 100): its weights are no longer kept"), std::string::npos)
        << notes[0];
    EXPECT_EQ(lineage.find(1), nullptr);
    EXPECT_EQ(lineage.compared().size(), 2u) << "run A's curves stay";
    ASSERT_NE(lineage.find(2), nullptr);
    EXPECT_TRUE(lineage.would_keep(one));
    EXPECT_FALSE(lineage.would_keep(2 * one));
    EXPECT_GE(lineage.new_id(), Lineage::kTrainerIds) << "never one of the window's ids";

    // Back to run B (id 2) from run C: C takes B's place beside the live run, B's name is live.
    EXPECT_EQ(lineage.name(), "run C");
    EXPECT_EQ(lineage.return_to(9, &h, nullptr), nullptr) << "no run 9: nothing changes";
    EXPECT_EQ(lineage.name(), "run C");
    const auto back = lineage.return_to(2, &h, kept(3, 50, 1000));
    ASSERT_NE(back, nullptr);
    EXPECT_EQ(back->kept->state.step, 200);
    EXPECT_EQ(lineage.name(), "run B");
    EXPECT_EQ(lineage.find(2), nullptr);
    ASSERT_NE(lineage.find(3), nullptr);
    EXPECT_EQ(lineage.compared().back()->name, "run C");

    // A run larger than the budget keeps its curves only, said.
    lineage.branch(h, 0, kept(4, 7, 4000));
    ASSERT_EQ(lineage.take_notes().size(), 1u);
    EXPECT_EQ(lineage.find(4), nullptr);
    EXPECT_NE(lineage.find(3), nullptr) << "the smaller one stays";
    lineage.start("new");
    EXPECT_EQ(lineage.kept_bytes(), 0u);
}

// Issue 20: the test curve was measured on a clock and drawn as straight lines between far
// points. TestPace puts a point every N steps exactly, N a power of two that keeps evaluating
// under 2 % of the wall-clock time and at most every 0.2 s; driven here by times passed in.
namespace {
struct PaceRun {
    TestPace pace;
    TestPace::Clock::time_point now{};
    int64_t step = 0;
    std::vector<int64_t> points;
    // `steps` steps of `step_seconds` each, an evaluation of `cost` seconds where one is due.
    void steps(int count, double step_seconds, double cost) {
        for (int i = 0; i < count; ++i) {
            ++step;
            now += std::chrono::duration_cast<TestPace::Clock::duration>(
                std::chrono::duration<double>(step_seconds));
            pace.stepped(now);
            if (!pace.due(step)) continue;
            points.push_back(step);
            now += std::chrono::duration_cast<TestPace::Clock::duration>(
                std::chrono::duration<double>(cost));
            pace.evaluated(step, cost);
        }
    }
    // The points from `since` on are exactly `every` apart.
    bool evenly_spaced_since(int64_t since, int64_t every) const {
        int64_t last = -1;
        for (int64_t p : points) {
            if (p < since) continue;
            if (last >= 0 && p - last != every) return false;
            last = p;
        }
        return last >= 0;
    }
};
}  // namespace

TEST(TestPace, PointsComeEveryNStepsWithinTheTimeBudget) {
    PaceRun run;
    run.pace.restart(0);
    run.pace.evaluated(0, 0);  // the cold first pass: its cost says nothing
    // Full speed: 1 ms a step, 10 ms an evaluation → at least 0.5 s apart (2 %): 512 steps.
    run.steps(20000, 0.001, 0.010);
    EXPECT_EQ(run.pace.every(), 512);
    EXPECT_TRUE(run.evenly_spaced_since(run.pace.since(), 512));
    // A pace that wobbles keeps its N: 1.2 ms a step asks for 417 → still 512.
    run.steps(5000, 0.0012, 0.010);
    EXPECT_EQ(run.pace.every(), 512);
    // Slow motion, 1 step a second: every step is measured (0.2 s apart at most), from the
    // next step on — not 512 seconds later, where the old N would put the next point.
    run.steps(20, 1.0, 0.010);
    EXPECT_EQ(run.pace.every(), 1);
    EXPECT_TRUE(run.evenly_spaced_since(run.pace.since(), 1));
    // 30 steps a second: 0.5 s is 15 steps → every 16.
    run.steps(200, 1.0 / 30, 0.010);
    EXPECT_EQ(run.pace.every(), 16);
    EXPECT_TRUE(run.evenly_spaced_since(run.pace.since(), 16));
    // The evaluations' share of the time at full speed.
    PaceRun fast;
    fast.pace.restart(0);
    fast.steps(50000, 0.001, 0.010);
    const double evaluating = double(fast.points.size()) * 0.010;
    EXPECT_LT(evaluating / (50000 * 0.001 + evaluating), 0.025);
}

TEST(TestPace, APauseIsNotAStepAndARestartWantsAPointAtOnce) {
    PaceRun run;
    run.pace.restart(0);
    run.steps(5000, 0.001, 0.010);
    const int64_t every = run.pace.every();
    run.pace.interrupted();
    run.now += std::chrono::minutes(10);  // paused for ten minutes
    const int64_t paused_at = run.step;
    run.steps(3000, 0.001, 0.010);
    EXPECT_EQ(run.pace.every(), every);
    // A pause read as one slow step would drop N to 1 for a while: points one step apart.
    EXPECT_TRUE(run.evenly_spaced_since(paused_at, every));
    run.pace.restart(run.step);
    EXPECT_TRUE(run.pace.due(run.step));
}

TEST(TestPace, APinnedCadenceIgnoresTheClockUntilUnpinned) {
    // --record pins the test curve to its frames: a point every 5 steps whether steps take
    // 1 ms or a second, so two runs of the same training draw the same curve.
    PaceRun run;
    run.pace.restart(0);
    run.pace.pin(5);
    run.steps(3000, 0.001, 0.010);  // unpinned, this pace asks for 512
    run.steps(20, 1.0, 0.010);      // and this for 1
    EXPECT_EQ(run.pace.every(), 5);
    EXPECT_TRUE(run.evenly_spaced_since(0, 5));
    run.pace.restart(run.step);  // a branch keeps the pin
    run.steps(100, 0.001, 0.010);
    EXPECT_EQ(run.pace.every(), 5);
    run.pace.pin(0);  // the clock chooses again: far apart at full speed (512 from a fresh
    run.steps(20000, 0.001, 0.010);  // start; the pinned pace's last window may read 1024)
    EXPECT_GE(run.pace.every(), 512);
    EXPECT_TRUE(run.evenly_spaced_since(run.pace.since(), run.pace.every()));
}
