#include "core/lessons/lesson_check.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <ostream>

#include <nlohmann/json.hpp>

#include "core/base/expression.h"
#include "core/run/ready_run.h"
#include "core/run/session.h"
#include "core/views/metrics.h"

namespace aelab {

namespace {

// "run.a.b" → metrics[run]["a"]["b"] as a number (true/false as 1/0).
std::optional<double> look_up(const std::map<std::string, nlohmann::json>& metrics,
                              const std::string& name) {
    size_t dot = name.find('.');
    const auto run = metrics.find(name.substr(0, dot));
    if (run == metrics.end()) return std::nullopt;
    const nlohmann::json* at = &run->second;
    while (dot != std::string::npos) {
        const size_t next = name.find('.', dot + 1);
        const std::string key = name.substr(dot + 1, next == std::string::npos ? next : next - dot - 1);
        if (!at->is_object() || !at->contains(key)) return std::nullopt;
        at = &(*at)[key];
        dot = next;
    }
    if (at->is_number()) return at->get<double>();
    if (at->is_boolean()) return at->get<bool>() ? 1.0 : 0.0;
    return std::nullopt;
}

std::string figure(double v) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", v);
    return text;
}

}  // namespace

Expected<LessonCheckResult> run_lesson_check(const Lesson& lesson, std::ostream& progress) {
    const auto start = std::chrono::steady_clock::now();
    std::map<std::string, std::shared_ptr<const Dataset>> loaded;  // by dataset name
    std::map<std::string, nlohmann::json> metrics;
    std::shared_ptr<WorkerPool> pool;  // made once for the runs
    for (const LessonRun& run : lesson.check.runs) {
        auto config = apply_settings(Config{}, run.set);
        if (!config) return Error{lesson.path + ": run '" + run.name + "': " + config.error()};
        // Each data set is loaded once for all the runs.
        const DatasetLoader load = [&](const std::string& name) -> Expected<std::shared_ptr<const Dataset>> {
            auto& data = loaded[name];
            if (data) return data;
            auto got = load_dataset(name);
            if (got) data = *got;
            return got;
        };
        auto ready = prepare_run(*config, nullptr, load);
        if (!ready) return Error{lesson.path + ": run '" + run.name + "': " + ready.error()};
        Session& s = *ready->session;
        // Headless: every core, unless the run's config names a thread count.
        if (!pool || pool->size() != resolve_threads(s.config(), available_cores(), false))
            pool = std::make_shared<WorkerPool>(resolve_threads(s.config(), available_cores(), false));
        s.set_pool(pool);
        const auto run_start = std::chrono::steady_clock::now();
        for (int64_t i = 0; i < run.steps; ++i)
            if (!std::isfinite(s.train_step().total())) break;  // the metrics will say so
        metrics[run.name] = collect_metrics(s);
        progress << "  " << lesson.name << ": run '" << run.name << "', " << s.step() << " steps, "
                 << figure(std::chrono::duration<double>(std::chrono::steady_clock::now() - run_start)
                               .count())
                 << " s\n";
    }
    const NameLookup lookup = [&](const std::string& name) { return look_up(metrics, name); };
    LessonCheckResult result;
    result.passed = true;
    std::string failures, figures;
    for (const std::string& expect : lesson.check.expect) {
        auto value = evaluate_expression(expect, lookup);
        if (!value) return Error{lesson.path + ": check: '" + expect + "': " + value.error()};
        if (*value != 0) continue;
        result.passed = false;
        failures += " | does not hold: " + expect + " (";
        auto names = expression_names(expect);
        for (size_t i = 0; names && i < names->size(); ++i)
            failures += (i ? ", " : "") + (*names)[i] + " = " + figure(*lookup((*names)[i]));
        failures += ")";
    }
    for (const std::string& shown : lesson.check.report) {
        auto value = evaluate_expression(shown, lookup);
        figures += (figures.empty() ? "" : ", ") + shown + " = " + (value ? figure(*value) : value.error());
    }
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.line = lesson.name + ": " + (result.passed ? "PASS" : "FAIL") + " — " +
                  lesson.check.claim + (figures.empty() ? "" : " | " + figures) + failures +
                  " | " + figure(seconds) + " s";
    return result;
}

}  // namespace aelab
