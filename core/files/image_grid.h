// Figures for papers: images laid out in a grid at native pixel size (one image pixel is one
// PNG pixel), without the window's chrome, and PNG files written atomically. What the Export
// menu's "as a PNG grid" items and --export-probes-png / --export-filters-png write. Any
// thread (plain values).
#pragma once

#include <cstdint>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/base/expected.h"
#include "core/base/tensor.h"

namespace aelab {

class Session;

struct RgbaImage {
    int width = 0, height = 0;
    std::vector<uint8_t> rgba;  // row-major, 4 bytes a pixel, opaque
};

inline constexpr int kGridGap = 2;  // white pixels between tiles

// Rows of grey tiles: each matrix of `rows` is one row of the figure, each of its columns an
// image of w×h pixels (row-major) with values 0 (black) … 1 (white), clamped.
RgbaImage grey_rows(const std::vector<const Mat*>& rows, int w, int h, int gap = kGridGap);
// The Filters panel's diverging colormap (shaders/colormap.frag, matplotlib's RdBu reversed):
// v = −1 blue, 0 white, +1 red, as r, g, b in [0, 1]; v is clamped.
std::array<float, 3> diverging_color(float v);
// Signed tiles (filters), `cols` a row: each column of `tiles` divided by its largest |value|,
// then blue (−1) – white (0) – red (+1), the Filters panel's diverging colormap.
RgbaImage diverging_grid(const Mat& tiles, int w, int h, int cols, int gap = kGridGap);

std::string encode_png(const RgbaImage& image);
std::optional<Error> write_png(const std::string& path, const RgbaImage& image);

// The exports, of `session`'s model as it is: the probe images (inputs, corrupted inputs
// when a noise is on, reconstructions — one row each) and the first layer's filters (row j
// of W as an image, ⌈√m⌉ to a row). A model whose input is not an image is refused.
std::optional<Error> export_probes_png(const std::string& path, Session& session);
std::optional<Error> export_filters_png(const std::string& path, const Session& session);

}  // namespace aelab
