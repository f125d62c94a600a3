// How fast could one training step be if it were nothing but its matrix products? Records
// the shape of every product one step of the reference autoencoder (784-256-32-256-784,
// batch 256 by default) hands the BLAS library, then times exactly those products alone on
// one thread. samples/s at that time is the ceiling any implementation on the same BLAS
// reaches, PyTorch's included: compare it with bench_training's ae_b256 (issue 23's
// one-thread ratio).
// Usage: gemm_ceiling [batch]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/base/gemm.h"
#include "core/run/session.h"

using namespace aelab;

namespace {

struct Shape {
    Op op_a, op_b;
    long m, n, k;
};
std::vector<Shape> g_shapes;  // the observer is a plain function pointer: a file-level list
bool g_recording = false;

void record(Op op_a, Op op_b, long m, long n, long k) {
    if (g_recording) g_shapes.push_back({op_a, op_b, m, n, k});
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

int main(int argc, char** argv) {
    const int batch = argc > 1 ? std::clamp(std::atoi(argv[1]), 1, 4096) : 256;
    Config c;
    c.hidden = {256, 32};
    c.encoder_act = c.decoder_act = Activation::Sigmoid;
    c.loss = LossKind::Mse;
    c.knobs.optimizer = OptimizerKind::Momentum;
    c.knobs.lr = 0.01f;
    c.knobs.batch = batch;
    auto data = make_synthetic("shapes");
    auto session = Session::create(c, *prepare_dataset(data, c));
    if (!session) {
        std::fprintf(stderr, "gemm_ceiling: %s\n", session.error().c_str());
        return 2;
    }
    Session& s = **session;
    for (int i = 0; i < 20; ++i) s.train_step();
    set_blas_call_observer(record);
    g_recording = true;
    s.train_step();
    g_recording = false;
    set_blas_call_observer(nullptr);

    // The whole step, timed the same way, for the share the products take.
    auto t = std::chrono::steady_clock::now();
    int steps = 0;
    while (seconds_since(t) < 3) s.train_step(), ++steps;
    const double step_seconds = seconds_since(t) / steps;

    double flops = 0;
    for (const Shape& p : g_shapes) flops += 2.0 * double(p.m) * double(p.n) * double(p.k);
    std::vector<Mat> a, b, out;
    for (const Shape& p : g_shapes) {
        a.push_back(Mat::Random(p.op_a == Op::N ? p.m : p.k, p.op_a == Op::N ? p.k : p.m));
        b.push_back(Mat::Random(p.op_b == Op::N ? p.k : p.n, p.op_b == Op::N ? p.n : p.k));
        out.push_back(Mat::Zero(p.m, p.n));
    }
    const auto products = [&] {
        for (size_t i = 0; i < g_shapes.size(); ++i)
            gemm(1.0f, a[i], g_shapes[i].op_a, b[i], g_shapes[i].op_b, 0.0f, out[i]);
    };
    for (int i = 0; i < 20; ++i) products();
    t = std::chrono::steady_clock::now();
    int rounds = 0;
    while (seconds_since(t) < 3) products(), ++rounds;
    const double products_seconds = seconds_since(t) / rounds;

    std::printf("batch %d on %s: %zu products, %.2f MFLOP a step; products alone %.1f GFLOP/s, "
                "a ceiling of %.0f samples/s; the whole step %.0f samples/s (%.0f %% of the step "
                "is products)\n",
                batch, gemm_kernel_name(), g_shapes.size(), flops / 1e6, flops / products_seconds / 1e9,
                batch / products_seconds, batch / step_seconds, 100 * products_seconds / step_seconds);
    return 0;
}
