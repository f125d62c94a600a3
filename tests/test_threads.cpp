// The threads setting: the worker pool, the training batch cut into slices on its threads,
// evaluations in pieces, and the knob from the config to the snapshot and the metrics. The
// ThreadSanitizer build runs this file too: every test here that trains on a pool is also a
// data-race check of that path.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/base/worker_pool.h"
#include "core/model/parallel_objective.h"
#include "core/run/session.h"
#include "core/trainer/headless.h"
#include "core/trainer/trainer.h"
#include "tests/test_support.h"

using namespace aelab;
using aelab::testing::small_config;

namespace {

Config shapes_config() {
    Config c;
    c.dataset = "shapes";  // 28×28 like Fashion-MNIST, built in
    return c;
}

std::unique_ptr<Session> make_session(const Config& config) {
    auto data = *prepare_dataset(make_synthetic(config.dataset), config);
    auto session = Session::create(config, data);
    EXPECT_TRUE(session) << session.error();
    return session ? std::move(*session) : nullptr;
}

// The models the step must cut correctly: every term that spans the batch.
std::vector<std::pair<std::string, Config>> zoo() {
    std::vector<std::pair<std::string, Config>> out;
    out.push_back({"default", shapes_config()});
    Config sparse = shapes_config();
    sparse.hidden = {196};
    sparse.knobs.sparsity = SparsityKind::Kl;
    out.push_back({"sparse kl", sparse});
    Config regularised = shapes_config();
    regularised.tied = true;
    regularised.knobs.l2 = 1e-3f;
    regularised.knobs.contractive = 0.1f;
    regularised.knobs.sparsity = SparsityKind::Squared;
    out.push_back({"tied, l2, contractive, squared sparsity", regularised});
    Config vae = shapes_config();
    vae.model = ModelKind::Vae;
    vae.hidden = {512};
    vae.encoder_act = Activation::Relu;
    out.push_back({"vae", vae});
    return out;
}

// One batch of the session's training data, and its gradient and terms, cut into `slices`.
struct BatchResult {
    Terms terms;
    Vec gradient;
    Vec p_hat;
};
BatchResult batch_objective(const Config& config, int slices, WorkerPool* pool) {
    auto session = make_session(config);
    const Network& net = session->network();
    const int batch = config.knobs.batch;
    const Mat x = session->data().train_x.leftCols(batch);
    ParallelObjective objective;
    if (net.kind() == ModelKind::Vae) {
        FastRng rng(5);
        rng.fill_normal(objective.eps(net, batch).data(), long(net.latent()) * batch);
    }
    BatchResult out;
    out.gradient.resize(net.param_count());
    out.terms = objective.evaluate_in_slices(pool, slices, net, x, x, Objective::from(config),
                                             out.gradient);
    EXPECT_EQ(objective.slices(), slices);
    out.p_hat = objective.p_hat();
    return out;
}

double relative(double a, double b) {
    return std::abs(a - b) / std::max(1e-12, std::max(std::abs(a), std::abs(b)));
}

}  // namespace

TEST(WorkerPool, EveryPartRunsOnceOnItsOwnThreadAndPartZeroOnTheCaller) {
    WorkerPool pool(4);
    EXPECT_EQ(pool.size(), 4);
    for (int parts = 1; parts <= 4; ++parts) {
        for (int round = 0; round < 200; ++round) {
            std::vector<std::atomic<int>> calls(parts);
            std::vector<std::thread::id> where(parts);
            pool.run(parts, [&](int part) {
                ++calls[part];
                where[part] = std::this_thread::get_id();
            });
            std::set<std::thread::id> threads(where.begin(), where.end());
            for (int p = 0; p < parts; ++p) ASSERT_EQ(calls[p].load(), 1) << "part " << p;
            ASSERT_EQ(int(threads.size()), parts) << "each part on a thread of its own";
            ASSERT_EQ(where[0], std::this_thread::get_id()) << "part 0 on the calling thread";
        }
    }
}

TEST(WorkerPool, RunReturnsOnlyWhenEveryPartHasFinishedItsWrites) {
    WorkerPool pool(3);
    std::vector<long> sums(3);  // plain memory: ThreadSanitizer sees an unsynchronised read
    for (long round = 1; round <= 500; ++round) {
        pool.run(3, [&](int part) {
            for (long i = 0; i < 1000; ++i) sums[part] += round;
        });
        for (int p = 0; p < 3; ++p) ASSERT_EQ(sums[p], 1000 * round * (round + 1) / 2);
    }
}

