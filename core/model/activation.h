// Activation functions and their derivatives, applied in place to contiguous buffers.
// Any thread. Derivatives are written in terms of the activation's output a = g(z), so the
// forward pass need not keep z: sigmoid' = a(1−a), tanh' = 1−a², relu' = [a>0], linear' = 1.
#pragma once

#include "core/base/tensor.h"
#include "core/config/config.h"

namespace aelab {

// a := g(a) over `count` contiguous floats.
void apply_activation(Activation act, float* a, Eigen::Index count);
// out := g(z), z and out `count` contiguous floats each (z is kept: the logits).
void apply_activation(Activation act, const float* z, float* out, Eigen::Index count);

// delta := delta ⊙ g'(z), with g'(z) written through a = g(z).
void multiply_by_derivative(Activation act, const float* a, float* delta, Eigen::Index count);

// out := g'(z) and out2 := g''(z), both through a = g(z) (for the contractive penalty).
void first_and_second_derivative(Activation act, const float* a, float* out, float* out2,
                                 Eigen::Index count);

}  // namespace aelab
