#include "app/panels/panel_needs.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "app/formula/formula.h"

#include "app/panels/widgets.h"

#include <imgui_internal.h>

namespace needs {

float text_height(const char* text, float width) {
    const auto lines = widgets::wrap_at_spaces(
        text, width, [](const std::string& piece) { return ImGui::CalcTextSize(piece.c_str()).x; });
    return float(lines.size()) * line();
}

float line() {
    return ImGui::GetTextLineHeightWithSpacing();
}

float widget_line() {
    return ImGui::GetFrameHeightWithSpacing();
}

ImVec2 smallest_plot(const plot::PlotOptions& options) {
    // A pixel over, so rounding of the plot's own layout never leaves it a pixel short.
    const ImVec2 frame =
        plot::frame_for_rect(ImVec2(plot::kMinPlotWidth, plot::kMinPlotHeight), options);
    return ImVec2(frame.x + 1, frame.y + 1);
}

namespace {

constexpr float kLeastFormulaScale = 2.0f / 3.0f;

// The formula's width as formula::draw lays it out.
float formula_width(const char* tex) {
    return formula::display_width(tex);
}

}  // namespace

float least_formula_width(const char* tex) {
    return std::ceil(formula_width(tex) * kLeastFormulaScale) + 2;
}

std::string fitted_formula(const char* tex, float width) {
    const float natural = formula_width(tex);
    const float scale =
        natural > width && natural > 0 ? std::max(kLeastFormulaScale, width / natural) : 1.0f;
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const float before = window->FontWindowScale;
    if (scale < 1) ImGui::SetWindowFontScale(before * scale);
    std::string error = formula::draw(tex);
    if (scale < 1) ImGui::SetWindowFontScale(before);
    return error;
}

}  // namespace needs
