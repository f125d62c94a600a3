// aelab's entry point: parse the command line, then either train headless or open the
// window with the trainer thread behind it. Wiring only; the work is in core/ and the panels.
#include <malloc.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "app/cli.h"
#include "app/gl/colormap_images.h"
#include "app/gl/window.h"
#include "app/ui_app.h"
#include "core/lessons/lesson_check.h"
#include "core/trainer/headless.h"
#include "core/trainer/trainer.h"

int main(int argc, char** argv) {
    // glibc raises its mmap threshold to the largest block freed (up to 32 MB): after the data
    // set's load buffers go, every checkpoint (~5 MB), weight copy and llvmpipe texture comes
    // from the heaps and stays resident when freed. A fixed 1 MiB threshold gives big blocks
    // back on free; storm (seed 7) peak: see issue 19's commit. A user's MALLOC_* wins.
    if (!std::getenv("MALLOC_MMAP_THRESHOLD_")) mallopt(M_MMAP_THRESHOLD, 1 << 20);
    const ParseResult parsed = parse_command_line(argc, argv);
    if (!parsed.options) return parsed.exit_code;
    const AppOptions& options = *parsed.options;

    if (options.headless && options.check_lesson) {
        aelab::CheckRuns runs;
        runs.use_threads(options.config.threads);  // --set threads=N, the one key a check takes
        auto result = aelab::run_lesson_check(*options.lesson, std::cerr, runs);
        if (!result) {
            std::cerr << "aelab: " << result.error() << "\n";
            return 2;
        }
        std::cout << result->line << "\n";
        return result->passed ? 0 : 1;
    }
    if (options.headless) {
        aelab::HeadlessOptions headless{options.config,   options.steps,
                                        options.metrics_path, options.open_run,
                                        options.save_path,    options.exports};
        return aelab::run_headless(headless, std::cout, std::cerr);
    }

    // Mesa's software renderer (llvmpipe: Xvfb, VMs) otherwise rasterises on a thread per
    // core and takes the trainer's core; drawing on the GUI thread keeps training within a
    // few percent of headless. Real GPU drivers ignore it; a user's own setting wins.
    setenv("LP_NUM_THREADS", "0", /*overwrite=*/0);
    auto window = Window::open(options.width, options.height, "aelab — autoencoder laboratory");
    if (!window) {
        std::cerr << "aelab: " << window.error() << "\n";
        return 2;
    }
    auto images = ColormapImages::create();
    if (!images) {
        std::cerr << "aelab: " << images.error() << "\n";
        return 2;
    }

    int exit_code = 0;
    std::filesystem::path autosave;
    {
        // --steps N (and --screenshot) train exactly N steps, then pause.
        const bool step_limited = options.steps >= 0;
        aelab::Trainer trainer(options.config, &Window::wake,
                               !options.start_paused && !step_limited);
        trainer.send(aelab::commands::CheckpointBudget{
            size_t(options.checkpoint_budget_mb * 1e6)});
        // A recording's test curve has a point every frame, not as often as the clock allows:
        // frame n is then the same in two runs of the same training.
        if (!options.record.path.empty())
            trainer.send(aelab::commands::TestEvery{options.record.every});
        if (options.open_run)
            trainer.send(aelab::commands::Resume{options.open_run, options.open_path});
        if (step_limited && options.steps > 0)
            trainer.send(aelab::commands::Step{int(options.steps)});

        UiApp app(**window, trainer, **images, options);
        exit_code = app.run();
        autosave = app.autosave_path();
    }  // the trainer's writer finishes what it was asked to write
    std::error_code ec;
    if (!autosave.empty()) std::filesystem::remove(autosave, ec);  // quit cleanly: nothing to recover
    return exit_code;
}
