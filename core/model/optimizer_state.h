// The optimiser's state as plain values: what a run file and a checkpoint keep of it, and what
// Optimizer::restore takes back. Any thread (plain values).
#pragma once

#include <cstdint>

#include "core/base/tensor.h"
#include "core/config/config.h"

namespace aelab {

struct OptimizerState {
    OptimizerKind kind = OptimizerKind::Sgd;
    bool fresh = true;  // no step yet since the last reset or change of kind
    int64_t t = 0;      // Adam's step count
    Vec first, second;  // velocity / first moment, second moment (empty when unused)
};

}  // namespace aelab
