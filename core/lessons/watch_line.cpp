#include "core/lessons/watch_line.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "core/base/text_format.h"

namespace aelab {

namespace {

// A placeholder's parts: "{name:spec}" (spec empty when there is no ':').
struct Placeholder {
    std::string_view name, spec;
    bool has_spec = false;
};

Placeholder split(std::string_view inside) {
    const size_t colon = inside.find(':');
    if (colon == std::string_view::npos) return {inside, {}, false};
    return {inside.substr(0, colon), inside.substr(colon + 1), true};
}

const ConfigKey* choice_key(std::string_view name) {
    const auto& names = choice_knob_names();
    if (std::find(names.begin(), names.end(), name) == names.end()) return nullptr;
    return find_config_key(name);
}

// One part of a choice: "value=text".
struct Choice {
    std::string_view value, text;
    bool has_equals = false;
};

// "mask=masked|gaussian=noisy|*=corrupted" → its parts, in order.
std::vector<Choice> choices(std::string_view spec) {
    std::vector<Choice> out;
    for (size_t at = 0; at <= spec.size();) {
        size_t bar = spec.find('|', at);
        if (bar == std::string_view::npos) bar = spec.size();
        const std::string_view part = spec.substr(at, bar - at);
        const size_t equals = part.find('=');
        if (equals == std::string_view::npos)
            out.push_back({part, {}, false});
        else
            out.push_back({part.substr(0, equals), part.substr(equals + 1), true});
        at = bar + 1;
    }
    return out;
}

std::optional<std::string> bad_choice(const ConfigKey& key, std::string_view spec) {
    std::set<std::string_view> given;
    bool otherwise = false;
    for (const Choice& choice : choices(spec)) {
        const std::string_view value = choice.value;  // a lambda below takes it (clang 14
                                                      // cannot capture a structured binding)
        if (!choice.has_equals || value.empty())
            return "{" + std::string(key.name) +
                   ":…} picks a text by value: write value=text|value=text, '*' for "
                   "every other value";
        const bool known =
            value == "*" || std::any_of(key.values.begin(), key.values.end(),
                                        [&](const EnumValue& v) { return value == v.name; });
        if (!known)
            return "'" + std::string(value) + "' is not a value of " + key.name + " (" +
                   key.allowed + ", or *)";
        if (!given.insert(value).second)
            return "'" + std::string(value) + "' is given twice in {" + key.name + ":…}";
        otherwise |= value == "*";
    }
    for (const EnumValue& v : key.values)
        if (!otherwise && !given.count(v.name))
            return "{" + std::string(key.name) + ":…} gives no text for " + v.name + " (add " +
                   v.name + "=… or *=…)";
    return std::nullopt;
}

// The text for a choice knob's value `index`: its name, or what the choice gives for it.
std::string choice_text(const ConfigKey& key, double index, std::string_view spec, bool has_spec) {
    if (!(index >= 0 && index < double(key.values.size()))) return "—";
    const std::string_view name = key.values[size_t(index)].name;
    if (!has_spec) return std::string(name);
    std::string_view otherwise = "—";
    for (const auto& [value, text, has_equals] : choices(spec)) {
        if (value == name) return std::string(text);
        if (value == "*") otherwise = text;
    }
    return std::string(otherwise);
}

}  // namespace

const std::vector<std::string>& choice_knob_names() {
    static const std::vector<std::string> names = {"noise", "sparsity", "optimizer"};
    return names;
}

std::map<std::string, double> choice_knob_values(const Config& config) {
    std::map<std::string, double> values;
    for (const std::string& name : choice_knob_names()) {
        const ConfigKey& key = config_key(name);
        const std::string now = get_config_value(config, name);
        for (size_t i = 0; i < key.values.size(); ++i)
            if (now == key.values[i].name) values[name] = double(i);
    }
    return values;
}

std::vector<std::string> placeholder_names(const std::string& line) {
    std::vector<std::string> names;
    // The next '{' is looked for after this one's '}': "{{{{…}" is one pass, not one per brace.
    for (size_t open = line.find('{'); open != std::string::npos; open = line.find('{', open)) {
        const size_t close = line.find('}', open);
        if (close == std::string::npos) {
            names.emplace_back();
            break;
        }
        names.emplace_back(split(std::string_view(line).substr(open + 1, close - open - 1)).name);
        open = close + 1;
    }
    return names;
}

std::optional<std::string> bad_placeholder_format(const std::string& line) {
    for (size_t open = line.find('{'); open != std::string::npos; open = line.find('{', open)) {
        const size_t close = line.find('}', open);
        if (close == std::string::npos) return std::nullopt;  // placeholder_names gives it no name
        const Placeholder p = split(std::string_view(line).substr(open + 1, close - open - 1));
        if (const ConfigKey* key = choice_key(p.name)) {
            if (p.has_spec)
                if (auto bad = bad_choice(*key, p.spec)) return bad;
        } else if (p.has_spec) {
            if (auto format = parse_watch_format(p.spec); !format) return format.error();
        }
        open = close + 1;
    }
    return std::nullopt;
}

std::string fill_placeholders(const std::string& line,
                              const std::map<std::string, double>& values) {
    std::string out;
    size_t at = 0;
    while (at < line.size()) {
        const size_t open = line.find('{', at);
        const size_t close = open == std::string::npos ? open : line.find('}', open);
        if (close == std::string::npos) {
            out += line.substr(at);
            break;
        }
        out += line.substr(at, open - at);
        const Placeholder p = split(std::string_view(line).substr(open + 1, close - open - 1));
        const auto found = values.find(std::string(p.name));
        if (found == values.end()) {
            out += "—";
        } else if (const ConfigKey* key = choice_key(p.name)) {
            out += choice_text(*key, found->second, p.spec, p.has_spec);
        } else {
            // No format: whole numbers (steps, counts) in full, others to four digits. A format
            // outside the whitelist (the loader refuses those) shows the placeholder as typed.
            auto format = parse_watch_format(p.spec);
            out += format ? format_number(found->second, *format)
                          : line.substr(open, close - open + 1);
        }
        at = close + 1;
    }
    return out;
}

}  // namespace aelab
