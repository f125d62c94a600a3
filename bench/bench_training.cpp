// Training throughput of the models bench/torch_ref.py (in ../shared/bench) trains in
// PyTorch, with the same shapes, losses, penalties and optimiser (SGD, momentum 0.9), on one
// thread and on every core (argument threads:N; AELAB_BENCH_THREADS=1,4,8 picks others). Run
// through bench/compare_torch so both are measured in the same minute.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "core/base/gemm.h"
#include "core/run/session.h"
#include "core/run/timeline.h"

using namespace aelab;

namespace {

std::shared_ptr<const Dataset> data() {
    static std::shared_ptr<const Dataset> loaded = [] {
        auto d = load_dataset("fashion-mnist");  // falls back to the built-in shapes
        return d ? *d : make_synthetic("shapes");
    }();
    return loaded;
}

Config reference_config(int batch) {
    Config c;
    c.hidden = {256, 32};
    c.encoder_act = c.decoder_act = Activation::Sigmoid;
    c.loss = LossKind::Mse;
    c.knobs.optimizer = OptimizerKind::Momentum;
    c.knobs.lr = 0.01f;
    c.knobs.batch = batch;
    return c;
}

// With `timeline`, checkpoints are taken as the trainer takes them (core/timeline.h, default
// budget): the pairs below measure what that costs, side by side in one run.
void train(benchmark::State& state, const Config& config, bool timeline = false) {
    auto session = Session::create(config, *prepare_dataset(data(), config));
    if (!session) {
        state.SkipWithError(session.error().c_str());
        return;
    }
    Session& s = **session;
    const int threads = int(state.range(0));
    if (threads > 1) s.set_pool(std::make_shared<WorkerPool>(threads));
    for (int i = 0; i < 20; ++i) s.train_step();  // warm: buffers and caches
    Timeline checkpoints;
    if (timeline) checkpoints.record(s);
    const int64_t start = s.samples_seen();
    for (auto _ : state) {
        benchmark::DoNotOptimize(s.train_step().total());
        if (timeline && checkpoints.wants(s.step())) checkpoints.record(s);
    }
    if (timeline) {
        state.counters["checkpoints"] = checkpoints.count();
        state.counters["min_stride"] = double(checkpoints.min_stride());
    }
    state.counters["samples/s"] =
        benchmark::Counter(double(s.samples_seen() - start), benchmark::Counter::kIsRate);
    state.counters["slices"] = ParallelObjective::slices_for(s.network(), config.knobs.batch, threads);
    state.SetLabel(data()->name + ", " + gemm_backend_name());
}

void ae_b64(benchmark::State& state) {
    train(state, reference_config(64));
}
void ae_b256(benchmark::State& state) {
    train(state, reference_config(256));
}

void dae_l2(benchmark::State& state) {
    Config c = reference_config(64);
    c.knobs.noise = NoiseKind::Gaussian;
    c.knobs.noise_level = 0.3f;
    c.knobs.l2 = 1e-4f;
    train(state, c);
}

void sparse(benchmark::State& state) {
    Config c = reference_config(64);
    c.hidden = {196};
    c.knobs.sparsity = SparsityKind::Kl;
    c.knobs.sparsity_p = 0.05f;
    c.knobs.sparsity_beta = 3.0f;
    train(state, c);
}

void contractive(benchmark::State& state) {
    Config c = reference_config(64);
    c.hidden = {256};
    c.knobs.contractive = 0.1f;
    train(state, c);
}

void vae(benchmark::State& state) {
    Config c = reference_config(64);
    c.model = ModelKind::Vae;
    c.hidden = {512};
    c.latent = 2;
    c.encoder_act = Activation::Relu;
    c.loss = LossKind::Bce;
    c.knobs.lr = 0.001f;
    train(state, c);
}

// The timeline's cost: the default model, and a 1,000-unit one (each checkpoint 12.6 MB),
// each with and without checkpoints.
void ae_b64_checkpoints(benchmark::State& state) {
    train(state, reference_config(64), /*timeline=*/true);
}
Config wide_config() {
    Config c = reference_config(64);
    c.hidden = {1000};
    return c;
}
void wide_1000(benchmark::State& state) {
    train(state, wide_config());
}
void wide_1000_checkpoints(benchmark::State& state) {
    train(state, wide_config(), /*timeline=*/true);
}

// The full test set through the default model, as the metrics and the views need it.
void full_test_forward(benchmark::State& state) {
    Config c = reference_config(64);
    auto session = Session::create(c, *prepare_dataset(data(), c));
    Session& s = **session;
    if (state.range(0) > 1) s.set_pool(std::make_shared<WorkerPool>(int(state.range(0))));
    s.evaluate_test_set();
    for (auto _ : state) benchmark::DoNotOptimize(s.evaluate_test_set().mse_per_pixel);
}

// The thread counts measured: 1 and every core, or AELAB_BENCH_THREADS ("1,2,4").
std::vector<int64_t> thread_counts() {
    std::vector<int64_t> counts;
    if (const char* asked = std::getenv("AELAB_BENCH_THREADS")) {
        std::stringstream list(asked);
        for (std::string item; std::getline(list, item, ',');)
            if (const int n = std::atoi(item.c_str()); n >= 1 && n <= kMaxThreads) counts.push_back(n);
    }
    if (counts.empty()) {
        counts.push_back(1);
        if (available_cores() > 1) counts.push_back(available_cores());
    }
    return counts;
}

void with_threads(benchmark::internal::Benchmark* b) {
    b->ArgName("threads");
    for (int64_t n : thread_counts()) b->Arg(n);
}

}  // namespace

BENCHMARK(ae_b64)->Apply(with_threads)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(ae_b256)->Apply(with_threads)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(dae_l2)->Apply(with_threads)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(sparse)->Apply(with_threads)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(contractive)->Apply(with_threads)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(vae)->Apply(with_threads)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(ae_b64_checkpoints)->Arg(1)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(wide_1000)->Arg(1)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(wide_1000_checkpoints)->Arg(1)->MinTime(2.0)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(full_test_forward)->Apply(with_threads)->MinTime(1.0)->Unit(benchmark::kMillisecond)->UseRealTime();

BENCHMARK_MAIN();
