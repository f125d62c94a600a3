#include "core/lessons/lesson_writer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/base/atomic_file.h"
#include "core/base/text_format.h"

namespace aelab {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // the file keeps the order a person reads it in

const std::vector<CheckMetric>& check_metrics() {
    static const std::vector<CheckMetric> metrics = {
        {"p̂ mean", "p_hat_mean", "p_hat.mean", ".3f"},
        {"p̂ min", "p_hat_min", "p_hat.min", ".3f"},
        {"p̂ max", "p_hat_max", "p_hat.max", ".3f"},
        {"dead units", "dead", "p_hat.dead", ".0f"},
        {"test loss", "test_loss", "test_loss", ".4f"},
        {"test loss, clean input", "test_loss_clean", "test_loss_clean", ".4f"},
        {"train loss", "train_loss", "train_loss", ".4f"},
    };
    return metrics;
}

const CheckMetric* find_check_metric(std::string_view live) {
    for (const CheckMetric& m : check_metrics())
        if (live == m.live) return &m;
    return nullptr;
}

const std::vector<std::string>& check_comparisons() {
    static const std::vector<std::string> comparisons = {"<", "<=", ">", ">="};
    return comparisons;
}

Settings settings_between(const Config& from, const Config& to) {
    Settings changed;
    for (const ConfigKey& key : config_keys()) {
        std::string value = get_config_value(to, key.name);
        if (get_config_value(from, key.name) != value)
            changed.emplace_back(key.name, std::move(value));
    }
    return changed;
}

std::string lesson_file_stem(const std::string& title) {
    std::string stem;
    for (const char c : title) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        const bool upper = c >= 'A' && c <= 'Z';
        if (keep || upper)
            stem += upper ? char(c - 'A' + 'a') : c;
        else if (!stem.empty() && stem.back() != '-')
            stem += '-';
        if (stem.size() >= 60) break;
    }
    while (!stem.empty() && stem.back() == '-') stem.pop_back();
    return stem.empty() ? "lesson" : stem;
}

std::string user_lessons_folder(const std::string& data_folder) {
    return (fs::path(data_folder) / "lessons").string();
}

bool is_builtin_lesson_path(const std::string& path) {
    std::error_code ec;
    const fs::path builtin = fs::weakly_canonical(AELAB_LESSONS_DIR, ec);
    if (ec) return false;
    const fs::path target = fs::weakly_canonical(path, ec);
    return !ec && target.parent_path() == builtin;
}

namespace {

// "2,000": the claim's step count as a person writes it.
std::string with_thousands(int64_t n) {
    std::string digits = std::to_string(n), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return out;
}

// The bound as the expectation and the claim write it: the shortest text that keeps 6 digits.
std::string bound_text(double value) {
    return format_number(value, WatchFormat{0, 6, 'g'});
}

std::optional<Error> bad_draft(const LessonStepDraft& d, const std::string& path, bool new_lesson) {
    const auto blank = [](const std::string& s) {
        return s.find_first_not_of(" \t\r\n") == std::string::npos;
    };
    if (new_lesson && blank(d.lesson_title)) return Error{path + ": the lesson needs a title"};
    if (blank(d.step_title)) return Error{path + ": the step needs a title"};
    if (!find_check_metric(d.metric))
        return Error{path + ": '" + d.metric + "' is not a number a check can test"};
    const auto& cmp = check_comparisons();
    if (std::find(cmp.begin(), cmp.end(), d.comparison) == cmp.end())
        return Error{path + ": the comparison must be <, <=, > or >="};
    if (!std::isfinite(d.value) || d.value < 0)
        return Error{path + ": the check's value must be a number ≥ 0"};
    if (d.steps < 1 || d.steps > 10'000'000)
        return Error{path + ": the check's steps must be a whole number from 1 to 10,000,000"};
    if (d.panels.size() > lesson_limits::kList) return Error{path + ": more than 64 panels open"};
    return std::nullopt;
}

Json settings_json(const Settings& settings) {
    Json set = Json::object();
    for (const auto& [key, value] : settings) set[key] = value;
    return set;
}

// "p̂ mean < 0.1 after 2,000 steps"
std::string claim_of(const LessonStepDraft& d) {
    return std::string(find_check_metric(d.metric)->label) + " " + d.comparison + " " +
           bound_text(d.value) + " after " + with_thousands(d.steps) + " steps";
}

Json step_json(const LessonStepDraft& d, const Settings& set) {
    const CheckMetric& m = *find_check_metric(d.metric);
    Json step = {{"title", d.step_title}, {"text", d.text}, {"set", settings_json(set)}};
    step["panels"] = d.panels;
    step["watch"] = {std::string(m.label) + " {" + m.live + ":" + m.format +
                     "}  (the check: " + claim_of(d) + ")"};
    return step;
}

// The check's new run, its expectation and its report line, added to `check` (a JSON object).
void add_check(Json& check, const LessonStepDraft& d, int step_number) {
    Json& runs = check["runs"];
    std::string run = "step" + std::to_string(step_number);
    for (int suffix = 2; runs.contains(run); ++suffix)
        run = "step" + std::to_string(step_number) + "_" + std::to_string(suffix);
    runs[run] = {{"set", settings_json(settings_between(Config{}, d.config))}, {"steps", d.steps}};
    const std::string metric = run + "." + find_check_metric(d.metric)->metric;
    const std::string expectation = metric + " " + d.comparison + " " + bound_text(d.value);
    check["expect"].push_back(expectation);
    check["report"].push_back(metric);
    // Its sabotage: the same run with the live knobs (noise, λ, sparsity, β, …) the teacher
    // moved put back at their defaults. `--check --sabotage` then says whether the claim is the
    // knobs' doing; a step that moved no knob has nothing to take away, so no sabotage.
    Settings knobs_back;
    std::string moved;
    for (const ConfigKey& key : config_keys()) {
        if (!key.live) continue;
        const std::string standard = get_config_value(Config{}, key.name);
        const std::string value = get_config_value(d.config, key.name);
        if (value == standard) continue;
        knobs_back.emplace_back(key.name, standard);
        moved += (moved.empty() ? "" : ", ") + std::string(key.name) + " " + value + " → " + standard;
    }
    if (!knobs_back.empty())
        check["sabotage"].push_back({{"what", "step " + std::to_string(step_number) +
                                                  "'s knobs back at their defaults (" + moved + ")"},
                                     {"run", run},
                                     {"set", settings_json(knobs_back)},
                                     {"fails", Json::array({expectation})}});
    const std::string claim = check.contains("claim") ? check["claim"].get<std::string>() : "";
    check["claim"] = claim.empty()
                         ? claim_of(d)
                         : claim + "; step " + std::to_string(step_number) + ": " + claim_of(d);
}

// The first key whose value `config` does not give as `wanted` does, or "".
std::string first_difference(const Config& config, const Config& wanted) {
    const Settings differ = settings_between(config, wanted);
    return differ.empty() ? "" : differ.front().first;
}

// The written text, read back as the menu and --lesson read it: it must load, its last step
// must open the run on screen, and its last check run must train that same config.
Expected<std::string> read_back(const Json& root, const std::string& path,
                                const LessonStepDraft& d) {
    std::string text = root.dump(2) + "\n";
    auto lesson = parse_lesson(text, path);
    if (!lesson) return Error{"the step would make a lesson aelab cannot read: " + lesson.error()};
    auto config = lesson_config(*lesson, int(lesson->steps.size()) - 1);
    if (!config) return Error{path + ": the step's settings do not apply: " + config.error()};
    if (auto key = first_difference(*config, d.config); !key.empty())
        return Error{path + ": the step's settings would not give the run's '" + key + "'"};
    auto run = apply_settings(Config{}, lesson->check.runs.back().set);
    if (!run || !first_difference(*run, d.config).empty())
        return Error{path + ": the check's run would not train the run on screen"};
    return text;
}

Expected<std::string> read_lesson_text(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return Error{path + ": no such lesson file"};
    const auto bytes = fs::file_size(path, ec);
    if (ec || bytes > lesson_limits::kFileBytes)
        return Error{path + ": cannot be read, or too large for a lesson"};
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) return Error{path + ": cannot be read"};
    return text.str();
}

}  // namespace

