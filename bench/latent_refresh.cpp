// How often the Latent space panel's 10,000-point scatter is refreshed while the default VAE
// trains, and what the open panel costs training: the trainer thread as the window runs it
// (with the Filters panel, open by default, sharing the views' budget), the latent view's
// request active or not, back to back. Prints the seconds between completed refreshes (the
// figure the panel prints), one pass's cost on the trainer, and wall-clock samples/s.
// Usage: latent_refresh [seconds per run] [threads]   (threads: 0 = the window's auto)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/trainer/trainer.h"
#include "core/views/filters_view.h"
#include "core/views/latent.h"

using namespace aelab;
using Clock = std::chrono::steady_clock;

namespace {

struct Result {
    double samples_per_second = 0;  // wall clock, views included
    std::vector<double> intervals;  // seconds between completed refreshes
    double pass_seconds = 0;        // the last pass's cost on the trainer
    int threads = 0;
};

Result measure(const Config& config, bool latent_open, double seconds) {
    Trainer trainer(config, {}, /*start_running=*/true);
    auto filters = std::make_shared<FiltersRequest>();
    filters->active = true;
    trainer.set_view_request(ViewId::Filters, filters);
    if (latent_open) {
        auto latent = std::make_shared<LatentRequest>();
        latent->active = true;
        trainer.set_view_request(ViewId::Latent, latent);
    }
    // Warm: the data loaded, a first whole pass done, a few hundred steps trained.
    trainer.wait_for([](const Snapshot& s) { return !s.status.loading && s.progress.step > 300; },
                     std::chrono::seconds(120));
    Result r;
    const auto start = Clock::now();
    auto s = trainer.latest();
    const int64_t first_samples = s->progress.samples_seen;
    uint64_t passes = 0;
    std::vector<Clock::time_point> completed;  // when a new pass was seen
    while (Clock::now() - start < std::chrono::duration<double>(seconds)) {
        const uint64_t seen = s->version;
        s = trainer.wait_for([&](const Snapshot& n) { return n.version != seen; },
                             std::chrono::seconds(5));
        r.threads = s->status.threads;
        const auto* view = s->view<LatentView>(ViewId::Latent);
        if (!view || view->codes_passes == passes) continue;
        if (passes != 0) completed.push_back(Clock::now());  // the first seen predates the run
        passes = view->codes_passes;
        r.pass_seconds = view->codes_seconds;
    }
    for (size_t i = 1; i < completed.size(); ++i)
        r.intervals.push_back(std::chrono::duration<double>(completed[i] - completed[i - 1]).count());
    const double wall = std::chrono::duration<double>(Clock::now() - start).count();
    r.samples_per_second = double(trainer.latest()->progress.samples_seen - first_samples) / wall;
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    const double seconds = argc > 1 ? std::atof(argv[1]) : 15;
    Config config;
    config.model = ModelKind::Vae;
    adopt_model_kind(config, ModelKind::Autoencoder);  // the window's VAE: 784-512-2, ReLU
    config.threads = argc > 2 ? std::atoi(argv[2]) : 0;
    const Result closed = measure(config, false, seconds);
    const Result open = measure(config, true, seconds);
    std::vector<double> sorted = open.intervals;
    std::sort(sorted.begin(), sorted.end());
    const double median = sorted.empty() ? 0 : sorted[sorted.size() / 2];
    const double worst = sorted.empty() ? 0 : sorted.back();
    std::printf("latent refresh of the default VAE on %d threads: every %.2f s (median of %zu; "
                "longest %.2f s), a pass costing the trainer %.0f ms; training %.0f samples/s "
                "with the panel open, %.0f closed (%.3f)\n",
                open.threads, median, sorted.size(), worst, open.pass_seconds * 1e3,
                open.samples_per_second, closed.samples_per_second,
                open.samples_per_second / std::max(1.0, closed.samples_per_second));
    return 0;
}
