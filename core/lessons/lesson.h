// Lessons: one chapter of the autoencoder course each, as data (assets/lessons/NAME.json) —
// the text, the formulas, the steps (each a set of config changes with its own text), the
// live "watch" lines, the "try" buttons, the panels it needs, and a check: headless runs
// whose metrics must bear out the lesson's claim. The README documents the format; a lesson
// file that does not load is refused with its name, and the line where JSON or a key is
// wrong. Any thread (plain values).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/expected.h"
#include "core/config/config.h"
#include "core/lessons/watch_line.h"

namespace aelab {

// Config changes, in order, as `--set key=value` takes them.
using Settings = std::vector<std::pair<std::string, std::string>>;

// A setting of a panel's view rather than of the model (the Anomaly panel's k): a try button
// may set one. The names a lesson may use, their meaning and range; the window routes a
// setting by its id to the panel that owns it.
enum class ViewSetting { AnomalyK };
struct ViewSettingName {
    ViewSetting id;
    const char* name;
    const char* meaning;
    double lo, hi;
};
const std::vector<ViewSettingName>& view_setting_names();
const ViewSettingName* find_view_setting(const std::string& name);

struct LessonTry {
    std::string label;  // the button's text
    Settings set;
    std::vector<std::pair<std::string, double>> view;  // view settings, by name
};

struct LessonStep {
    std::string title, text;
    Settings set;                    // applied when the step opens (on top of the lesson's base)
    bool fresh = false;              // the step starts a fresh model even if only live knobs change
    std::vector<std::string> watch;  // lines with {placeholders} of live values
    std::vector<LessonTry> tries;
    std::vector<std::string> panels;  // the panels the step needs (empty: the lesson's)
};

struct LessonRun {
    std::string name;
    Settings set;  // on top of the defaults
    int64_t steps = 1000;
};

// The check with the lesson's claimed effect taken away from one run (the penalty off, the
// wrong init, no noise): the check must then fail, on the expectations `fails` names.
struct LessonSabotage {
    std::string what;                // the effect removed, in words: "no noise in training"
    std::string run;                 // the run it changes
    Settings set;                    // the change, on top of that run's settings
    std::vector<std::string> fails;  // expectations, as written in `expect`, that must not hold
};

struct LessonCheck {
    std::string claim;                // what the runs must bear out, in words
    std::vector<LessonRun> runs;
    std::vector<std::string> expect;  // comparisons over the runs' metrics (core/expression.h)
    std::vector<std::string> report;  // metrics printed on the one line (run.path)
    std::vector<LessonSabotage> sabotage;
};

struct Lesson {
    std::string name;  // the file's stem: "01-under-overcomplete"
    std::string path;
    std::string title, chapter, seed;  // seed: where the course asks it ("seed 000, question 3")
    std::string intro;
    std::vector<std::string> formulas;  // TeX subset (core/formula.h)
    std::vector<std::string> panels;    // panel names the lesson opens (the rest close)
    std::string widget;                 // an interactive part of the panel: "" or "backprop"
    Settings base;                      // every step starts from the defaults plus these
    std::vector<LessonStep> steps;
    LessonCheck check;
};

// The values a watch line may name, with what each is: these from the snapshot, and the
// model figures of core/model_figures.h (computed while a watch line names one).
struct LiveValueName {
    const char* name;
    const char* meaning;
};
const std::vector<LiveValueName>& live_value_names();
// Those values in a published snapshot (the window's watch lines).
struct Snapshot;
std::map<std::string, double> live_values(const Snapshot& snapshot);

// A lesson is a file from the internet: what a reader accepts before it refuses. Every text
// field, list and object is checked against these before it is used or stored.
namespace lesson_limits {
constexpr size_t kFileBytes = 8u << 20;  // the whole file, checked before it is read
constexpr int kJsonDepth = 16;           // nesting of [ and {: the format needs 5
constexpr size_t kObjectMembers = 512;   // members of one object (its keys are searched in turn)
constexpr size_t kSteps = 100'000;
constexpr size_t kList = 64;             // formulas, panels, watch lines, tries, runs, expect, report
constexpr size_t kText = 64u << 10;      // bytes of one text field
constexpr size_t kFormulaBytes = 2000;   // one formula
constexpr int kFormulaDepth = 16;        // nesting of {…} in one formula
constexpr size_t kExpressionBytes = 4000;
}  // namespace lesson_limits

// What a load did, counted: a test holds loading to linear work in the number of steps.
struct LessonLoadWork {
    int64_t settings_applied = 0;  // config settings applied while checking the steps' configs
};

// The fuzz targets' entry point: `text` is the file's bytes, `path` only names it in errors.
// Never throws, never aborts: anything wrong is an Error "path:line: field: what".
Expected<Lesson> parse_lesson(const std::string& text, const std::string& path,
                              LessonLoadWork* work = nullptr);
Expected<Lesson> load_lesson(const std::string& path);

// Where lessons are: $AELAB_LESSONS, else the source tree's assets/lessons (built in).
std::string lessons_folder();
// Every *.json there, sorted by name; the first that does not load is the error.
Expected<std::vector<Lesson>> load_all_lessons(const std::string& folder);
// A lesson by name ("03-backprop", or a unique prefix like "03") in `folder`, or a path.
Expected<Lesson> find_lesson(const std::string& name_or_path, const std::string& folder);

// The config of a step: defaults, the lesson's base, then the step's changes (steps 0..i
// in turn, so a later step builds on the earlier ones).
Expected<Config> lesson_config(const Lesson& lesson, int step);
// `config` with `settings` applied; an error names the key.
Expected<Config> apply_settings(Config config, const Settings& settings);

}  // namespace aelab
