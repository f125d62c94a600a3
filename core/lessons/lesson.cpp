#include "core/lessons/lesson.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include <nlohmann/json.hpp>

#include "core/base/expression.h"
#include "core/base/text_format.h"
#include "core/run/snapshot.h"
#include "core/views/metrics.h"
#include "core/views/model_figures.h"

namespace aelab {

namespace fs = std::filesystem;
using Json = nlohmann::ordered_json;  // keeps the order settings are written in

namespace {

namespace limits = lesson_limits;

std::string format_g(double value) { return format_number(value, WatchFormat{0, 6, 'g'}); }

// At most `bytes` of `text` (cut at a character's start) for an error message.
std::string quoted(const std::string& text, size_t bytes = 80) {
    if (text.size() <= bytes) return "'" + text + "'";
    while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
    return "'" + text.substr(0, bytes) + "…' (" + std::to_string(text.size()) + " bytes)";
}

// Settings applied while loading, on this thread: what LessonLoadWork reports.
thread_local int64_t t_settings_applied = 0;

// Before nlohmann reads the text: nesting depth and members per object, so that neither a
// deep [[[[…]]]] nor an object of 100,000 keys (an ordered object searches its keys on each
// insert) costs more than a glance. Invalid JSON is left to the parser's own message.
std::optional<Error> prescan_json(const std::string& text, const std::string& path) {
    struct Open {
        bool object;
        size_t members;
    };
    std::vector<Open> open;
    int line = 1;
    bool in_string = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\n') ++line;
        if (in_string) {
            if (c == '\\') ++i;  // an escaped character (a \n escape is no new line)
            else if (c == '"') in_string = false;
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '{' || c == '[') {
            if (open.size() >= size_t(limits::kJsonDepth))
                return Error{path + ":" + std::to_string(line) + ": nested more than " +
                             std::to_string(limits::kJsonDepth) + " levels of [ and { deep"};
            open.push_back({c == '{', 1});
        } else if (c == '}' || c == ']') {
            if (open.empty()) return std::nullopt;  // the parser says what is wrong
            open.pop_back();
        } else if (c == ',' && !open.empty() && open.back().object &&
                   ++open.back().members > limits::kObjectMembers) {
            return Error{path + ":" + std::to_string(line) + ": an object of more than " +
                         std::to_string(limits::kObjectMembers) + " fields"};
        }
    }
    return std::nullopt;
}

// Nesting of {…} in a formula (the typesetter in app/formula refuses deeper ones too; this
// says so when the lesson loads, with its line).
int brace_depth(const std::string& tex) {
    int depth = 0, deepest = 0;
    for (const char c : tex) {
        if (c == '{') deepest = std::max(deepest, ++depth);
        else if (c == '}') depth = std::max(0, depth - 1);
    }
    return deepest;
}

// The line of byte `offset` (1-based), for JSON syntax errors.
int line_of(const std::string& text, size_t offset) {
    return 1 + int(std::count(text.begin(), text.begin() + long(std::min(offset, text.size())), '\n'));
}

// The line where `"key"` first appears (0 if nowhere): where a semantic error points.
int line_of_key(const std::string& text, const std::string& key) {
    const size_t at = text.find('"' + key + '"');
    return at == std::string::npos ? 0 : line_of(text, at);
}

// Reading one lesson file; errors carry the file, the line (when known) and the path.
class Reader {
public:
    Reader(const std::string& text, const std::string& path) : m_text(text), m_path(path) {}

    Error error(const std::string& where, const std::string& what, const std::string& key = "") const {
        const int line = key.empty() ? 0 : line_of_key(m_text, key);
        return Error{m_path + (line > 0 ? ":" + std::to_string(line) : "") + ": " + where +
                     (where.empty() ? "" : ": ") + what};
    }

