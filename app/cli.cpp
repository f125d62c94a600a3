#include "app/cli.h"

#include <CLI/CLI.hpp>

#include "app/panels/panels.h"
#include "core/files/run_file.h"

#include <charconv>
#include <cstdio>
#include <iostream>

using namespace aelab;

namespace {

constexpr long long kMaxSteps = 1000000000;
// A window larger than 8K is refused here rather than by the X server (an X error, exit 1).
constexpr int kMinWidth = 320, kMinHeight = 240, kMaxWidth = 7680, kMaxHeight = 4320;

// A value quoted in a message, cut short: a 300-digit number is not repeated whole.
std::string shorten(const std::string& text) {
    return text.size() <= 24 ? text : text.substr(0, 20) + "…";
}

std::string keys_help() {
    std::string text =
        "\nConfig keys (--set key=value; the same keys go in lesson and session files):\n";
    for (const ConfigKey& key : config_keys()) {
        char line[512];
        std::snprintf(line, sizeof line,
                      "  %-14s default %-14s %s%s\n                 allowed: %s\n", key.name,
                      key.default_value, key.help, key.live ? " [live]" : "", key.allowed.c_str());
        text += line;
    }
    text +=
        "\n[live] keys act on the running model from the next mini-batch; the others rebuild it.\n"
        "Examples:\n"
        "  aelab                                   window, Fashion-MNIST, 784-256-32-256-784\n"
        "  aelab --headless --steps 3000 --metrics m.json --set hidden=128 --set lr=0.002\n"
        "  aelab --headless --steps 20000 --save class.aelab   train overnight, keep the run\n"
        "  aelab --headless --open class.aelab --steps 0 --export-weights w.npz   weights for PyTorch\n"
        "  aelab class.aelab                       open it in the window, where it stopped\n"
        "  aelab --steps 500 --screenshot shot.png  train 500 steps in the window, save, exit\n";
    return text;
}

// A decimal whole number in [lo, hi] ("010" is ten; "0x10", "-3" and "1e3" are not).
std::optional<int64_t> whole_number(const std::string& text, int64_t lo, int64_t hi) {
    long long n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size() || n < lo || n > hi) return std::nullopt;
    return n;
}

bool is_panel_name(const std::string& name) {
    for (const char* panel : panel_names())
        if (name == panel) return true;
    return false;
}

// The first panel a lesson or one of its steps names that does not exist, as an error.
std::optional<std::string> unknown_panel(const Lesson& lesson) {
    for (const std::string& panel : lesson.panels)
        if (!is_panel_name(panel)) return lesson.path + ": panels: no panel named '" + panel + "'";
    for (size_t i = 0; i < lesson.steps.size(); ++i)
        for (const std::string& panel : lesson.steps[i].panels)
            if (!is_panel_name(panel))
                return lesson.path + ": steps[" + std::to_string(i) + "].panels: no panel named '" + panel + "'";
    return std::nullopt;
}

void add_record_options(CLI::App& app, RecordSettings& record, std::string& every,
                        std::string& frames, bool& no_stamp) {
    app.add_option("--record", record.path,
                   "Open the window, train --steps N (default 0), then record --record-frames "
                   "frames --record-every steps apart into this animated GIF (or, without .gif, "
                   "a folder of numbered PNGs), exit");
    app.add_option("--record-panel", record.panel, "Record only this panel (e.g. \"Loss curves\")");
    app.add_option("--record-every", every, "Steps between recorded frames, 1 to 1000000 (default 10)");
    app.add_option("--record-frames", frames, "Frames to record, 1 to 100000 (default 30)");
    app.add_option("--record-scale", record.scale, "1 or 2 (sharper, for slides)")->check(CLI::IsMember({1, 2}));
    app.add_flag("--record-no-stamp", no_stamp, "Leave the step out of the frames' corner");
}

// The --record options, checked and put in `options.record`; the error names the option.
std::optional<std::string> check_record_options(AppOptions& options, const std::string& every,
                                                const std::string& frames, bool no_stamp) {
    RecordSettings& record = options.record;
    if (record.path.empty()) {
        if (!record.panel.empty() || !every.empty() || !frames.empty() || no_stamp || record.scale != 1)
            return "--record-panel, --record-every, --record-frames, --record-scale and "
                   "--record-no-stamp go with --record OUT";
        return std::nullopt;
    }
    if (options.headless) return "--record needs the window; leave out --headless";
    if (!options.screenshot_path.empty() || options.audit_layout)
        return "--record ends the run itself; leave out --screenshot and --audit-layout";
    if (!record.panel.empty() && !is_panel_name(record.panel))
        return "--record-panel: no panel named '" + record.panel + "'";
    record.every = 10;
    record.frames = 30;
    if (!every.empty()) {
        const auto n = whole_number(every, 1, 1000000);
        if (!n) return "--record-every: '" + shorten(every) + "' is not a whole number from 1 to 1000000";
        record.every = int(*n);
    }
    if (!frames.empty()) {
        const auto n = whole_number(frames, 1, 100000);
        if (!n) return "--record-frames: '" + shorten(frames) + "' is not a whole number from 1 to 100000";
        record.frames = int(*n);
    }
    record.stamp_step = !no_stamp;
    if (options.steps < 0) options.steps = 0;  // the trainer starts paused; the recording steps it
    return std::nullopt;
}

}  // namespace