TEST(WorkerPool, AnExceptionOfAnyPartReachesTheCallerAndThePoolGoesOn) {
    WorkerPool pool(2);
    for (int failing : {0, 1}) {
        EXPECT_THROW(pool.run(2,
                              [&](int part) {
                                  if (part == failing) throw std::runtime_error("part failed");
                              }),
                     std::runtime_error);
        int ran = 0;
        pool.run(1, [&](int) { ++ran; });
        EXPECT_EQ(ran, 1) << "the pool still runs jobs after a failure";
    }
}

// Idle workers sleep: a pool's threads, after a job, use no CPU once the spin is over; and a
// pool with more threads than cores never spins (it would take the core its caller needs).
TEST(WorkerPool, IdleWorkersSleepAndAnOversizedPoolNeverSpins) {
    EXPECT_TRUE(WorkerPool(available_cores()).spins());
    EXPECT_FALSE(WorkerPool(available_cores() + 1).spins());
    WorkerPool pool(2);
    pool.run(2, [](int) {});
    const auto cpu_seconds = [] {
        timespec t{};
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
        return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
    };
    // Wait out the spin (2 ms) by the wall clock, then measure a quiet stretch. The test
    // thread itself sleeps (it is not synchronising with the pool: there is nothing to wait for).
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    const double before = cpu_seconds();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_LT(cpu_seconds() - before, 0.05) << "an idle pool spun";
}

TEST(WorkerPool, SplitsItemsEvenlyAndTheSameWayEveryTime) {
    for (int count : {0, 1, 7, 256, 1000})
        for (int parts : {1, 2, 3, 16}) {
            int covered = 0;
            for (int p = 0; p < parts; ++p) {
                const int a = WorkerPool::first_item(count, parts, p);
                const int b = WorkerPool::first_item(count, parts, p + 1);
                EXPECT_EQ(a, covered);
                EXPECT_LE(b - a, count / parts + 1);
                covered = b;
            }
            EXPECT_EQ(covered, count);
        }
}

// The brief's figure: two slices give the whole batch's loss and gradient to 1e-5 relative.
TEST(ParallelObjective, TwoSlicesGiveTheWholeBatchsLossAndGradient) {
    WorkerPool pool(2);
    for (auto [name, config] : zoo()) {
        config.knobs.batch = 64;
        SCOPED_TRACE(name);
        const BatchResult whole = batch_objective(config, 1, nullptr);
        const BatchResult cut = batch_objective(config, 2, &pool);
        EXPECT_LT(relative(cut.terms.total(), whole.terms.total()), 1e-5);
        EXPECT_LT(relative(cut.terms.recon, whole.terms.recon), 1e-5);
        EXPECT_LT(relative(cut.terms.sparsity, whole.terms.sparsity), 1e-5);
        EXPECT_LT(relative(cut.terms.contractive, whole.terms.contractive), 1e-5);
        EXPECT_LT(relative(cut.terms.kl, whole.terms.kl), 1e-5);
        EXPECT_EQ(cut.terms.l2, whole.terms.l2) << "the weights' term, once";
        EXPECT_LT((cut.gradient - whole.gradient).norm() / whole.gradient.norm(), 1e-5);
        if (config.model == ModelKind::Autoencoder)
            EXPECT_LT((cut.p_hat - whole.p_hat).norm() / whole.p_hat.norm(), 1e-6);
    }
}

TEST(ParallelObjective, ThePartsAreTheSameOnThePoolAndOneAfterAnother) {
    WorkerPool pool(3);
    for (auto [name, config] : zoo()) {
        SCOPED_TRACE(name);
        const BatchResult serial = batch_objective(config, 3, nullptr);
        const BatchResult threaded = batch_objective(config, 3, &pool);
        EXPECT_EQ(threaded.gradient, serial.gradient) << "bit for bit";
        EXPECT_EQ(threaded.terms.total(), serial.terms.total());
    }
}

TEST(ParallelObjective, SlicesOnlyWhereTheyPay) {
    Config tiny = small_config();  // 256-24-256 on bars, batch 16
    auto small = make_session(tiny);
    EXPECT_EQ(ParallelObjective::slices_for(small->network(), 16, 8), 1) << "too little work";
    auto big = make_session(shapes_config());  // 784-256-32-256-784
    EXPECT_EQ(ParallelObjective::slices_for(big->network(), 64, 1), 1);
    EXPECT_EQ(ParallelObjective::slices_for(big->network(), 64, 2), 2);
    EXPECT_EQ(ParallelObjective::slices_for(big->network(), 64, 16), 8) << "8 samples a slice";
    EXPECT_EQ(ParallelObjective::slices_for(big->network(), 7, 4), 1) << "a batch of 7";
}