    // Only `allowed` keys, so that a misspelt field is an error rather than silently ignored.
    std::optional<Error> only(const Json& object, const std::string& where,
                              std::initializer_list<const char*> allowed) const {
        if (!object.is_object()) return error(where, "must be an object {…}");
        for (const auto& [key, value] : object.items()) {
            const bool known = std::any_of(allowed.begin(), allowed.end(),
                                           [&k = key](const char* a) { return k == a; });
            if (!known) {
                std::string list;
                for (const char* a : allowed) list += std::string(list.empty() ? "" : ", ") + a;
                return error(where, "unknown field '" + key + "' (fields: " + list + ")", key);
            }
        }
        return std::nullopt;
    }

    Expected<std::string> text(const Json& object, const char* key, const std::string& where,
                               bool required) const {
        if (!object.contains(key)) {
            if (required) return error(where, std::string("the field '") + key + "' is missing");
            return std::string();
        }
        if (!object[key].is_string()) return error(where, std::string("'") + key + "' must be text", key);
        const std::string& got = object[key].get_ref<const std::string&>();
        if (got.size() > limits::kText)
            return error(where, std::string("'") + key + "' is longer than " + std::to_string(limits::kText) +
                                    " bytes", key);
        return got;
    }

    Expected<std::vector<std::string>> texts(const Json& object, const char* key,
                                             const std::string& where) const {
        std::vector<std::string> out;
        if (!object.contains(key)) return out;
        const Json& list = object[key];
        if (!list.is_array()) return error(where, std::string("'") + key + "' must be a list […]", key);
        if (list.size() > limits::kList)
            return error(where, std::string("'") + key + "' has more than " + std::to_string(limits::kList) +
                                    " items", key);
        for (const Json& item : list) {
            if (!item.is_string())
                return error(where, std::string("every item of '") + key + "' must be text", key);
            if (item.get_ref<const std::string&>().size() > limits::kText)
                return error(where, std::string("an item of '") + key + "' is longer than " +
                                        std::to_string(limits::kText) + " bytes", key);
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    // {"key": value, …} → settings, each key and value checked against the config's own rules.
    Expected<Settings> settings(const Json& object, const char* field, const std::string& where) const {
        Settings out;
        if (!object.contains(field)) return out;
        const Json& set = object[field];
        if (!set.is_object())
            return error(where, std::string("'") + field + "' must be an object of config keys", field);
        Config probe;
        for (const auto& [key, value] : set.items()) {
            std::string text;
            if (value.is_string()) text = value.get<std::string>();
            else if (value.is_number() || value.is_boolean()) text = value.dump();
            else return error(where + "." + field, quoted(key) + " must be a value", key);
            if (text.size() > limits::kText)
                return error(where + "." + field, quoted(key) + ": the value is too long", key);
            ++t_settings_applied;
            if (auto bad = set_config_value(probe, key, text))
                return error(where + "." + field, bad->message, key);
            out.emplace_back(key, text);
        }
        return out;
    }

    // A try button's "view": {"anomaly_k": 2}, names from view_setting_names(), numbers in range.
    Expected<std::vector<std::pair<std::string, double>>> view_settings(const Json& object,
                                                                        const std::string& where) const {
        std::vector<std::pair<std::string, double>> out;
        if (!object.contains("view")) return out;
        const Json& view = object["view"];
        if (!view.is_object()) return error(where, "'view' must be an object of view settings", "view");
        for (const auto& [key, value] : view.items()) {
            const ViewSettingName* setting = find_view_setting(key);
            if (!setting) {
                std::string known;
                for (const ViewSettingName& n : view_setting_names()) known += (known.empty() ? "" : ", ") + std::string(n.name);
                return error(where + ".view", "'" + key + "' is not a view setting (known: " + known + ")", key);
            }
            if (!value.is_number() || value.get<double>() < setting->lo || value.get<double>() > setting->hi)
                return error(where + ".view", "'" + key + "' must be a number in [" + format_g(setting->lo) +
                                                  ", " + format_g(setting->hi) + "]", key);
            out.emplace_back(key, value.get<double>());
        }
        return out;
    }

private:
    const std::string& m_text;
    const std::string& m_path;
};


}  // namespace

const std::vector<LiveValueName>& live_value_names() {
    static const std::vector<LiveValueName> names = {
        {"step", "training steps so far"},
        {"epoch", "epochs so far"},
        {"train_loss", "the last mini-batch's objective"},
        {"test_loss", "the objective on the held-out test images"},
        {"test_loss_clean", "the same on clean inputs (while a noise is on: the grey test line)"},
        {"recon", "the reconstruction term of the last mini-batch"},
        {"l2_term", "λ‖W‖² of the last mini-batch"},
        {"sparsity_term", "the sparsity penalty of the last mini-batch (β·Σ…)"},
        {"contractive_term", "λ‖J‖²_F of the last mini-batch"},
        {"kl_term", "the VAE's KL term of the last mini-batch"},
        {"lr", "the learning rate"},
        {"batch", "the batch size"},
        {"l2", "L2 λ"},
        {"noise_level", "the noise level"},
        {"p", "the target p"},
        {"beta", "the sparsity β"},
        {"contractive", "contractive λ"},
        {"vae_beta", "the VAE's β"},
        {"p_hat_mean", "the mean of p̂_j over the code units"},
        {"p_hat_min", "the smallest p̂_j"},
        {"p_hat_max", "the largest p̂_j"},
        {"sparsity_per_unit", "the sparsity term per code unit, before β"},
        {"dead", "code units with p̂ < 0.01"},
        {"units", "code units"},
        {"noise", "the noise type: {noise} shows it, {noise:mask=…|gaussian=…|*=…} picks a text by it"},
        {"sparsity", "the sparsity penalty: {sparsity}, or a text picked by it"},
        {"optimizer", "the optimiser: {optimizer}, or a text picked by it"},
    };
    return names;
}

std::map<std::string, double> live_values(const Snapshot& s) {
    const Knobs& k = s.config.knobs;
    const Terms& t = s.curves.last_train_terms;
    std::map<std::string, double> v = {
        {"step", double(s.progress.step)},
        {"epoch", double(s.progress.epoch)},
        {"train_loss", t.total()},
        {"recon", t.recon},
        {"l2_term", t.l2},
        {"sparsity_term", t.sparsity},
        {"contractive_term", t.contractive},
        {"kl_term", t.kl},
        {"lr", k.lr},
        {"batch", double(k.batch)},
        {"l2", k.l2},
        {"noise_level", k.noise_level},
        {"p", k.sparsity_p},
        {"beta", k.sparsity_beta},
        {"contractive", k.contractive},
        {"vae_beta", k.vae_beta},
    };
    v.merge(choice_knob_values(s.config));
    if (s.curves.has_test) v["test_loss"] = s.curves.last_test_terms.total();
    // Only when the last test point had its clean twin: just after a noise is switched on,
    // the last point was taken without one (and its clean value is no value).
    const History& h = s.curves.history;
    if (s.curves.has_test && !h.test.empty() && !h.test_clean.empty() &&
        h.test_clean.x().back() == h.test.x().back())
        v["test_loss_clean"] = s.curves.last_test_clean;
    if (s.model.p_hat.size() > 0) {
        v["p_hat_mean"] = s.model.p_hat.mean();
        v["p_hat_min"] = s.model.p_hat.minCoeff();
        v["p_hat_max"] = s.model.p_hat.maxCoeff();
        v["dead"] = double((s.model.p_hat.array() < kDeadUnit).count());
        v["units"] = double(s.model.p_hat.size());
        if (k.sparsity_beta > 0) v["sparsity_per_unit"] = t.sparsity / k.sparsity_beta / double(s.model.p_hat.size());
    }
    return v;
}

namespace {

// check.sabotage: [{"what": …, "run": …, "set": {…}, "fails": [expectations]}, …]. Read after
// the runs and expectations, which it must name.
std::optional<Error> read_sabotage(const Reader& r, const Json& c, LessonCheck& check) {
    if (!c.contains("sabotage")) return std::nullopt;
    const Json& list = c["sabotage"];
    if (!list.is_array())
        return r.error("check", "'sabotage' must be a list of {\"what\", \"run\", \"set\", \"fails\"}",
                       "sabotage");
    if (list.size() > limits::kList)
        return r.error("check", "'sabotage' has more than " + std::to_string(limits::kList) + " items",
                       "sabotage");
    for (size_t i = 0; i < list.size(); ++i) {
        const std::string where = "check.sabotage[" + std::to_string(i) + "]";
        if (auto bad = r.only(list[i], where, {"what", "run", "set", "fails"})) return bad;
        LessonSabotage sabotage;
        auto what = r.text(list[i], "what", where, true);
        auto run = r.text(list[i], "run", where, true);
        auto set = r.settings(list[i], "set", where);
        auto fails = r.texts(list[i], "fails", where);
        if (!what) return Error{what.error()};
        if (!run) return Error{run.error()};
        if (!set) return Error{set.error()};
        if (!fails) return Error{fails.error()};
        const auto target = std::find_if(check.runs.begin(), check.runs.end(),
                                         [&](const LessonRun& lr) { return lr.name == *run; });
        if (target == check.runs.end())
            return r.error(where, "'run': " + quoted(std::as_const(*run)) + " is not one of the check's runs",
                           "sabotage");
        if (set->empty())
            return r.error(where, "'set' must change at least one config key", "sabotage");
        Settings changed = target->set;
        changed.insert(changed.end(), set->begin(), set->end());
        if (auto config = apply_settings(Config{}, changed); !config)
            return r.error(where + ".set", config.error(), "sabotage");
        if (fails->empty())
            return r.error(where, "'fails' must name at least one expectation", "sabotage");
        for (const std::string& e : *fails)
            if (std::find(check.expect.begin(), check.expect.end(), e) == check.expect.end())
                return r.error(where + ".fails", quoted(e) + " is not one of the check's 'expect' lines",
                               "sabotage");
        check.sabotage.push_back(
            {std::move(*what), std::move(*run), std::move(*set), std::move(*fails)});
    }
    return std::nullopt;
}

Expected<Lesson> read_lesson(const std::string& text, const std::string& path, const Json& root) {
    const Reader r(text, path);
    if (auto bad = r.only(root, "", {"title", "chapter", "seed", "intro", "formulas", "panels", "base",
                                      "widget", "steps", "check"}))
        return *bad;
    Lesson lesson;
    lesson.path = path;
    lesson.name = fs::path(path).stem().string();
#define AELAB_TAKE(target, expr)          \
    {                                     \
        auto taken = (expr);              \
        if (!taken) return Error{taken.error()}; \
        target = std::move(*taken);       \
    }
    AELAB_TAKE(lesson.title, r.text(root, "title", "", true));
    AELAB_TAKE(lesson.chapter, r.text(root, "chapter", "", true));
    AELAB_TAKE(lesson.seed, r.text(root, "seed", "", false));
    AELAB_TAKE(lesson.intro, r.text(root, "intro", "", false));
    AELAB_TAKE(lesson.formulas, r.texts(root, "formulas", ""));
    for (size_t i = 0; i < lesson.formulas.size(); ++i) {
        const std::string& f = lesson.formulas[i];
        const std::string where = "formulas[" + std::to_string(i) + "]";
        if (f.size() > limits::kFormulaBytes)
            return r.error(where, "longer than " + std::to_string(limits::kFormulaBytes) + " bytes", "formulas");
        if (brace_depth(f) > limits::kFormulaDepth)
            return r.error(where, "{…} nested too deeply (more than " + std::to_string(limits::kFormulaDepth) +
                                      " levels)", "formulas");
    }
    AELAB_TAKE(lesson.panels, r.texts(root, "panels", ""));
    AELAB_TAKE(lesson.base, r.settings(root, "base", "lesson"));
    AELAB_TAKE(lesson.widget, r.text(root, "widget", "", false));
    if (!lesson.widget.empty() && lesson.widget != "backprop")
        return r.error("", "'widget' must be \"backprop\" (the chain rule by hand) or left out", "widget");

    std::set<std::string> live;
    for (const LiveValueName& n : live_value_names()) live.insert(n.name);
    for (const ModelFigureName& n : model_figure_names()) live.insert(n.name);
    if (!root.contains("steps") || !root["steps"].is_array() || root["steps"].empty())
        return r.error("", "'steps' must be a list of at least one step", "steps");
    const Json& steps = root["steps"];
    if (steps.size() > limits::kSteps)
        return r.error("", "more than " + std::to_string(limits::kSteps) + " steps", "steps");
    lesson.steps.reserve(steps.size());
    for (size_t i = 0; i < steps.size(); ++i) {
        const Json& s = steps[i];
        const std::string where = "steps[" + std::to_string(i) + "]";
        if (auto bad = r.only(s, where, {"title", "text", "set", "fresh", "watch", "try", "panels"})) return *bad;
        LessonStep step;
        if (s.contains("fresh")) {
            if (!s["fresh"].is_boolean())
                return r.error(where, "'fresh' must be true or false", "fresh");
            step.fresh = s["fresh"].get<bool>();
        }
        AELAB_TAKE(step.title, r.text(s, "title", where, true));
        AELAB_TAKE(step.text, r.text(s, "text", where, true));
        AELAB_TAKE(step.set, r.settings(s, "set", where));
        AELAB_TAKE(step.watch, r.texts(s, "watch", where));
        AELAB_TAKE(step.panels, r.texts(s, "panels", where));
        for (size_t w = 0; w < step.watch.size(); ++w) {
            const std::string at = where + ".watch[" + std::to_string(w) + "]";
            for (const std::string& name : placeholder_names(step.watch[w]))
                if (!live.count(name))
                    return r.error(at, quoted("{" + name + "}", 60) + " is not a live value (see the README's list)",
                                   "watch");
            if (auto bad = bad_placeholder_format(step.watch[w])) return r.error(at, *bad, "watch");
        }
        if (s.contains("try")) {
            if (!s["try"].is_array()) return r.error(where, "'try' must be a list", "try");
            if (s["try"].size() > limits::kList)
                return r.error(where, "'try' has more than " + std::to_string(limits::kList) + " buttons", "try");
            for (size_t t = 0; t < s["try"].size(); ++t) {
                const Json& b = s["try"][t];
                const std::string at = where + ".try[" + std::to_string(t) + "]";
                if (auto bad = r.only(b, at, {"label", "set", "view"})) return *bad;
                LessonTry button;
                AELAB_TAKE(button.label, r.text(b, "label", at, true));
                AELAB_TAKE(button.set, r.settings(b, "set", at));
                AELAB_TAKE(button.view, r.view_settings(b, at));
                step.tries.push_back(std::move(button));
            }
        }
        lesson.steps.push_back(std::move(step));
    }

    if (!root.contains("check")) return r.error("", "the field 'check' is missing");
    const Json& c = root["check"];
    if (auto bad = r.only(c, "check", {"claim", "runs", "expect", "report", "sabotage"})) return *bad;
    AELAB_TAKE(lesson.check.claim, r.text(c, "claim", "check", true));
    AELAB_TAKE(lesson.check.expect, r.texts(c, "expect", "check"));
    AELAB_TAKE(lesson.check.report, r.texts(c, "report", "check"));
    if (!c.contains("runs") || !c["runs"].is_object() || c["runs"].empty())
        return r.error("check", "'runs' must name at least one run: {\"name\": {\"set\": …, \"steps\": N}}", "runs");
    if (c["runs"].size() > limits::kList)
        return r.error("check", "'runs' names more than " + std::to_string(limits::kList) + " runs", "runs");
    for (const auto& [name, run] : c["runs"].items()) {
        const std::string where = "check.runs." + name;
        if (auto bad = r.only(run, where, {"set", "steps"})) return *bad;
        LessonRun lr;
        lr.name = name;
        AELAB_TAKE(lr.set, r.settings(run, "set", where));
        // The same validation as --set: the run's whole config, not only each key.
        if (auto config = apply_settings(Config{}, lr.set); !config)
            return r.error(where + ".set", config.error(), name);
        if (!run.contains("steps") || !run["steps"].is_number_integer() || run["steps"].get<int64_t>() < 0 ||
            run["steps"].get<int64_t>() > 10'000'000 ||
            (run["steps"].is_number_unsigned() && run["steps"].get<uint64_t>() > 10'000'000))
            return r.error(where, "'steps' must be a whole number from 0 to 10,000,000", name);
        lr.steps = run["steps"].get<int64_t>();
        lesson.check.runs.push_back(std::move(lr));
    }
    if (lesson.check.expect.empty()) return r.error("check", "'expect' needs at least one comparison", "expect");
    // Every name an expectation or the report uses must start with a run's name.
    for (const char* field : {"expect", "report"}) {
        const auto& list = std::string(field) == "expect" ? lesson.check.expect : lesson.check.report;
        for (size_t i = 0; i < list.size(); ++i) {
            const std::string& e = list[i];
            const std::string where = std::string("check.") + field + "[" + std::to_string(i) + "]";
            if (e.size() > limits::kExpressionBytes)
                return r.error(where, "longer than " + std::to_string(limits::kExpressionBytes) + " bytes", field);
            auto names = expression_names(e);
            if (!names) return r.error(where, quoted(e) + ": " + names.error(), field);
            for (const std::string& n : *names) {
                const std::string run = n.substr(0, n.find('.'));
                const bool known = std::any_of(lesson.check.runs.begin(), lesson.check.runs.end(),
                                               [&](const LessonRun& lr) { return lr.name == run; });
                if (!known || n.find('.') == std::string::npos)
                    return r.error(where, quoted(n) + " in " + quoted(e) + " names no run (RUN.metric)", field);
            }
        }
    }
    if (auto bad = read_sabotage(r, c, lesson.check)) return *bad;
#undef AELAB_TAKE
    // Each step's config: one pass that applies each step's changes once (a step builds on the
    // ones before it). lesson_config(lesson, i) for each i would apply 1 + 2 + … + n of them:
    // a 20,000-step lesson took 46 s to load.
    Config config;
    for (const auto& [key, value] : lesson.base) {
        ++t_settings_applied;
        if (auto bad = set_config_value(config, key, value)) return r.error("lesson.base", bad->message, "base");
    }
    for (size_t i = 0; i < lesson.steps.size(); ++i) {
        const std::string where = "steps[" + std::to_string(i) + "]";
        for (const auto& [key, value] : lesson.steps[i].set) {
            ++t_settings_applied;
            if (auto bad = set_config_value(config, key, value)) return r.error(where, bad->message, "steps");
        }
        if (auto bad = validate_config(config)) return r.error(where, bad->message, "steps");
    }
    return lesson;
}

}  // namespace

Expected<Lesson> parse_lesson(const std::string& text, const std::string& path, LessonLoadWork* work) {
    if (text.size() > limits::kFileBytes)
        return Error{path + ": larger than " + std::to_string(limits::kFileBytes >> 20) + " MiB: not a lesson"};
    if (auto bad = prescan_json(text, path)) return *bad;
    const int64_t applied_before = t_settings_applied;
    try {
        Json root;
        try {
            root = Json::parse(text);
        } catch (const Json::parse_error& e) {
            return Error{path + ":" + std::to_string(line_of(text, e.byte > 0 ? e.byte - 1 : 0)) +
                         ": not valid JSON (" + e.what() + ")"};
        } catch (const Json::exception& e) {  // a number out of range (1e999)
            return Error{path + ": not valid JSON (" + e.what() + ")"};
        }
        auto lesson = read_lesson(text, path, root);
        if (work) work->settings_applied = t_settings_applied - applied_before;
        return lesson;
    } catch (const Json::exception& e) {  // a wrong type the reader missed: an error, never a crash
        return Error{path + ": " + e.what()};
    }
}

Expected<Lesson> load_lesson(const std::string& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) return Error{path + ": no such lesson file"};
    const auto bytes = fs::file_size(path, ec);
    if (ec) return Error{path + ": cannot be read (" + ec.message() + ")"};
    if (bytes > lesson_limits::kFileBytes)
        return Error{path + ": larger than " + std::to_string(lesson_limits::kFileBytes >> 20) +
                     " MiB: not a lesson"};
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) return Error{path + ": cannot be read"};
    return parse_lesson(text.str(), path);
}

