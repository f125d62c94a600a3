#include "core/headless.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <new>
#include <ostream>

#include "core/atomic_file.h"
#include "core/export.h"
#include "core/metrics.h"
#include "core/run_file.h"
#include "core/run_history.h"
#include "core/session.h"

namespace aelab {

namespace {

RunState headless_state(const Session& s, const History& history, const HeadlessOptions& options) {
    RunState state = s.state();
    state.history = history;
    if (options.resume) state.log = options.resume->log;
    state.log.push_back("trained headless to step " + std::to_string(s.step()));
    return state;
}

// --export-weights, --export-curves, --export-codes: the first that fails, named.
std::optional<Error> write_exports(const HeadlessOptions& o, const Session& s, const History& h) {
    const auto named = [](const char* option, std::optional<Error> error) -> std::optional<Error> {
        if (error) error->message = std::string(option) + ": " + error->message;
        return error;
    };
    if (!o.export_weights.empty())
        if (auto e = named("--export-weights", export_weights(o.export_weights, s))) return e;
    if (!o.export_curves.empty())
        if (auto e = named("--export-curves", export_curves_file(o.export_curves, h))) return e;
    if (!o.export_codes.empty())
        if (auto e = named("--export-codes", export_codes_file(o.export_codes, s))) return e;
    return std::nullopt;
}

int run(const HeadlessOptions& options, std::ostream& out, std::ostream& err) {
    // Paths that cannot be written are found before the run, not after it.
    for (auto [option, path] : {std::pair{"--metrics", &options.metrics_path},
                                std::pair{"--save", &options.save_path},
                                std::pair{"--export-weights", &options.export_weights},
                                std::pair{"--export-curves", &options.export_curves},
                                std::pair{"--export-codes", &options.export_codes}})
        if (!path->empty())
            if (auto error = check_can_write(*path)) {
                err << "aelab: " << option << ": " << error->message << "\n";
                return 2;
            }
    auto data = load_dataset(options.config.dataset);
    if (!data) {
        err << "aelab: " << data.error() << "\n";
        return 2;
    }
    if (!(*data)->notice.empty()) err << "aelab: " << (*data)->notice << "\n";
    auto prepared = prepare_dataset(*data, options.config);
    if (!prepared) {
        err << "aelab: " << prepared.error() << "\n";
        return 2;
    }
    auto session = options.resume ? Session::resume(*options.resume, *prepared)
                                  : Session::create(options.config, *prepared);
    if (!session) {
        err << "aelab: " << session.error() << "\n";
        return 2;
    }
    Session& s = **session;
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
    if (auto error = write_exports(options, s, history)) {
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
