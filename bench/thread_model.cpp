// The numbers behind the README's estimate for 8 and 16 cores (issue 23), all measured on
// this machine. A step on n threads is modelled as
//     T(n) = S + P(n)/n + o
// S: the step's serial part (the batch gathered, the p̂ average; T(1) − P(1));
// P(n): the work of the batch cut into n slices, run one after another on one thread (the
//       sweeps of each slice, then the gradient's products and the update in n parts), so
//       the cost of smaller products and of more parts is measured, not assumed;
// o: what a dispatch to the pool costs, from the measured T(cores) (0 on a 1-core machine).
// Assumed: the slices run side by side at one thread's speed (no shared cache or memory
// bandwidth limit, no clock drop with all cores busy) and o does not grow with n.
// Usage: thread_model [batch]   (the reference autoencoder 784-256-32-256-784, SGD momentum)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "core/base/worker_pool.h"
#include "core/model/optimizer.h"
#include "core/model/parallel_objective.h"
#include "core/run/session.h"

using namespace aelab;

namespace {

template <typename F>
double seconds_per_call(F&& f, double budget = 2.0) {
    for (int i = 0; i < 10; ++i) f();
    const auto start = std::chrono::steady_clock::now();
    int calls = 0;
    double spent = 0;
    while (spent < budget) {
        f(), ++calls;
        spent = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    return spent / calls;
}

Config reference(int batch) {
    Config c;
    c.hidden = {256, 32};
    c.encoder_act = c.decoder_act = Activation::Sigmoid;
    c.loss = LossKind::Mse;
    c.knobs.optimizer = OptimizerKind::Momentum;
    c.knobs.lr = 0.01f;
    c.knobs.batch = batch;
    return c;
}

}  // namespace

int main(int argc, char** argv) {
    const int batch = argc > 1 ? std::clamp(std::atoi(argv[1]), 16, 4096) : 256;
    const Config config = reference(batch);
    auto data = make_synthetic("shapes");
    auto prepared = prepare_dataset(data, config);
    if (!prepared) {
        std::fprintf(stderr, "thread_model: %s\n", prepared.error().c_str());
        return 2;
    }
    auto made = Session::create(config, *prepared);
    if (!made) {
        std::fprintf(stderr, "thread_model: %s\n", made.error().c_str());
        return 2;
    }
    Session& session = **made;
    const double t1 = seconds_per_call([&] { session.train_step(); });
    const int cores = available_cores();
    double tn = t1;
    if (cores > 1) {
        session.set_pool(std::make_shared<WorkerPool>(cores));
        tn = seconds_per_call([&] { session.train_step(); });
    }

    // P(n): a copy of the network, the batch cut into n slices run one after another.
    Network network = session.network();
    const Objective objective = Objective::from(config);
    const Mat input = (*prepared)->train_x.leftCols(batch);
    Optimizer optimizer;
    Vec grad = Vec::Zero(network.params().size());
    const auto work = [&](int slices) {
        ParallelObjective cut;
        return seconds_per_call([&] {
            cut.train_in_slices(nullptr, slices, network, input, input, objective, grad,
                                {optimizer, OptimizerKind::Momentum, 0.0f});
        });
    };
    const double p1 = work(1);
    const double serial = std::max(0.0, t1 - p1);
    const double pc = cores > 1 ? work(cores) : p1;
    const double dispatch = cores > 1 ? std::max(0.0, tn - serial - pc / cores) : 0.0;
    std::printf("batch %d: T(1) %.3f ms, serial part S %.3f ms, dispatch o %.3f ms (from T(%d) "
                "%.3f ms)\n",
                batch, 1e3 * t1, 1e3 * serial, 1e3 * dispatch, cores, 1e3 * tn);
    std::printf("threads  P(n) ms  predicted T(n) ms  speed-up  samples/s%s\n",
                cores > 1 ? "  (measured)" : "");
    for (int n : {1, 2, 4, 8, 16}) {
        if (batch / n < ParallelObjective::kMinSliceSamples) break;
        const double pn = n == 1 ? p1 : n == cores ? pc : work(n);
        const double predicted = n == 1 ? t1 : serial + pn / n + dispatch;
        std::printf("%7d  %7.3f  %17.3f  %7.2fx  %9.0f", n, 1e3 * pn, 1e3 * predicted, t1 / predicted,
                    batch / predicted);
        if (n == cores && n > 1) std::printf("  (%.0f)", batch / tn);
        std::printf("\n");
    }
    return 0;
}
