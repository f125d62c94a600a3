// The command line: what to train (config keys) and how (window, headless, screenshot).
// Main thread, before anything starts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/config/config.h"
#include "core/lessons/lesson.h"
#include "core/run/run_state.h"
#include "core/trainer/headless.h"

struct AppOptions {
    aelab::Config config;
    bool headless = false;
    int64_t steps = -1;  // -1: train until told otherwise (window) / 1000 (headless)
    std::string metrics_path;
    std::shared_ptr<const aelab::RunState> open_run;  // --open / a run file: continue it
    std::string open_path;                            // …the file it came from
    double autosave_seconds = 180;  // window: copy an unsaved run to the data folder this often
    double checkpoint_budget_mb = 256;  // window: memory for the timeline's checkpoints
    bool frame_stats = false;           // window: print the longest frames at exit
    std::string save_path;                            // headless: save the run here at the end
    aelab::ExportPaths exports;                       // headless: at the end
    std::string screenshot_path;  // window: train `steps`, save, exit
    int screenshot_scale = 1;
    std::string screenshot_panel;  // "" = the whole window
    bool start_paused = false;
    int width = 1600, height = 900;
    bool dark_theme = false;
    float zoom = 1.0f;  // --zoom PERCENT / 100 (--large-text: 1.3)
    std::shared_ptr<const aelab::Lesson> lesson;  // --lesson: open it (window) or --check it
    int lesson_step = 0;                          // --lesson-step N: step N − 1 of it
    bool presenter = false;                       // --presenter: open the presenter window too
    bool audit_layout = false;  // --audit-layout: judge every step's layout, exit 0 or 1
    bool check_lesson = false;                    // headless: run the lesson's check, exit 0/1
};

struct ParseResult {
    std::optional<AppOptions> options;  // empty: exit with exit_code (help, or an error)
    int exit_code = 0;
};

// Prints help or the error (naming the key or option) itself; errors exit with 2.
ParseResult parse_command_line(int argc, char** argv);
