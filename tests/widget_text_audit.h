// The labels ImGui's widgets cut to their own box: a button's or a combo preview's label, a
// slider's value, a selectable — cut on the CPU, with no trace in the draw data for
// find_clipped_text() to find — and a text item cut by its window exactly on a space, which
// leaves no glyph crossing the edge. The test binary links ImGui with two of its calls wrapped
// (the linker's --wrap, see tests/CMakeLists.txt): RenderTextClipped (a label in a box),
// RenderTextWrapped (a text item) and RenderText (a label beside a widget, a menu item), all
// called by imgui_widgets.cpp.
// Each call compares the text's width, as ImGui measures it, with the rectangle it is cut
// to: ImGui knows each item's rectangle, and this uses it. GUI thread only.
#pragma once

#include <vector>

#include "app/panels/clip_audit.h"

namespace widget_text_audit {

// Starts recording (drops what was recorded); until stop(), every cut label is kept.
void start();
// Stops recording and returns the cut labels, each once, with its window's name.
std::vector<ClippedText> stop();

}  // namespace widget_text_audit
