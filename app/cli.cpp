#include "app/cli.h"

#include <CLI/CLI.hpp>

#include "app/panels/panels.h"

#include <cstdio>
#include <iostream>

using namespace aelab;

namespace {

std::string keys_help() {
    std::string text =
        "\nConfig keys (--set key=value; the same keys go in lesson and session files):\n";
    for (const ConfigKey& key : config_keys()) {
        char line[512];
        std::snprintf(line, sizeof line,
                      "  %-14s default %-14s %s%s\n                 allowed: %s\n", key.name,
                      key.default_value, key.help, key.live ? " [live]" : "", key.allowed);
        text += line;
    }
    text +=
        "\n[live] keys act on the running model from the next mini-batch; the others rebuild it.\n"
        "Examples:\n"
        "  aelab                                   window, Fashion-MNIST, 784-256-32-256-784\n"
        "  aelab --headless --steps 3000 --metrics m.json --set hidden=128 --set lr=0.002\n"
        "  aelab --steps 500 --screenshot shot.png  train 500 steps in the window, save, exit\n";
    return text;
}

}  // namespace

ParseResult parse_command_line(int argc, char** argv) {
    AppOptions options;
    CLI::App app{"aelab — a laboratory for autoencoders: watch one learn, live.", "aelab"};
    std::vector<std::string> settings;
    std::string data_folder, size;
    app.add_flag("--headless", options.headless, "Train without a window; print a summary");
    app.add_option("--steps", options.steps,
                   "Train N mini-batches (headless: then exit, default 1000; window: then pause)")
        ->check(CLI::NonNegativeNumber);
    app.add_option("--set", settings, "Set a config key: --set key=value (repeatable)")
        ->allow_extra_args(false);
    app.add_option("--data", data_folder,
                   "A folder of MNIST-format IDX files (= --set dataset=DIR)");
    app.add_option("--metrics", options.metrics_path, "Headless: write the metrics JSON here");
    app.add_option("--screenshot", options.screenshot_path,
                   "Open the window, train --steps N, save the window as PNG here, exit");
    app.add_option("--screenshot-scale", options.screenshot_scale, "1 or 2 (sharper, for slides)")
        ->check(CLI::IsMember({1, 2}));
    app.add_option("--screenshot-panel", options.screenshot_panel,
                   "Save only this panel (e.g. \"Loss curves\")");
    app.add_flag("--paused", options.start_paused, "Open the window paused");
    app.add_option("--size", size, "Window size WIDTHxHEIGHT (default 1600x900)");
    app.add_flag("--dark", options.dark_theme, "Dark theme");
    app.add_flag("--large-text", options.large_text, "Larger text, for a projector");
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
    for (const std::string& setting : settings)
        if (auto error = apply_setting(options.config, setting)) return fail(error->message);
    if (!data_folder.empty()) options.config.dataset = data_folder;
    if (auto error = validate_config(options.config)) return fail(error->message);
    if (!size.empty() && std::sscanf(size.c_str(), "%dx%d", &options.width, &options.height) != 2)
        return fail("--size: '" + size + "' is not WIDTHxHEIGHT, e.g. 1600x900");
    if (options.width < 320 || options.height < 240)
        return fail("--size: the window must be at least 320x240");
    if (options.headless && !options.screenshot_path.empty())
        return fail(
            "--screenshot needs the window; leave out --headless (use xvfb-run without a display)");
    if (!options.headless && !options.metrics_path.empty())
        return fail("--metrics is written by headless runs; add --headless");
    if (!options.screenshot_panel.empty() && !find_panel(options.screenshot_panel.c_str())) {
        std::string names;
        for (const Panel& p : panel_registry())
            names += (names.empty() ? "" : ", ") + std::string(p.name);
        return fail("--screenshot-panel: no panel named '" + options.screenshot_panel +
                    "'; panels: " + names);
    }
    if (options.headless && options.steps < 0) options.steps = 1000;
    return {options, 0};
}