std::string lessons_folder() {
    if (const char* env = std::getenv("AELAB_LESSONS"); env && *env) return env;
    return AELAB_LESSONS_DIR;
}

Expected<std::vector<Lesson>> load_all_lessons(const std::string& folder) {
    std::vector<std::string> paths;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
    if (ec) return Error{folder + ": " + ec.message()};
    std::sort(paths.begin(), paths.end());
    std::vector<Lesson> lessons;
    for (const std::string& p : paths) {
        auto lesson = load_lesson(p);
        if (!lesson) return Error{lesson.error()};
        lessons.push_back(std::move(*lesson));
    }
    return lessons;
}

Expected<Lesson> find_lesson(const std::string& name, const std::string& folder) {
    std::error_code ec;
    if (name.find('/') != std::string::npos || fs::is_regular_file(name, ec)) return load_lesson(name);
    std::vector<std::string> matches;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
        const std::string stem = entry.path().stem().string();
        if (entry.path().extension() != ".json") continue;
        if (stem == name) return load_lesson(entry.path().string());
        if (stem.rfind(name, 0) == 0) matches.push_back(entry.path().string());
    }
    if (ec) return Error{folder + ": " + ec.message()};
    if (matches.size() == 1) return load_lesson(matches[0]);
    return Error{"no lesson '" + name + "' in " + folder +
                 (matches.empty() ? "" : " (" + std::to_string(matches.size()) + " start so: be more exact)") +
                 "; aelab --list-lessons shows them"};
}

Expected<Config> apply_settings(Config config, const Settings& settings) {
    t_settings_applied += int64_t(settings.size());
    for (const auto& [key, value] : settings)
        if (auto bad = set_config_value(config, key, value)) return Error{bad->message};
    if (auto bad = validate_config(config)) return Error{bad->message};
    return config;
}

Expected<Config> lesson_config(const Lesson& lesson, int step) {
    Settings all = lesson.base;
    for (int i = 0; i <= step && i < int(lesson.steps.size()); ++i)
        all.insert(all.end(), lesson.steps[i].set.begin(), lesson.steps[i].set.end());
    return apply_settings(Config{}, all);
}

const std::vector<ViewSettingName>& view_setting_names() {
    static const std::vector<ViewSettingName> names = {
        {ViewSetting::AnomalyK, "anomaly_k", "the Anomaly panel's k in t = μ + kσ", 0.5, 6.0},
    };
    return names;
}

const ViewSettingName* find_view_setting(const std::string& name) {
    for (const ViewSettingName& n : view_setting_names())
        if (name == n.name) return &n;
    return nullptr;
}

}  // namespace aelab
