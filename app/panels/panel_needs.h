// Measures the panels use to say what they need of the layout (PanelObject::needs) and to fit
// their content to what they get: the height of wrapped text, of a row of widgets, a plot's
// smallest frame. In the current ImGui font and style. GUI thread only.
#pragma once

#include <string>

#include <imgui.h>

#include "app/plot/plot.h"

namespace needs {

// The height `text` takes wrapped at spaces into `width` pixels, as widgets::text_wrapped
// draws it (a line with its spacing per line).
float text_height(const char* text, float width);
// One line of text or of framed widgets (a combo, a slider, a checkbox), with its spacing.
float line();
float widget_line();
// The frame a plot needs around the smallest plotting rectangle a class can read.
ImVec2 smallest_plot(const plot::PlotOptions& options);

// A formula (app/formula) drawn at the cursor as formula::draw does, made smaller — down to
// two thirds of its size — where it is wider than `width`, so it is not cut at the window's
// edge. Returns formula::draw's parse error.
std::string fitted_formula(const char* tex, float width);
// The narrowest width fitted_formula draws `tex` in whole.
float least_formula_width(const char* tex);

}  // namespace needs
