// Drawing helpers for image panels: strips of tiles (probe images, filters), one tile of a
// strip, a colour bar with ticks. GUI thread only.
#pragma once

#include <vector>

#include <imgui.h>

#include "app/panels/image_store.h"
#include "core/tensor.h"

namespace image_views {

// Lays the columns of `images` (each one w·h pixels, row-major) side by side into a
// row-major strip of count·w × h pixels. With normalise_each, each tile is divided by its
// largest |value| (for signed filters shown with a diverging colormap, range [−1, 1]).
void make_strip(const aelab::Mat& images, int w, int h, bool normalise_each,
                std::vector<float>& out);

// Draws tile i of a strip texture holding `count` tiles into [p0, p1] (screen pixels).
void draw_strip_tile(ImDrawList* draw, ImTextureID strip, int i, int count, ImVec2 p0, ImVec2 p1);

// A vertical colour bar of `size` for values lo..hi in `colormap`, with tick labels at its
// right; advances the cursor like an item.
void colorbar(ImageStore& images, const char* key, Colormap colormap, float lo, float hi,
              ImVec2 size);

// The width a colorbar() of this bar width needs, labels included.
float colorbar_width(float bar_width, float lo, float hi);

}  // namespace image_views