Expected<std::string> new_lesson_text(const LessonStepDraft& d, const std::string& path) {
    if (auto bad = bad_draft(d, path, true)) return *bad;
    Json root = {{"title", d.lesson_title}, {"chapter", "Your lessons"}};
    root["panels"] = d.panels;
    root["steps"] = Json::array({step_json(d, settings_between(Config{}, d.config))});
    Json check = {{"claim", ""},
                  {"runs", Json::object()},
                  {"expect", Json::array()},
                  {"report", Json::array()}};
    add_check(check, d, 1);
    root["check"] = std::move(check);
    return read_back(root, path, d);
}

Expected<std::string> appended_lesson_text(const std::string& existing, const std::string& path,
                                           const LessonStepDraft& d) {
    if (auto bad = bad_draft(d, path, false)) return *bad;
    auto lesson = parse_lesson(existing, path);
    if (!lesson) return Error{"cannot append to it: " + lesson.error()};
    auto previous = lesson_config(*lesson, int(lesson->steps.size()) - 1);
    if (!previous)
        return Error{path + ": its last step's settings do not apply: " + previous.error()};
    Json root = Json::parse(existing);  // parse_lesson read it: valid JSON of the right shape
    root["steps"].push_back(step_json(d, settings_between(*previous, d.config)));
    Json& check = root["check"];
    if (!check.contains("report")) check["report"] = Json::array();
    add_check(check, d, int(lesson->steps.size()) + 1);
    return read_back(root, path, d);
}

Expected<int> save_lesson_step(const LessonStepDraft& d, const std::string& path, LessonSave how) {
    if (is_builtin_lesson_path(path))
        return Error{
            path + " is a built-in lesson: aelab never writes over those; save under another name"};
    std::error_code ec;
    const bool exists = fs::exists(path, ec);
    if (how == LessonSave::New && exists)
        return Error{path + " exists: replace it, or pick it to append the step to it"};
    Expected<std::string> text = Error{""};
    if (how == LessonSave::Append) {
        auto existing = read_lesson_text(path);
        if (!existing) return Error{existing.error()};
        text = appended_lesson_text(*existing, path, d);
    } else {
        text = new_lesson_text(d, path);
    }
    if (!text) return Error{text.error()};
    const fs::path folder = fs::path(path).parent_path();
    if (!folder.empty() && !fs::is_directory(folder, ec) && !fs::create_directories(folder, ec))
        return Error{folder.string() + ": cannot make the folder (" + ec.message() + ")"};
    if (auto bad = write_file_atomically(path, *text)) return *bad;
    auto saved = parse_lesson(*text, path);
    return saved ? int(saved->steps.size()) : 0;
}

}  // namespace aelab
