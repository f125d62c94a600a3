// "step 1200" drawn into a recorded frame's bottom-right corner, with a built-in 3×5 pixel
// font (no GL, no font file: the same pixels on every machine, so recordings of the same
// training are byte-identical). Any thread.
#pragma once

#include <cstdint>

#include "core/files/image_grid.h"

void stamp_step(aelab::RgbaImage& image, int64_t step);
