#include "core/lessons/lesson_check.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <ostream>
#include <set>

#include "core/base/expression.h"
#include "core/base/text_format.h"

namespace aelab {

namespace {

using RunMetrics = std::map<std::string, const nlohmann::json*>;  // by run name

// "run.a.b" → metrics[run]["a"]["b"] as a number (true/false as 1/0).
std::optional<double> look_up(const RunMetrics& metrics, const std::string& name) {
    size_t dot = name.find('.');
    const auto run = metrics.find(name.substr(0, dot));
    if (run == metrics.end()) return std::nullopt;
    const nlohmann::json* at = run->second;
    while (dot != std::string::npos) {
        const size_t next = name.find('.', dot + 1);
        const std::string key =
            name.substr(dot + 1, next == std::string::npos ? next : next - dot - 1);
        if (!at->is_object() || !at->contains(key)) return std::nullopt;
        at = &(*at)[key];
        dot = next;
    }
    if (at->is_number()) return at->get<double>();
    if (at->is_boolean()) return at->get<bool>() ? 1.0 : 0.0;
    return std::nullopt;
}

std::string figure(double v) {
    return format_number(v, WatchFormat{0, 4, 'g'});
}

std::string seconds_since(std::chrono::steady_clock::time_point start) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return format_number(seconds, WatchFormat{0, 1, 'f'});
}

// The run `name` of the lesson's check.
const LessonRun* find_run(const Lesson& lesson, const std::string& name) {
    for (const LessonRun& run : lesson.check.runs)
        if (run.name == name) return &run;
    return nullptr;
}

// The runs an expression names ("plain.test_mse < decay.test_mse" → plain, decay).
std::set<std::string> runs_named(const std::string& expression) {
    std::set<std::string> runs;
    if (auto names = expression_names(expression))
        for (const std::string& n : *names) runs.insert(n.substr(0, n.find('.')));
    return runs;
}

// Trains (or reuses) `run`, with `change` applied on top of its settings.
Expected<const nlohmann::json*> train(const Lesson& lesson, const LessonRun& run,
                                      const Settings& change, std::ostream& progress,
                                      CheckRuns& runs) {
    Settings settings = run.set;
    settings.insert(settings.end(), change.begin(), change.end());
    auto config = apply_settings(Config{}, settings);
    if (!config) return Error{lesson.path + ": run '" + run.name + "': " + config.error()};
    const std::string label =
        lesson.name + ": run '" + run.name + "'" + (change.empty() ? "" : " (sabotaged)");
    auto metrics = runs.metrics(*config, run.steps, label, progress);
    if (!metrics) return Error{lesson.path + ": run '" + run.name + "': " + metrics.error()};
    return metrics;
}

struct Verdicts {
    std::vector<std::string> failed;
    std::string text;  // " | does not hold: E (a = 1, b = 2)" for each failed E
};

// Every expectation of `expect` whose runs are all in `metrics`. A metric its run does not
// have (a model without that part, a diverged run's null) makes the expectation fail.
Expected<Verdicts> judge(const Lesson& lesson, const std::vector<std::string>& expect,
                         const RunMetrics& metrics) {
    Verdicts v;
    const NameLookup lookup = [&](const std::string& name) { return look_up(metrics, name); };
    for (const std::string& e : expect) {
        const std::set<std::string> needed = runs_named(e);
        if (!std::all_of(needed.begin(), needed.end(),
                         [&](const std::string& r) { return metrics.count(r) > 0; }))
            continue;
        auto names = expression_names(e);
        if (!names) return Error{lesson.path + ": check: '" + e + "': " + names.error()};
        std::string values;
        bool missing = false;
        for (size_t i = 0; i < names->size(); ++i) {
            const auto value = lookup((*names)[i]);
            missing |= !value;
            values += (i ? ", " : "") + (*names)[i] + " = " + (value ? figure(*value) : "missing");
        }
        if (!missing) {
            auto holds = evaluate_expression(e, lookup);
            if (!holds) return Error{lesson.path + ": check: '" + e + "': " + holds.error()};
            if (*holds != 0) continue;
        }
        v.failed.push_back(e);
        v.text += " | does not hold: " + e + " (" + values + ")";
    }
    return v;
}

}  // namespace

