// Input corruption of the denoising autoencoder: x̃ ~ P(x̃|x). Trainer thread.
#pragma once

#include "core/base/random.h"
#include "core/base/tensor.h"
#include "core/config/config.h"

namespace aelab {

// out := corrupted copy of clean (same n×B shape, contiguous). gaussian: x + N(0, level²);
// mask: each pixel set to 0 with probability level; saltpepper: each pixel set to 0 or 1
// (half each) with probability level; none: a plain copy.
void corrupt(NoiseKind kind, float level, ConstMatRef clean, MatRef out, FastRng& rng);

}  // namespace aelab