ParseResult parse_command_line(int argc, char** argv) {
    AppOptions options;
    CLI::App app{"aelab — a laboratory for autoencoders: watch one learn, live.", "aelab"};
    std::vector<std::string> settings;
    std::string data_folder, size, steps;
    app.add_flag("--headless", options.headless, "Train without a window; print a summary");
    app.add_option("--steps", steps,
                   "Train N mini-batches, 0 to 1000000000 (headless: then exit, default 1000; "
                   "window: then pause)");
    app.add_option("--set", settings, "Set a config key: --set key=value (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--data", data_folder,
                   "A folder of MNIST-format IDX files (= --set dataset=DIR)");
    app.add_option("--metrics", options.metrics_path, "Headless: write the metrics JSON here");
    std::string& open_path = options.open_path;
    app.add_option("--open,run", open_path,
                   "Continue a saved run (.aelab): its config, weights, optimiser and random "
                   "state; --set changes knobs from there");
    app.add_option("--save", options.save_path,
                   "Headless: save the run here at the end (.aelab; atomic)");
    app.add_option("--export-weights", options.exports.weights,
                   "Headless: the weights as .npz, named as PyTorch's nn.Linear names them");
    app.add_option("--export-curves", options.exports.curves,
                   "Headless: the loss curves and knob markers, .csv (or .json: the history)");
    app.add_option("--export-codes", options.exports.codes,
                   "Headless: the test set's codes with labels, .npz or .csv");
    app.add_option("--export-probes-png", options.exports.probes_png,
                   "Headless: the probe images and their reconstructions as a PNG grid, one "
                   "image pixel per PNG pixel (for papers)");
    app.add_option("--export-filters-png", options.exports.filters_png,
                   "Headless: the first layer's filters as a PNG grid at native pixel size");
    app.add_option("--autosave-seconds", options.autosave_seconds,
                   "Window: copy an unsaved run to $XDG_DATA_HOME/aelab this often, offered "
                   "after a crash (default 180; 0 = never)")
        ->check(CLI::Range(0.0, 86400.0));
    app.add_option("--checkpoint-budget-mb", options.checkpoint_budget_mb,
                   "Window: memory for the timeline's checkpoints, in MB (default 256); the "
                   "number kept adapts to the model's size")
        ->check(CLI::Range(1.0, 1e6));
    app.add_flag("--frame-stats", options.frame_stats,
                 "Window: at exit, print the longest frame, overall and while a run file was "
                 "being written");
    app.add_option("--screenshot", options.screenshot_path,
                   "Open the window, train --steps N, save the window as PNG here, exit");
    app.add_option("--screenshot-scale", options.screenshot_scale, "1 or 2 (sharper, for slides)")
        ->check(CLI::IsMember({1, 2}));
    app.add_option("--screenshot-panel", options.screenshot_panel,
                   "Save only this panel (e.g. \"Loss curves\")");
    std::string record_every, record_frames;
    bool record_no_stamp = false;
    add_record_options(app, options.record, record_every, record_frames, record_no_stamp);
    app.add_flag("--paused", options.start_paused, "Open the window paused");
    app.add_flag("--presenter", options.presenter,
                 "Open the presenter window too (a second monitor when there is one); with "
                 "--screenshot NAME.png it is saved as NAME.presenter.png");
    app.add_option("--size", size, "Window size WIDTHxHEIGHT (default 1600x900)");
    app.add_flag("--dark", options.dark_theme, "Dark theme");
    bool large_text = false;
    app.add_flag("--large-text", large_text, "Larger text, for a projector (= --zoom 130)");
    std::string zoom;
    app.add_option("--zoom", zoom, "Text, spacing and images at PERCENT, 80 to 200 (default 100)");
    std::string lesson_name;
    bool list_lessons = false;
    app.add_option("--lesson", lesson_name,
                   "Open a lesson (its name, a unique prefix such as 03, or a .json file); with "
                   "--check, run its check");
    app.add_flag("--check", options.check_lesson,
                 "With --lesson: run the lesson's check headless, print one line, exit 0 "
                 "(it holds) or 1 (it does not); 2 for a lesson file that does not load");
    bool sabotage = false;
    app.add_flag("--sabotage", sabotage,
                 "With --check: then run each sabotage the lesson declares (its claimed effect "
                 "taken from one run), a line each, and exit 0 only if the claim holds and "
                 "every sabotage makes the check fail where the lesson says");
    app.add_flag("--list-lessons", list_lessons, "List the lessons and exit");
    std::string lesson_step;
    app.add_option("--lesson-step", lesson_step, "With --lesson: open it at step N (1 = the first)");
    app.add_flag("--audit-layout", options.audit_layout,
                 "Open the window and show every step of --lesson (or the default run) at "
                 "1280x720 with 130 % zoom and 1920x1080 at 100 %, light and dark, each after "
                 "--steps N training steps (default 30); print every text cut off or "
                 "overlapping, image tile under 48 px, plot under 240x160 px and legend over "
                 "data; exit 0 when there is none, 1 otherwise");
    app.footer(keys_help());

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        std::cout << app.help();
        return {std::nullopt, 0};
    } catch (const CLI::ParseError& e) {
        std::cerr << "aelab: " << e.what()
                  << "\nRun 'aelab --help' for the options and config keys.\n";
        return {std::nullopt, 2};
    }
    auto fail = [](const std::string& message) {
        std::cerr << "aelab: " << message << "\n";
        return ParseResult{std::nullopt, 2};
    };
    // An option given an empty path ("--save ''", an unset shell variable) would look as if it
    // had not been given at all: the run would exit 0 having written nothing.
    const std::pair<const char*, const char*> named[] = {
        {"--save", "a file name"},           {"--metrics", "a file name"},
        {"--export-weights", "a file name"}, {"--export-curves", "a file name"},
        {"--export-codes", "a file name"},   {"--export-probes-png", "a file name"},
        {"--export-filters-png", "a file name"}, {"--screenshot", "a file name"},
        {"--open", "a run file"},            {"--data", "a folder"},
        {"--lesson", "a lesson's name"},     {"--screenshot-panel", "a panel's name"},
        {"--zoom", "a percentage"},          {"--lesson-step", "a step number"},
        {"--record", "a .gif file or a folder"}, {"--record-panel", "a panel's name"}};
    for (const auto& [option, what] : named) {
        const CLI::Option* given = app.get_option_no_throw(option);
        if (!given || given->count() == 0) continue;
        for (const std::string& value : given->results())
            if (value.find_first_not_of(" \t") == std::string::npos)
                return fail(std::string(option) + ": the value is empty; give " + what);
    }
    if (list_lessons) {
        auto lessons = load_all_lessons(lessons_folder());
        if (!lessons) return fail(lessons.error());
        for (const Lesson& l : *lessons)
            std::cout << l.name << "  " << l.title << "  (" << l.chapter << ")\n";
        return {std::nullopt, 0};
    }
    if (options.check_lesson && lesson_name.empty()) return fail("--check needs --lesson NAME");
    if (!lesson_step.empty() && lesson_name.empty()) return fail("--lesson-step needs --lesson NAME");
    if (!zoom.empty()) {
        const auto percent = whole_number(zoom, 80, 200);
        if (!percent) return fail("--zoom: '" + shorten(zoom) + "' is not a whole percentage from 80 to 200");
        options.zoom = float(*percent) / 100.0f;
    } else if (large_text) {
        options.zoom = 1.3f;
    }
    if (options.presenter && (options.headless || options.audit_layout))
        return fail("--presenter opens a second window; leave out --headless and --audit-layout");
    if (options.presenter && !options.screenshot_panel.empty())
        return fail(
            "--screenshot-panel saves a panel of the main window, and --presenter moves "
            "the panels away; leave out one of them");
    if (options.audit_layout && (options.headless || !options.screenshot_path.empty()))
        return fail("--audit-layout opens the window itself; leave out --headless and --screenshot");
    if (options.audit_layout && !lesson_step.empty())
        return fail("--audit-layout shows every step of the lesson; leave out --lesson-step");
    // A check trains headless whether or not --headless is given: `aelab --lesson FILE --check`.
    if (options.check_lesson) options.headless = true;
    if (sabotage && !options.check_lesson)
        return fail("--sabotage goes with a lesson's check: --headless --lesson NAME --check --sabotage");
    if (!lesson_name.empty()) {
        auto lesson = find_lesson(lesson_name, lessons_folder());
        if (!lesson) return fail(lesson.error());
        if (auto bad = unknown_panel(*lesson)) return fail(*bad);
        if (!lesson_step.empty()) {
            const auto n = whole_number(lesson_step, 1, int64_t(lesson->steps.size()));
            if (!n)
                return fail("--lesson-step: '" + shorten(lesson_step) + "' is not a step of " + lesson->name +
                            " (1 to " + std::to_string(lesson->steps.size()) + ")");
            options.lesson_step = int(*n - 1);
        }
        auto config = lesson_config(*lesson, options.lesson_step);
        if (!config) return fail(lesson->path + ": " + config.error());
        options.config = *config;  // --set below changes it from there
        if (!sabotage) lesson->check.sabotage.clear();  // the check runs those it carries
        options.lesson = std::make_shared<const Lesson>(std::move(*lesson));
    }
    std::shared_ptr<aelab::RunState> opened;
    if (!open_path.empty()) {
        auto loaded = aelab::load_run(open_path);
        if (!loaded) return fail(loaded.error());
        opened = std::make_shared<aelab::RunState>(std::move(*loaded));
        options.config = opened->config;  // --set below changes it from there
    }
    // A check runs the lesson as written: only how many cores it uses may change.
    if (options.check_lesson)
        for (const std::string& setting : settings)
            if (const std::string key = setting.substr(0, setting.find('=')); key != "threads")
                return fail("--set " + shorten(key) + ": a lesson's check runs the lesson as "
                            "written; with --check only threads may be set");
    const aelab::ModelKind kind_before = options.config.model;
    for (const std::string& setting : settings)
        if (auto error = apply_setting(options.config, setting)) return fail(error->message);
    // tied=true asked for on this command line and a VAE: adopt_model_kind below would switch
    // tied off without a word, and the run would not be the one asked for.
    if (options.config.model == aelab::ModelKind::Vae && options.config.tied)
        for (const std::string& setting : settings)
            if (setting.substr(0, setting.find('=')) == "tied")
                return fail("config keys 'tied' and 'model': tied=true is not supported with "
                            "model=vae (the VAE's encoder has two heads, so there is no single "
                            "matrix to transpose); leave out tied=true or use model=ae");
    // --set model=vae shapes the model as the window's model combo does.
    if (options.config.model != kind_before) adopt_model_kind(options.config, kind_before);
    if (!data_folder.empty()) options.config.dataset = data_folder;
    if (auto error = validate_config(options.config)) return fail(error->message);
    if (!steps.empty()) {
        // Decimal only ("010" is ten, "0x10" is refused), and a range a run can finish.
        long long n = -1;
        const auto [end, ec] = std::from_chars(steps.data(), steps.data() + steps.size(), n);
        if (ec != std::errc() || end != steps.data() + steps.size() || n < 0 || n > kMaxSteps)
            return fail("--steps: '" + shorten(steps) + "' is not a whole number from 0 to " +
                        std::to_string(kMaxSteps));
        options.steps = n;
    }
    if (!size.empty()) {
        const size_t x = size.find('x');
        long long w = 0, h = 0;
        const char* text = size.data();
        const auto [w_end, w_ec] = std::from_chars(text, text + (x == std::string::npos ? 0 : x), w);
        const auto [h_end, h_ec] = std::from_chars(text + x + 1, text + size.size(), h);
        if (x == std::string::npos || w_ec != std::errc() || w_end != text + x ||
            h_ec != std::errc() || h_end != text + size.size())
            return fail("--size: '" + shorten(size) + "' is not WIDTHxHEIGHT, e.g. 1600x900");
        if (w < kMinWidth || h < kMinHeight || w > kMaxWidth || h > kMaxHeight)
            return fail("--size: " + shorten(size) + " is outside " + std::to_string(kMinWidth) +
                        "x" + std::to_string(kMinHeight) + " to " + std::to_string(kMaxWidth) + "x" +
                        std::to_string(kMaxHeight));
        options.width = int(w);
        options.height = int(h);
    }
    if (options.headless && !options.screenshot_path.empty())
        return fail(
            "--screenshot needs the window; leave out --headless (use xvfb-run without a display)");
    if (!options.headless && !options.metrics_path.empty())
        return fail("--metrics is written by headless runs; add --headless");
    auto written = options.exports.by_option();
    written.insert(written.begin(), {"--save", &options.save_path});
    for (auto [option, path] : written)
        if (!options.headless && !path->empty())
            return fail(std::string(option) + " is written by headless runs; add --headless");
    if (opened) {
        opened->config = options.config;
        options.open_run = std::move(opened);
    }
    if (!options.screenshot_panel.empty() && !is_panel_name(options.screenshot_panel)) {
        std::string names;
        for (const char* name : panel_names()) names += (names.empty() ? "" : ", ") + std::string(name);
        return fail("--screenshot-panel: no panel named '" + options.screenshot_panel +
                    "'; panels: " + names);
    }
    if (auto error = check_record_options(options, record_every, record_frames, record_no_stamp))
        return fail(*error);
    if (options.headless && options.steps < 0) options.steps = 1000;
    if (options.audit_layout && options.steps < 0) options.steps = 30;
    return {options, 0};
}
