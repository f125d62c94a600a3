// Where the tiled panels go: each panel says the smallest size its content is readable at
// and how much it gains from more, and the layout finds the arrangement of rows and columns
// (nested, panels kept in their order) that serves the worst-served panel best. Pure
// geometry, no ImGui state: any thread (the window's, and tests').
#pragma once

#include <vector>

#include <imgui.h>

namespace layout {

struct Box {
    ImVec2 pos, size;
};

struct Need {
    ImVec2 min;        // the smallest readable size, window decoration included (pixels)
    float weight = 1;  // its share of the space beyond every panel's minimum
};

// One box per need, in order, tiling `area` without gaps or overlaps. When every panel's
// minimum fits, the arrangement that gives them the most (weighted, in proportion to their
// minimums) wins; when none fits them all, the one whose worst-served panel gets the largest
// share of its minimum. The last need (the lesson's text) may move to any place in the order
// (to share a column with any panel); the others keep theirs. Up to kMostArranged panels are
// arranged so; more are laid in rows.
std::vector<Box> arrange(const std::vector<Need>& needs, Box area);
inline constexpr int kMostArranged = 7;

// How well `box` serves `need`: the smaller of its width and height over the minimum's (1 or
// more: it fits).
float served(const Need& need, const Box& box);

}  // namespace layout