// Training on a pool is deterministic for its thread count: two runs agree bit for bit, and
// stay within rounding of the run on one thread.
TEST(ParallelObjective, TrainingOnTwoThreadsRepeatsBitForBit) {
    for (auto [name, config] : zoo()) {
        SCOPED_TRACE(name);
        config.knobs.noise = NoiseKind::Gaussian;  // the noise stream stays the run's one
        std::vector<Vec> params;
        std::vector<double> losses;
        for (int threads : {2, 2, 1}) {
            auto session = make_session(config);
            if (threads > 1) session->set_pool(std::make_shared<WorkerPool>(threads));
            EXPECT_EQ(session->threads(), threads);
            double loss = 0;
            for (int i = 0; i < 15; ++i) loss = session->train_step().total();
            params.push_back(session->network().params());
            losses.push_back(loss);
        }
        EXPECT_EQ(params[0], params[1]) << "two runs on two threads";
        EXPECT_EQ(losses[0], losses[1]);
        EXPECT_LT(relative(losses[0], losses[2]), 1e-3) << "one thread: the same up to rounding";
        EXPECT_LT((params[0] - params[2]).norm() / params[2].norm(), 1e-4);
    }
}

TEST(Optimizer, UpdatesRangeByRangeAsInOneStep) {
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    const int size = 30011;
    Vec g(size), theta(size);
    for (Vec* v : {&g, &theta})
        for (Eigen::Index i = 0; i < size; ++i) (*v)[i] = normal(rng);
    // Ranges cut at odd places and visited out of order, as threads finish them.
    const std::vector<ParamRange> ranges = {{20000, 30011}, {0, 7}, {7, 4099}, {4099, 20000}};
    for (OptimizerKind kind : {OptimizerKind::Sgd, OptimizerKind::Momentum, OptimizerKind::Adam}) {
        SCOPED_TRACE(to_string(kind));
        Optimizer whole, ranged;
        Vec theta_whole = theta, theta_ranged = theta;
        for (int step = 0; step < 3; ++step) {
            whole.step(kind, 0.01f, theta_whole, g);
            ranged.begin_step(kind, size);
            for (const ParamRange& r : ranges) ranged.update(kind, 0.01f, theta_ranged, g, r);
            ASSERT_LT((theta_ranged - theta_whole).norm(), 1e-6f * theta_whole.norm())
                << "step " << step;
        }
        EXPECT_NE(theta_whole, theta) << "the parameters moved";
    }
}

// A training step on a pool (the gradient's products shared out by columns, each part
// updated as it is finished) is the batch's gradient followed by one optimiser step.
TEST(ParallelObjective, TrainingIsTheGradientThenOneOptimiserStep) {
    WorkerPool pool(3);
    for (auto [name, config] : zoo()) {
        for (OptimizerKind kind : {OptimizerKind::Momentum, OptimizerKind::Adam}) {
            SCOPED_TRACE(name + " " + to_string(kind));
            auto session = make_session(config);
            const int batch = config.knobs.batch;
            const Mat x = session->data().train_x.leftCols(batch);
            const Objective objective = Objective::from(config);
            Network reference = session->network(), trained = session->network();
            ParallelObjective by_parts, in_steps;
            Optimizer separate, fused;
            Vec grad_reference(reference.param_count()), grad_trained(trained.param_count());
            for (int step = 0; step < 2; ++step) {
                if (reference.kind() == ModelKind::Vae) {
                    FastRng rng(5 + step);
                    rng.fill_normal(by_parts.eps(reference, batch).data(), long(reference.latent()) * batch);
                    in_steps.eps(trained, batch) = by_parts.eps(reference, batch);
                }
                const Terms a = by_parts.evaluate_in_slices(&pool, 3, reference, x, x, objective,
                                                            grad_reference);
                separate.step(kind, 0.01f, reference.params(), grad_reference);
                const Terms b = in_steps.train_in_slices(&pool, 3, trained, x, x, objective,
                                                         grad_trained, {fused, kind, 0.01f});
                // From the same θ the same gradient, bit for bit; Adam's update of a range may
                // round differently from a whole pass (vector and scalar paths meet at other
                // places), so later steps agree to rounding.
                if (step == 0) {
                    EXPECT_EQ(a.total(), b.total());
                    EXPECT_EQ(grad_trained, grad_reference);
                }
                EXPECT_LT(relative(a.total(), b.total()), 1e-6) << "step " << step;
                EXPECT_LT((grad_trained - grad_reference).norm(), 1e-5f * grad_reference.norm())
                    << "step " << step;
                ASSERT_LT((trained.params() - reference.params()).norm(),
                          1e-6f * reference.params().norm())
                    << "step " << step;
            }
            EXPECT_NE(trained.params(), session->network().params()) << "the step moved θ";
        }
    }
}

