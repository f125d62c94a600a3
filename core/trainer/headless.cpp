#include "core/trainer/headless.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <ostream>

#include "core/base/atomic_file.h"
#include "core/files/export.h"
#include "core/files/image_grid.h"
#include "core/files/run_file.h"
#include "core/run/ready_run.h"
#include "core/run/run_history.h"
#include "core/run/session.h"
#include "core/views/metrics.h"

namespace aelab {

namespace {

RunState headless_state(const Session& s, const History& history, const HeadlessOptions& options) {
    RunState state = s.state();
    state.history = history;
    if (options.resume) state.log = options.resume->log;
    state.log.push_back("trained headless to step " + std::to_string(s.step()));
    return state;
}

// Every --export-…: the first that fails, named.
std::optional<Error> write_exports(const ExportPaths& paths, Session& s, const History& h) {
    const auto named = [](const char* option, std::optional<Error> error) -> std::optional<Error> {
        if (error) error->message = std::string(option) + ": " + error->message;
        return error;
    };
    const std::optional<Error> none;
    const auto& p = paths;
    for (auto error :
         {p.weights.empty() ? none : named("--export-weights", export_weights(p.weights, s)),
          p.curves.empty() ? none : named("--export-curves", export_curves_file(p.curves, h)),
          p.codes.empty() ? none : named("--export-codes", export_codes_file(p.codes, s)),
          p.probes_png.empty() ? none
                               : named("--export-probes-png", export_probes_png(p.probes_png, s)),
          p.filters_png.empty()
              ? none
              : named("--export-filters-png", export_filters_png(p.filters_png, s))})
        if (error) return error;
    return std::nullopt;
}

}  // namespace

std::vector<std::pair<const char*, const std::string*>> ExportPaths::by_option() const {
    return {{"--export-weights", &weights},
            {"--export-curves", &curves},
            {"--export-codes", &codes},
            {"--export-probes-png", &probes_png},
            {"--export-filters-png", &filters_png}};
}

namespace {

int run(const HeadlessOptions& options, std::ostream& out, std::ostream& err) {
    // Paths that cannot be written are found before the run, not after it.
    auto written = options.exports.by_option();
    written.insert(written.begin(), {{"--metrics", &options.metrics_path},
                                     {"--save", &options.save_path}});
    for (auto [option, path] : written)
        if (!path->empty())
            if (auto error = check_can_write(*path)) {
                err << "aelab: " << option << ": " << error->message << "\n";
                return 2;
            }
    // The data set's notice (a fallback to built-in data) is said as soon as it is loaded.
    const DatasetLoader load = [&](const std::string& name) {
        auto data = load_dataset(name);
        if (data && !(*data)->notice.empty()) err << "aelab: " << (*data)->notice << "\n";
        return data;
    };
    auto ready = prepare_run(options.config, options.resume.get(), load);
    if (!ready) {
        err << "aelab: " << ready.error() << "\n";
        return 2;
    }
    Session& s = *ready->session;
    // No window to leave a core for: every core trains, unless the config says how many.
    s.set_pool(std::make_shared<WorkerPool>(resolve_threads(s.config(), available_cores(),
                                                            /*window=*/false)));
    // The curves, as the window records them (its test points come on a clock; here 64 evenly
    // spaced ones), so a run saved here opens in the window with its history.
    History history = options.resume ? options.resume->history : History{};
    const int64_t test_every = std::max<int64_t>(1, options.steps / 64);
    int exit_code = 0;
    for (int64_t i = 0; i < options.steps; ++i) {
        const Terms& terms = s.train_step();
        record_train_step(history, s.step(), terms);
        const double loss = terms.total();
        if ((i + 1) % test_every == 0 || i + 1 == options.steps) record_test_point(s, history);
        if (!std::isfinite(loss)) {
            err << "aelab: the loss became " << (std::isnan(loss) ? "NaN" : "infinite")
                << " at step " << s.step() << "; stopping (lower the learning rate)\n";
            exit_code = 1;
            break;
        }
    }
    const nlohmann::json metrics = collect_metrics(s);
    char line[512];
    std::snprintf(line, sizeof line,
                  "aelab: %lld steps (%.2f epochs) on %s, %.0f samples/s; train loss %.4g, "
                  "test loss %.4g, test mse %.4f per pixel",
                  (long long)s.step(), metrics["epochs"].get<double>(), s.data().name.c_str(),
                  metrics["samples_per_second"].get<double>(), metrics["train_loss"].get<double>(),
                  metrics["test_loss"].get<double>(), metrics["test_mse"].get<double>());
    out << line << "\n";
    if (!options.save_path.empty())
        if (auto error = save_run(options.save_path, headless_state(s, history, options))) {
            err << "aelab: --save: " << error->message << "\n";
            return 2;
        }
    if (auto error = write_exports(options.exports, s, history)) {
        err << "aelab: " << error->message << "\n";
        return 2;
    }
    if (!options.metrics_path.empty()) {
        if (auto error = write_file_atomically(options.metrics_path, metrics.dump(2) + "\n")) {
            err << "aelab: " << error->message << "\n";
            return 2;
        }
    }
    return exit_code;
}

}  // namespace

int run_headless(const HeadlessOptions& options, std::ostream& out, std::ostream& err) {
    // Whatever throws (std::bad_alloc included) is bad input for this machine: a message and
    // exit code 2, never std::terminate.
    try {
        return run(options, out, err);
    } catch (const std::bad_alloc&) {
        err << "aelab: out of memory: the model or the data does not fit; choose smaller layers "
               "or a smaller training set\n";
    } catch (const std::exception& e) {
        err << "aelab: " << e.what() << "\n";
    }
    return 2;
}

}  // namespace aelab
