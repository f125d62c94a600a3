// Drawing helpers for image panels: many small images packed into one texture as a grid of
// tiles (probe images, filters), one tile of it, a colour bar with ticks. GUI thread only.
#pragma once

#include <vector>

#include <imgui.h>

#include "app/panels/image_store.h"
#include "core/base/tensor.h"

namespace image_views {

// `count` tiles of w×h pixels in rows of `cols` (a strip when cols == count).
struct TileGrid {
    int count = 0, cols = 1, w = 0, h = 0;
    int rows() const { return (count + cols - 1) / cols; }
    int width() const { return cols * w; }
    int height() const { return rows() * h; }
};

// Packs the columns of `images` (each w·h pixels, row-major) into a row-major grid image
// (out: grid.width() × grid.height(); unused tiles are 0). With normalise_each, each tile is
// divided by its largest |value| (signed filters on a diverging colormap, range [−1, 1]).
void make_tiles(const aelab::Mat& images, const TileGrid& grid, bool normalise_each,
                std::vector<float>& out);

// Draws tile i of a grid texture into [p0, p1] (screen pixels), noted for the layout audit.
void draw_tile(ImDrawList* draw, ImTextureID texture, const TileGrid& grid, int i, ImVec2 p0,
               ImVec2 p1);
// A whole grid texture as one ImGui::Image item of `size` (hovering it is the caller's), each
// of its tiles noted for the layout audit.
void grid_image(ImTextureID texture, const TileGrid& grid, ImVec2 size);

// A row of tiles: the columns of `images` (w×h pixels each) side by side, each `tile` pixels
// square, after a label `label_width` wide; uploaded under `key` when `version` changes
// (normalise_each: signed, each tile to its own largest |value|, on the diverging map).
// Draws the first `shown` of them (all: −1). Advances the cursor; returns the column under
// the mouse, or −1.
int tile_row(ImageStore& store, const char* key, uint64_t version, const aelab::Mat& images,
             int w, int h, const char* label, float label_width, float tile, bool normalise_each,
             std::vector<float>& scratch, int shown = -1);

// Images shown in blocks: each block is one line of `per_line` images for each of
// `row_kinds` kinds (input, output, error…), blocks one under the other.
struct BlockLayout {
    int per_line = 0;  // images to a line
    int shown = 0;     // images shown: whole lines, at most the count given
    float tile = 0;    // pixels, square
};

// The block layout of up to `count` images that fills `space` best with tiles of at least
// `min_tile` pixels: first one that shows the first `show_first` images (one of each class,
// for the probes), then the largest shown × tile^1.5 — few large tiles leave the height
// empty, many small ones are unreadable. When no readable tile fits, the largest tiles that
// do. `gap` pixels between tiles, 2·gap between blocks.
BlockLayout fill_with_blocks(ImVec2 space, int row_kinds, int count, float gap, float min_tile,
                             int show_first);

// A vertical colour bar of `size` for values lo..hi in `colormap`, with tick labels at its
// right; advances the cursor like an item.
void colorbar(ImageStore& images, const char* key, Colormap colormap, float lo, float hi,
              ImVec2 size);

// The width a colorbar() of this bar width needs, labels included.
float colorbar_width(float bar_width, float lo, float hi);

}  // namespace image_views
