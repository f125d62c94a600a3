// Text cut off by its window or widget, found in a rendered frame's draw data: a glyph that
// crosses the left or right edge of the clip rectangle it is drawn with (a window, a child,
// a plot), or one ImGui trimmed to its widget (a text field's hint, a button's label). What
// a person sees as "units 1–45 o" or "or an IDX folder, then Ent". Text cut at the top or
// bottom is not counted: that is what scrolling a window does. A cut that falls between two
// glyphs or on a space leaves nothing here to find (ImGui skips glyphs wholly outside): the
// test binary also measures each widget's text against its box (tests/widget_text_audit.h).
// GUI thread, after ImGui::Render().
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

struct ClippedText {
    std::string window;  // the draw list's owner: a window's name
    std::string line;    // the glyphs drawn on that line of that list, as text
};

// Every line with a cut glyph, in every draw list of `data`; `font` is the font the frame
// drew its text with (glyphs of other fonts are not recognised).
std::vector<ClippedText> find_clipped_text(const ImDrawData& data, const ImFont& font);
