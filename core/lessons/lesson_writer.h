// Writing a lesson from the window (Lessons ▸ Save this as a lesson step…): the run on screen
// — its config, live knobs included, and its open panels — with a text the teacher types, a
// watch line and a check on one of the numbers shown, as a step of a lesson file in the
// format core/lessons/lesson.h reads. A new file, or one more step appended to a user's
// lesson. The text written is read back by parse_lesson before it is saved, so a file the
// loader would refuse is never written; saves are atomic; the built-in lessons are never
// written. Any thread (plain values and files).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/base/expected.h"
#include "core/config/config.h"
#include "core/lessons/lesson.h"

namespace aelab {

// A number the window shows that a check can test: the live value a watch line names
// (lesson.h's live_value_names) and the same quantity in a check run's metrics, by its path.
// The live value is measured on 1,000 test images or the last batch, the metric on the whole
// test set after the run: near, not equal, which is why the dialog only prefills the value.
struct CheckMetric {
    const char* label;   // "p̂ mean": the dialog's combo and the claim
    const char* live;    // "p_hat_mean"
    const char* metric;  // "p_hat.mean"
    const char* format;  // the watch line's format: ".3f"
};
const std::vector<CheckMetric>& check_metrics();
const CheckMetric* find_check_metric(std::string_view live);

// The comparisons a saved check may make.
const std::vector<std::string>& check_comparisons();  // "<", "<=", ">", ">="

// One step as the dialog gathers it.
struct LessonStepDraft {
    std::string lesson_title;  // a new lesson's title (appending keeps the file's)
    std::string step_title, text;
    Config config;                    // the run on screen, live knobs included
    std::vector<std::string> panels;  // the open panels, by the View menu's names
    std::string metric;               // a CheckMetric's live name
    std::string comparison = "<";     // one of check_comparisons()
    double value = 0;                 // the bound, ≥ 0
    int64_t steps = 2000;             // the check run's training steps, 1 … 10,000,000
};

// The config keys whose values differ between `from` and `to`, in the key table's order, as
// text: `to` is `from` with these applied (the writer checks that it is, before writing).
Settings settings_between(const Config& from, const Config& to);

// The title as a file name: lower case letters, digits and '-', at most 60 bytes;
// "lesson" when nothing is left.
std::string lesson_file_stem(const std::string& title);

// Where the window saves lessons: `data_folder`/lessons.
std::string user_lessons_folder(const std::string& data_folder);
// Whether `path` lies in the folder of the built-in lessons (never written).
bool is_builtin_lesson_path(const std::string& path);

// The JSON text of a new lesson with `draft` as its one step; `path` names it in errors.
Expected<std::string> new_lesson_text(const LessonStepDraft& draft, const std::string& path);
// The text of the lesson `existing` (a file's bytes, which must load) with `draft` appended as
// its last step: the step sets what differs from the previous step's config, and the check
// gains a run and an expectation (its other runs, expectations and sabotages are kept).
Expected<std::string> appended_lesson_text(const std::string& existing, const std::string& path,
                                           const LessonStepDraft& draft);

// How a save treats a file that is there: New refuses one (the dialog asks first), Replace
// writes over it, Append adds the step to it (it must exist and load).
enum class LessonSave { New, Replace, Append };
// Writes the step to `path` atomically. Returns the number of steps the file now holds. An
// error names the file: a built-in lesson, a file that exists (New), one that does not load
// (Append), a draft the loader would refuse, a folder that cannot be written.
Expected<int> save_lesson_step(const LessonStepDraft& draft, const std::string& path,
                               LessonSave how);

}  // namespace aelab