// The evaluation's pieces, their noise and their sums do not depend on the thread count.
TEST(Evaluator, GivesTheSameResultOnAnyNumberOfThreads) {
    for (auto [name, config] : zoo()) {
        SCOPED_TRACE(name);
        config.knobs.noise = NoiseKind::Mask;
        auto session = make_session(config);
        for (int i = 0; i < 5; ++i) session->train_step();
        const Evaluation one = session->evaluate_test(session->as_trained());
        for (int threads : {2, 3}) {
            session->set_pool(std::make_shared<WorkerPool>(threads));
            const Evaluation many = session->evaluate_test(session->as_trained());
            EXPECT_EQ(many.terms.total(), one.terms.total()) << threads << " threads";
            EXPECT_EQ(many.mse_per_pixel, one.mse_per_pixel);
            EXPECT_EQ(many.jacobian_fro2, one.jacobian_fro2);
            EXPECT_EQ(many.p_hat, one.p_hat);
            EXPECT_EQ(many.mean_sigma, one.mean_sigma);
        }
        session->set_pool(nullptr);
    }
}

TEST(Threads, TheKeyTakesAutoOrANumberAndAutoLeavesTheWindowACore) {
    Config c;
    EXPECT_EQ(get_config_value(c, "threads"), "auto");
    EXPECT_FALSE(apply_setting(c, "threads=3"));
    EXPECT_EQ(c.threads, 3);
    EXPECT_EQ(resolve_threads(c, 16, true), 3) << "a number is taken as it is";
    for (const char* bad : {"threads=0", "threads=-2", "threads=257", "threads=two", "threads=1.5"}) {
        const auto error = apply_setting(c, bad);
        ASSERT_TRUE(error) << bad;
        EXPECT_NE(error->message.find("'threads'"), std::string::npos) << error->message;
    }
    EXPECT_FALSE(apply_setting(c, "threads=auto"));
    EXPECT_EQ(resolve_threads(c, 16, /*window=*/true), 15);
    EXPECT_EQ(resolve_threads(c, 16, /*window=*/false), 16);
    EXPECT_EQ(resolve_threads(c, 1, /*window=*/true), 1);
    EXPECT_GE(available_cores(), 1);
}

TEST(Threads, TheTrainerPublishesItsThreadsAndTrainsOnThem) {
    Config config = small_config();
    config.threads = 2;
    Trainer trainer(config, {}, /*start_running=*/false);
    trainer.send(commands::Step{5});
    auto s = trainer.wait_for([](const Snapshot& s) { return s.progress.step == 5 && !s.status.running; },
                              std::chrono::seconds(60));
    EXPECT_EQ(s->progress.step, 5);
    EXPECT_EQ(s->status.threads, 2);
    config.threads = 0;  // auto: every core but the window's
    trainer.send(commands::Rebuild{config});
    s = trainer.wait_for([](const Snapshot& s) { return s.config.threads == 0 && !s.status.loading; },
                         std::chrono::seconds(60));
    EXPECT_EQ(s->status.threads, std::max(1, available_cores() - 1));
}

TEST(Threads, HeadlessUsesEveryCoreAndTheMetricsSaySo) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("aelab_threads_" + std::to_string(::getpid()) + ".json");
    for (int threads : {0, 2}) {
        HeadlessOptions options;
        options.config = small_config();
        options.config.threads = threads;
        options.steps = 3;
        options.metrics_path = path.string();
        std::ostringstream out, err;
        ASSERT_EQ(run_headless(options, out, err), 0) << err.str();
        std::ifstream in(path);
        const nlohmann::json metrics = nlohmann::json::parse(in);
        EXPECT_EQ(metrics["threads"].get<int>(), threads == 0 ? available_cores() : threads);
        EXPECT_EQ(metrics["config"]["threads"], threads == 0 ? nlohmann::json("auto") : nlohmann::json(2));
    }
    std::filesystem::remove(path);
}
