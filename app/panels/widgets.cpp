#include "app/panels/widgets.h"

#include <algorithm>
#include <cstdarg>
#include <cmath>
#include <cstdio>
#include <utility>

#include <imgui_internal.h>

#include "core/base/check.h"

namespace widgets {

namespace {
bool dark_theme() {
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    return bg.x + bg.y + bg.z < 1.5f;
}
}  // namespace

ImVec4 warning_color() {
    return dark_theme() ? ImVec4(1.0f, 0.75f, 0.3f, 1.0f) : ImVec4(0.65f, 0.38f, 0.0f, 1.0f);
}

ImVec4 error_color() {
    return dark_theme() ? ImVec4(1.0f, 0.45f, 0.45f, 1.0f) : ImVec4(0.75f, 0.05f, 0.05f, 1.0f);
}

std::string format_step(int64_t step) {
    std::string digits = std::to_string(step < 0 ? -step : step), out;
    for (size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return step < 0 ? "-" + out : out;
}

namespace {

// The grab's place along a slider, 0 to 1, as ImGui's ScaleRatioFromValueT has it (not
// exported from libimgui) for linear ranges and log ranges on one side of 0; an end nearer 0
// than `epsilon` (the format's last digit) counts as `epsilon`.
float slider_ratio(double v, double lo, double hi, bool logarithmic, double epsilon) {
    if (lo == hi) return 0;
    const bool reversed = lo > hi;
    if (reversed) std::swap(lo, hi);
    v = std::clamp(v, lo, hi);
    double t = (v - lo) / (hi - lo);
    if (logarithmic && lo * hi >= 0) {
        const auto fudged = [&](double end) {
            return std::fabs(end) < epsilon ? (end < 0 ? -epsilon : epsilon) : end;
        };
        const double a = fudged(lo), b = fudged(hi);
        if (v <= a)
            t = 0;
        else if (v >= b)
            t = 1;
        else if (hi <= 0)
            t = 1 - std::log(-v / -b) / std::log(-a / -b);
        else
            t = std::log(v / a) / std::log(b / a);
    }
    return float(reversed ? 1 - t : t);
}

// Where ImGui put the grab of the slider just drawn (its SliderBehavior's own arithmetic:
// 2 px padding, GrabMinSize, an integer slider's grab a step wide, the log mapping), as the
// x span of the tabs.
template <class T>
std::pair<float, float> grab_span(ImRect frame, ImGuiDataType type, T value, T lo, T hi,
                                  const char* format, ImGuiSliderFlags flags) {
    const ImGuiStyle& style = ImGui::GetStyle();
    constexpr float kGrabPadding = 2.0f;  // imgui_widgets.cpp, SliderBehaviorT
    const bool floating = type == ImGuiDataType_Float;
    const float slider = frame.GetWidth() - 2 * kGrabPadding;
    float grab = style.GrabMinSize;
    if (!floating && hi >= lo) grab = std::max(slider / float(hi - lo + 1), style.GrabMinSize);
    grab = std::min(grab, slider);
    const float usable = slider - grab;
    const bool logarithmic = (flags & ImGuiSliderFlags_Logarithmic) != 0;
    float epsilon = 0, deadzone = 0;
    if (logarithmic) {
        epsilon = std::pow(0.1f, float(floating ? ImParseFormatPrecision(format, 3) : 1));
        deadzone = style.LogSliderDeadzone * 0.5f / std::max(usable, 1.0f);
    }
    (void)deadzone;  // only for a log range that crosses 0, which no slider here has
    const float t = slider_ratio(double(value), double(lo), double(hi), logarithmic, epsilon);
    const float centre = frame.Min.x + kGrabPadding + grab * 0.5f + t * usable;
    return {centre - grab * 0.5f, centre + grab * 0.5f};
}

// The slider `draw` makes, its grab hidden and drawn again as tabs above and below the text.
template <class T>
bool slider_with_tabs(ImGuiDataType type, T* value, T lo, T hi, const char* format,
                      ImGuiSliderFlags flags, const std::function<bool()>& draw) {
    const float frame_width = ImGui::CalcItemWidth();
    const ImU32 grab = ImGui::GetColorU32(ImGuiCol_SliderGrab);
    const ImU32 grab_active = ImGui::GetColorU32(ImGuiCol_SliderGrabActive);
    ImGui::PushStyleColor(ImGuiCol_SliderGrab, IM_COL32(0, 0, 0, 0));
    ImGui::PushStyleColor(ImGuiCol_SliderGrabActive, IM_COL32(0, 0, 0, 0));
    const bool changed = draw();
    ImGui::PopStyleColor(2);
    if (!ImGui::IsItemVisible() || ImGui::TempInputIsActive(ImGui::GetItemID())) return changed;
    const ImVec2 min = ImGui::GetItemRectMin();
    const ImRect frame(min, ImVec2(min.x + frame_width, min.y + ImGui::GetFrameHeight()));
    const auto [left, right] = grab_span(frame, type, *value, lo, hi, format, flags);
    // A tab as tall as the padding (2 px at least): the text starts below it.
    const float tab = std::max(2.0f, ImGui::GetStyle().FramePadding.y);
    const ImU32 color = ImGui::IsItemActive() ? grab_active : grab;
    ImDrawList* draw_list = ImGui::GetWindowDrawList();
    draw_list->AddRectFilled(ImVec2(left, frame.Min.y), ImVec2(right, frame.Min.y + tab), color);
    draw_list->AddRectFilled(ImVec2(left, frame.Max.y - tab), ImVec2(right, frame.Max.y), color);
    return changed;
}

}  // namespace

bool slider_float(const char* label, float* value, float lo, float hi, const char* format,
                  ImGuiSliderFlags flags) {
    return slider_with_tabs<float>(ImGuiDataType_Float, value, lo, hi, format, flags, [&] {
        return ImGui::SliderFloat(label, value, lo, hi, format, flags);
    });
}

bool slider_int(const char* label, int* value, int lo, int hi, const char* format,
                ImGuiSliderFlags flags) {
    return slider_with_tabs<int>(ImGuiDataType_S32, value, lo, hi, format, flags, [&] {
        return ImGui::SliderInt(label, value, lo, hi, format, flags);
    });
}

namespace {
std::optional<std::string> clamp_note;
std::vector<KeyWidgetSeen>* seen_into = nullptr;

void seen(const aelab::ConfigKey& key, const char* label, KeyWidgetSeen::Kind kind,
          std::vector<std::string> labels = {}) {
    if (!seen_into) return;
    KeyWidgetSeen item{key.name, label, kind};
    if (key.widget) {
        item.lo = key.widget->lo;
        item.hi = key.widget->hi;
        item.logarithmic = key.widget->logarithmic;
    }
    item.labels = std::move(labels);
    item.min = ImGui::GetItemRectMin();
    item.max = ImGui::GetItemRectMax();
    item.enabled = !(ImGui::GetItemFlags() & ImGuiItemFlags_Disabled);
    seen_into->push_back(std::move(item));
}

// A value beyond what the key allows (typed with Ctrl-click, dragged past an end) is
// clamped, and said once when the edit ends.
template <class T>
void clamp_to_key(const aelab::ConfigKey& key, const char* label, T& value) {
    if (!key.range) return;
    const T allowed = T(key.range->clamp(double(value)));
    if (allowed != value && ImGui::IsItemDeactivatedAfterEdit())
        clamp_note = std::string(label) + " " + aelab::format_float(float(value)) +
                     " is not allowed (" + key.allowed + "): set to " + aelab::format_float(float(allowed));
    value = allowed;
}

const aelab::KnobWidget& widget_of(const aelab::ConfigKey& key) {
    AELAB_CHECK(key.widget.has_value(), "a slider for a key without a widget in the table");
    return *key.widget;
}
}  // namespace

void record_key_widgets(std::vector<KeyWidgetSeen>* into) { seen_into = into; }

std::optional<std::string> take_clamp_note() { return std::exchange(clamp_note, std::nullopt); }

bool key_slider(const char* name, float& value, const char* label) {
    const aelab::ConfigKey& key = aelab::config_key(name);
    const aelab::KnobWidget& w = widget_of(key);
    if (!label) label = key.label;
    const float before = value;
    slider_float(label, &value, float(w.lo), float(w.hi), w.format,
                 w.logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
    seen(key, label, KeyWidgetSeen::Slider);
    clamp_to_key(key, label, value);
    return value != before;
}

bool key_slider(const char* name, int& value, const char* label) {
    const aelab::ConfigKey& key = aelab::config_key(name);
    const aelab::KnobWidget& w = widget_of(key);
    if (!label) label = key.label;
    const int before = value;
    slider_int(label, &value, int(w.lo), int(w.hi), w.format,
               w.logarithmic ? ImGuiSliderFlags_Logarithmic : 0);
    seen(key, label, KeyWidgetSeen::Slider);
    value = int(key.range->clamp(value));
    return value != before;
}

bool key_checkbox(const char* name, bool& value) {
    const aelab::ConfigKey& key = aelab::config_key(name);
    const bool changed = ImGui::Checkbox(key.label, &value);
    seen(key, key.label, KeyWidgetSeen::Checkbox);
    return changed;
}

bool key_input(const char* name, int& value) {
    const aelab::ConfigKey& key = aelab::config_key(name);
    const aelab::KnobWidget& w = widget_of(key);
    int typed = value;
    const bool entered = ImGui::InputInt(key.label, &typed, int(w.step), int(w.step_fast),
                                         ImGuiInputTextFlags_EnterReturnsTrue);
    seen(key, key.label, KeyWidgetSeen::Input);
    if (entered) value = int(key.range->clamp(typed));
    return entered;
}

bool begin_combo(const char* label, const char* preview, ImGuiComboFlags flags) {
    // ImGui places a combo's list within the display less DisplaySafeAreaPadding (on both
    // sides): for this one call the padding covers what lies below the panel (the timeline
    // and the status bar, in the tiled layout), so a list that does not fit below opens
    // upward. A floating panel high on the screen keeps ImGui's own rule.
    ImGuiStyle& style = ImGui::GetStyle();
    const ImVec2 saved = style.DisplaySafeAreaPadding;
    const ImGuiWindow* panel = ImGui::GetCurrentWindow()->RootWindow;
    const ImGuiViewport* viewport = ImGui::GetMainViewport();
    const float below = viewport->Pos.y + viewport->Size.y - (panel->Pos.y + panel->Size.y);
    if (below < viewport->Size.y / 3) style.DisplaySafeAreaPadding.y = std::max(saved.y, below);
    const bool open = ImGui::BeginCombo(label, preview, flags);
    style.DisplaySafeAreaPadding = saved;
    return open;
}

bool begin_key_combo(const char* name, const char* preview) {
    const aelab::ConfigKey& key = aelab::config_key(name);
    const bool open = begin_combo(key.label, preview);
    if (seen_into && !open) {  // (once open, the last item is the list's window)
        std::vector<std::string> labels;
        for (const aelab::EnumValue& v : key.values) labels.push_back(v.label);
        seen(key, key.label, KeyWidgetSeen::Combo, std::move(labels));
    }
    return open;
}

bool key_combo_index(const char* name, int& index) {
    const aelab::ConfigKey& key = aelab::config_key(name);
    AELAB_CHECK(!key.values.empty(), "a combo for a key without values in the table");
    const int count = int(key.values.size());
    const char* preview = index >= 0 && index < count ? key.values[size_t(index)].label : "";
    bool changed = false;
    if (begin_key_combo(name, preview)) {
        for (int i = 0; i < count; ++i) {
            if (ImGui::Selectable(key.values[size_t(i)].label, index == i)) {
                changed = i != index;
                index = i;
            }
        }
        ImGui::EndCombo();
    }
    return changed;
}

void key_help(const char* name) {
    const aelab::ConfigKey& key = aelab::config_key(name);
    AELAB_CHECK(key.tip != nullptr, "a (?) for a key without a tip in the table");
    help_marker(key.tip);
}

bool key_slider_int(const char* label, const aelab::NumericRange& allowed, int& value, int lo,
                    int hi, ImGuiSliderFlags flags) {
    const int before = value;
    slider_int(label, &value, lo, hi, "%d", flags);
    value = int(allowed.clamp(value));
    return value != before;
}

void section(const char* title) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", title);
    ImGui::Separator();
}

bool fold_section(const char* title, bool open_now) {
    ImGui::Spacing();
    if (open_now) ImGui::SetNextItemOpen(true);
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    const bool open = ImGui::TreeNodeEx(title, ImGuiTreeNodeFlags_DefaultOpen |
                                                   ImGuiTreeNodeFlags_NoTreePushOnOpen |
                                                   ImGuiTreeNodeFlags_SpanAvailWidth);
    ImGui::PopStyleColor();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Click to fold or unfold this group.\nCtrl-click a slider to type a value.");
    ImGui::Separator();
    return open;
}

void same_line_if_fits(float width) {
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < width) ImGui::NewLine();
}

void info_items(const std::vector<std::string>& items) {
    for (const std::string& item : items) {
        same_line_if_fits(ImGui::CalcTextSize(item.c_str()).x);
        ImGui::TextDisabled("%s", item.c_str());
    }
}

void info_after(const char* text) {
    same_line_if_fits(ImGui::CalcTextSize(text).x);
    note(text);
}

float combo_width(const char* longest) {
    const ImGuiStyle& style = ImGui::GetStyle();
    return ImGui::CalcTextSize(longest).x + 2 * style.FramePadding.x + ImGui::GetFrameHeight() +
           style.ItemInnerSpacing.x;
}

void color_key(const char* caption, const char* left, const char* right,
               const std::function<ImU32(float)>& color, const char* tip) {
    const float labels_w = ImGui::CalcTextSize(left).x + ImGui::CalcTextSize(right).x +
                           3 * ImGui::GetStyle().ItemSpacing.x;
    const float strip_h = ImGui::GetTextLineHeight() * 0.75f;
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", caption);
    same_line_if_fits(labels_w + ImGui::GetFontSize() * 6);
    // As long as six letters where there is room, down to two in a narrow panel.
    const float strip_w = std::clamp(ImGui::GetContentRegionAvail().x - labels_w,
                                     ImGui::GetFontSize() * 2, ImGui::GetFontSize() * 6);
    ImGui::TextUnformatted(left);
    ImGui::SameLine();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float y0 = p0.y + (ImGui::GetTextLineHeight() - strip_h) / 2;
    constexpr int kSlices = 24;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (int i = 0; i < kSlices; ++i) {
        const float a = p0.x + strip_w * i / kSlices, b = p0.x + strip_w * (i + 1) / kSlices;
        draw->AddRectFilled(ImVec2(a, y0), ImVec2(b + 0.5f, y0 + strip_h), color((i + 0.5f) / kSlices));
    }
    draw->AddRect(ImVec2(p0.x, y0), ImVec2(p0.x + strip_w, y0 + strip_h), ImGui::GetColorU32(ImGuiCol_Border));
    ImGui::Dummy(ImVec2(strip_w, ImGui::GetTextLineHeight()));
    ImGui::SameLine();
    ImGui::TextUnformatted(right);
    ImGui::EndGroup();
    if (tip && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

void help_marker(const char* text) {
    ImGui::SameLine();
    ImGui::TextDisabled("(?)");
    if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30.0f);
        text_wrapped("%s", text);
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
    }
}

std::vector<std::string> wrap_at_spaces(const std::string& text, float width,
                                        const std::function<float(const std::string&)>& width_of) {
    std::vector<std::string> lines;
    size_t start = 0;
    while (start <= text.size()) {  // each paragraph, filled greedily word by word
        size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        std::string line;
        for (size_t word = start; word <= end;) {
            size_t space = text.find(' ', word);
            if (space == std::string::npos || space > end) space = end;
            const std::string piece = text.substr(word, space - word);
            std::string longer = word == start ? piece : line + " " + piece;
            if (word == start || line.empty() || width_of(longer) <= width) {
                line = std::move(longer);
            } else {
                lines.push_back(std::move(line));
                line = piece;
            }
            word = space + 1;
        }
        lines.push_back(std::move(line));
        start = end + 1;
    }
    return lines;
}

void text_wrapped(const char* format, ...) {
    va_list args;
    va_start(args, format);
    va_list again;
    va_copy(again, args);
    const int length = std::vsnprintf(nullptr, 0, format, args);
    va_end(args);
    std::string text(size_t(std::max(length, 0)), '\0');
    std::vsnprintf(text.data(), text.size() + 1, format, again);
    va_end(again);

    // ImGui::TextWrapped's width: to the pushed wrap position, else to the window's edge.
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float wrap_x = window->DC.TextWrapPos < 0 ? 0.0f : window->DC.TextWrapPos;
    const float width = ImGui::CalcWrapWidthForPos(ImGui::GetCursorScreenPos(), wrap_x);
    const std::vector<std::string> lines =
        wrap_at_spaces(text, width, [](const std::string& piece) {
            return ImGui::CalcTextSize(piece.c_str(), piece.c_str() + piece.size()).x;
        });
    // Lines as close as ImGui's own wrapped lines: no item spacing between them, only after.
    ImGui::BeginGroup();
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(ImGui::GetStyle().ItemSpacing.x, 0));
    for (size_t i = 0; i < lines.size(); ++i) {
        if (i + 1 == lines.size()) ImGui::PopStyleVar();
        ImGui::TextUnformatted(lines[i].c_str(), lines[i].c_str() + lines[i].size());
    }
    ImGui::EndGroup();
}

std::string fit_text(const std::string& text, float width) {
    if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
    const char* ellipsis = "…";
    const float room = std::max(0.0f, width - ImGui::CalcTextSize(ellipsis).x);
    const char* fits_to = nullptr;  // the first character that does not fit
    ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), room, 0.0f, text.c_str(),
                                    text.c_str() + text.size(), &fits_to);
    return std::string(text.c_str(), fits_to) + ellipsis;
}

void note(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
    text_wrapped("%s", text);
    ImGui::PopStyleColor();
}

void hint(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, warning_color());
    text_wrapped("%s", text);
    ImGui::PopStyleColor();
}

void error_text(const char* text) {
    ImGui::PushStyleColor(ImGuiCol_Text, error_color());
    text_wrapped("%s", text);
    ImGui::PopStyleColor();
}

}  // namespace widgets
