// A lesson's watch lines: text with {placeholders} filled from live values each frame. A
// number takes a format ("{test_loss:.3f}", a whitelist, never printf); a knob with named
// values (noise, sparsity, optimizer) shows its value's name ("{noise}" → "mask") or picks a
// text by it ("{noise:mask=masked|gaussian=noisy|*=corrupted}"), so that a line stays true
// after a Try button or the Controls switch the knob. Any thread (plain values).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config.h"

namespace aelab {

// The knobs a watch line may name by value: config keys with named values, live.
const std::vector<std::string>& choice_knob_names();
// Their values in `config`, as live values: the index of each one's value in its key's list
// (ConfigKey::values), which fill_placeholders turns back into the name.
std::map<std::string, double> choice_knob_values(const Config& config);

// The names of the placeholders in a watch line, in order ("{p_hat_mean:.3f}" → p_hat_mean);
// an unclosed brace gives an empty name.
std::vector<std::string> placeholder_names(const std::string& line);
// The first placeholder of `line` whose format (after ':') is outside the whitelist of
// core/text_format.h, or whose choice is malformed (a value its knob does not have, a value
// no text is given for and no '*'), with why; nullopt when all are good.
std::optional<std::string> bad_placeholder_format(const std::string& line);

// "{name}" and "{name:.3f}" replaced by values[name] (formats of core/text_format.h, never
// printf; without one, whole numbers in full and others as .4g); a choice knob by its
// value's name, or the text its choice gives for that value; a name not in `values` is shown
// as "—", a placeholder with a format outside the whitelist as typed.
std::string fill_placeholders(const std::string& line, const std::map<std::string, double>& values);

}  // namespace aelab
