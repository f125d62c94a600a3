// The layout audit: what a frame shows that a class could not read, found in what it drew.
// Text cut off (clip_audit.h); text over other text or an image, an image over another, or
// anything of another item over a plot's data area; an image tile under kMinTile pixels on
// its short side; a plot's data rectangle under plot::kMinPlotWidth × kMinPlotHeight; a
// legend box over the plot's own data. It reads the frame's draw data and the plot module's
// record of it (plot::drawn_frame(): which vertices are a plot's, where its legend is, which
// rectangles are picture tiles), never the code that placed them. Only what a window shows
// counts: a tile or a plot scrolled out of sight is not judged. GUI thread, after
// ImGui::Render() and before the next frame.
#pragma once

#include <string>
#include <vector>

#include <imgui.h>

#include "app/plot/plot.h"

struct LayoutFault {
    enum Kind { Clipped, Overlap, SmallTile, SmallPlot, LegendOverData };
    Kind kind;
    std::string window;  // the panel (window) it is in
    std::string what;    // the text, or the sizes, as a person would check them
};
const char* to_string(LayoutFault::Kind kind);

// Every fault of the frame, each once; `font` is the font its text was drawn with.
std::vector<LayoutFault> audit_layout(const ImDrawData& data, const ImFont& font,
                                      const plot::DrawnFrame& drawn);
