// Text cut off by its window or widget, found in a rendered frame's draw data: a glyph that
// crosses the left or right edge of the clip rectangle it is drawn with (a window, a child,
// a plot), or one ImGui trimmed to its widget (a text field's hint, a button's label). What
// a person sees as "units 1–45 o" or "or an IDX folder, then Ent". Text cut at the top or
// bottom is not counted: that is what scrolling a window does. A cut that falls between two
// glyphs or on a space leaves nothing here to find (ImGui skips glyphs wholly outside): the
// test binary also measures each widget's text against its box (tests/widget_text_audit.h).
// The rest of the layout audit (overlaps, tile and plot sizes, legends) is layout_audit.h.
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
// drew its text with (the other fonts of its atlas — the formulas' faces — are read too).
std::vector<ClippedText> find_clipped_text(const ImDrawData& data, const ImFont& font);

// One glyph as drawn: its quad, the clip rectangle it was drawn with, its first vertex in
// the draw list, and its line (glyphs on one baseline, as the draw list holds them).
struct DrawnGlyph {
    const ImFontGlyph* glyph = nullptr;
    const ImFont* font = nullptr;  // the atlas font it came from (a formula's face, or the text's)
    ImVec2 min, max;  // the quad, screen pixels
    ImVec4 clip;      // x0, y0, x1, y1
    int vertex = 0;
    float row = 0;         // the baseline, less the glyph's Y0: glyphs of one line share it
    bool trimmed = false;  // ImGui cut it to its widget (the UVs are not the glyph's)
};
// The glyphs of `font`'s atlas (every font in it) in one draw list, in the order drawn.
std::vector<DrawnGlyph> drawn_glyphs(const ImDrawList& list, const ImFont& font);

// UTF-8 of one code point.
std::string utf8(unsigned int codepoint);
// The window a draw list belongs to, as a person reads it: its name without "###id" and
// without a child window's part (a panel's, for its child regions).
std::string window_of(const ImDrawList& list);
