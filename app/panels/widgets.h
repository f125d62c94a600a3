// Small widgets shared by the panels: enum combos, hints, help markers. GUI thread only.
#pragma once

#include <cstdint>
#include <algorithm>
#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "core/config/config.h"

namespace widgets {

// Widgets for a config key: the label, the slider's span, scale and format, the combo's
// labels and the (?) tip all come from the key's row in the knob table (config_keys()), so
// the window shows what --set, the files and --help know. Each returns true when the value
// changed. `label` overrides the row's (the noise slider says "noise σ" or "noise q").
bool key_slider(const char* key, float& value, const char* label = nullptr);
bool key_slider(const char* key, int& value, const char* label = nullptr);
bool key_checkbox(const char* key, bool& value);
// An integer field with −/+ buttons (train size, seed); true when Enter gave a new value,
// clamped to the key's range.
bool key_input(const char* key, int& value);
// ImGui::BeginCombo whose list stays within the panel's height: ImGui keeps a list inside
// the display only, so one opened low in the Controls ran over the timeline and under the
// status bar; this one opens upward instead. Pair with ImGui::EndCombo.
bool begin_combo(const char* label, const char* preview, ImGuiComboFlags flags = 0);
// begin_combo for a config key: its label, recorded for tests as the key widgets are.
bool begin_key_combo(const char* key, const char* preview);
// A combo over the key's values (the enum's order), each shown with its label.
bool key_combo_index(const char* key, int& index);
template <class E>
bool key_combo(const char* key, E& value) {
    int index = int(value);
    const bool changed = key_combo_index(key, index);
    value = static_cast<E>(index);
    return changed;
}
// The key's (?) tip after the previous item.
void key_help(const char* key);

// What the key widgets drew, for tests: off (null) unless a test asks. Each entry: the key,
// the label shown, the widget's kind, its span (sliders) or its values' labels (combos), its
// rectangle and whether it could be used.
struct KeyWidgetSeen {
    std::string key, label;
    enum Kind { Slider, Combo, Checkbox, Input } kind;
    double lo = 0, hi = 0;
    bool logarithmic = false;
    std::vector<std::string> labels;
    ImVec2 min, max;
    bool enabled = true;
};
void record_key_widgets(std::vector<KeyWidgetSeen>* into);

// ImGui::SliderFloat and SliderInt with a handle that never covers the value: ImGui's grab
// fills the frame's height, over the digits ("0.001" read as "_.001"); here the same grab is
// drawn as two tabs in the frame's top and bottom padding, where no digit is, at the same
// place. Ctrl-click still types a value. True when the value changed.
bool slider_float(const char* label, float* value, float lo, float hi, const char* format = "%.3f",
                  ImGuiSliderFlags flags = 0);
bool slider_int(const char* label, int* value, int lo, int hi, const char* format = "%d",
                ImGuiSliderFlags flags = 0);

// Sliders whose span is not a config key's (the code size): the slider spans [lo, hi], and
// the value is clamped to `allowed`. True when the value changed.
// A value typed beyond what its key allows is clamped; take_clamp_note() says so once
// ("learning rate 50 is not allowed (a number in (0, 10]): set to 10"), for the status bar.
std::optional<std::string> take_clamp_note();
bool key_slider_int(const char* label, const aelab::NumericRange& allowed, int& value, int lo,
                    int hi, ImGuiSliderFlags flags = 0);

// A titled separator between groups of controls (ImGui 1.86 has no SeparatorText).
void section(const char* title);
// A section title that folds its group of controls away when clicked (an arrow before it
// says so), at section()'s height: at 1280×720 the Controls' Data group is a fold or two
// away, not a hunt. open_now unfolds it (a message shown inside). True while unfolded.
bool fold_section(const char* title, bool open_now = false);
// Keeps the next item on this line when `width` pixels are left on it, else starts a new
// line: a row of controls that wraps rather than running out of its window.
void same_line_if_fits(float width);
// Short greyed texts after the previous item, each on the line while it fits, else on the
// next: figures ("train 21.6", "test 20.5") never break inside themselves.
void info_items(const std::vector<std::string>& items);
// Greyed text after the previous item: on its line when it fits, else below it, wrapped.
void info_after(const char* text);
// The width a combo needs to show `longest` uncut (its preview, padding and arrow).
float combo_width(const char* longest);
// A colour key on one line: "caption  left ▇▇▇▇ right", the strip coloured by color(t) for
// t from 0 (left) to 1 (right); `tip` when hovered. For colourings a legend box cannot
// explain (p̂'s bars by KL, the filters' blue–white–red).
void color_key(const char* caption, const char* left, const char* right,
               const std::function<ImU32(float)>& color, const char* tip);
// `text` as it fits in `width` pixels of the current font: whole, or cut after the last
// character that fits, with "…" (for one-line places such as the status bar; show the whole
// text in a tooltip).
std::string fit_text(const std::string& text, float width);
// "(?)" that shows `text` when hovered.
void help_marker(const char* text);
// printf-formatted text wrapped to the window (or to a pushed text wrap position), as
// ImGui::TextWrapped, but broken only at spaces and line breaks: ImGui also breaks after
// '.', ',', ';', '!' and '?', which cuts a figure ("0.\n5") or an ellipsis in two. One item
// (a group) for IsItemHovered.
void text_wrapped(const char* format, ...) IM_FMTARGS(1);
// The lines `text` makes at `width`, broken only at spaces and '\n' (a word wider than the
// width gets a line of its own); `width_of` measures a piece of it.
std::vector<std::string> wrap_at_spaces(const std::string& text, float width,
                                        const std::function<float(const std::string&)>& width_of);
// Wrapped text in the greyed (disabled) colour: a note, a key, what a view leaves out.
void note(const char* text);
// Wrapped text in the warning colour (amber), for hints about mismatched choices.
void hint(const char* text);
// Wrapped text in the error colour.
void error_text(const char* text);
// A step count with thousands separators: "1,024".
std::string format_step(int64_t step);
// The two theme-aware accent colours.
ImVec4 warning_color();
ImVec4 error_color();

}  // namespace widgets