Expected<LessonCheckResult> run_lesson_check(const Lesson& lesson, std::ostream& progress) {
    CheckRuns runs;
    return run_lesson_check(lesson, progress, runs);
}

Expected<LessonCheckResult> run_lesson_check(const Lesson& lesson, std::ostream& progress,
                                             CheckRuns& runs) {
    const auto start = std::chrono::steady_clock::now();
    RunMetrics metrics;
    for (const LessonRun& run : lesson.check.runs) {
        auto trained = train(lesson, run, {}, progress, runs);
        if (!trained) return Error{trained.error()};
        metrics[run.name] = *trained;
    }
    auto verdicts = judge(lesson, lesson.check.expect, metrics);
    if (!verdicts) return Error{verdicts.error()};
    std::string figures;
    const NameLookup lookup = [&](const std::string& name) { return look_up(metrics, name); };
    for (const std::string& shown : lesson.check.report) {
        auto value = evaluate_expression(shown, lookup);
        figures += (figures.empty() ? "" : ", ") + shown + " = " +
                   (value ? figure(*value) : value.error());
    }
    LessonCheckResult result;
    result.claim_holds = verdicts->failed.empty();
    result.failed = verdicts->failed;
    result.line = lesson.name + ": " + (result.claim_holds ? "PASS" : "FAIL") + " — " +
                  lesson.check.claim + (figures.empty() ? "" : " | " + figures) + verdicts->text +
                  " | " + seconds_since(start) + " s";
    result.passed = result.claim_holds;
    for (const LessonSabotage& sabotage : lesson.check.sabotage) {
        auto sabotaged = run_lesson_sabotage(lesson, sabotage, progress, runs);
        if (!sabotaged) return Error{sabotaged.error()};
        result.passed &= sabotaged->fails_as_declared;
        result.line += "\n" + sabotaged->line;
        result.sabotage.push_back(std::move(*sabotaged));
    }
    return result;
}

Expected<SabotageResult> run_lesson_sabotage(const Lesson& lesson, const LessonSabotage& sabotage,
                                             std::ostream& progress, CheckRuns& runs) {
    const auto start = std::chrono::steady_clock::now();
    std::set<std::string> needed;
    for (const std::string& e : sabotage.fails) needed.merge(runs_named(e));
    needed.insert(sabotage.run);
    RunMetrics metrics;
    for (const std::string& name : needed) {
        const LessonRun* run = find_run(lesson, name);
        if (!run)
            return Error{lesson.path + ": sabotage '" + sabotage.what + "': no run '" + name + "'"};
        auto trained =
            train(lesson, *run, name == sabotage.run ? sabotage.set : Settings{}, progress, runs);
        if (!trained) return Error{trained.error()};
        metrics[name] = *trained;
    }
    auto verdicts = judge(lesson, lesson.check.expect, metrics);
    if (!verdicts) return Error{verdicts.error()};
    SabotageResult result;
    result.failed = verdicts->failed;
    result.check_failed = !result.failed.empty();
    std::string not_failed;
    for (const std::string& e : sabotage.fails)
        if (std::find(result.failed.begin(), result.failed.end(), e) == result.failed.end())
            not_failed += " | still holds: " + e;
    result.fails_as_declared = result.check_failed && not_failed.empty();
    std::string change;
    for (const auto& [key, value] : sabotage.set)
        change += (change.empty() ? "" : ", ") + key + "=" + value;
    result.line = lesson.name + ": sabotage '" + sabotage.what + "' (run '" + sabotage.run +
                  "': " + change + "): the check " +
                  (result.fails_as_declared ? "FAILS, as it must"
                   : result.check_failed    ? "FAILS, but not where the lesson says it must"
                                            : "still PASSES, which it must not") +
                  verdicts->text + not_failed + " | " + seconds_since(start) + " s";
    return result;
}

}  // namespace aelab
