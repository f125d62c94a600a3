#include "core/data/corruption.h"

#include "core/base/check.h"

namespace aelab {

void corrupt(NoiseKind kind, float level, ConstMatRef clean, MatRef out, FastRng& rng) {
    AELAB_CHECK(clean.rows() == out.rows() && clean.cols() == out.cols(), "corrupt: shapes");
    AELAB_CHECK(clean.outerStride() == clean.rows() && out.outerStride() == out.rows(),
                "corrupt: contiguous buffers");
    const long count = long(clean.size());
    ConstArrayMap x(clean.data(), count);
    ArrayMap y(out.data(), count);
    switch (kind) {
        case NoiseKind::None:
            y = x;
            break;
        case NoiseKind::Gaussian:
            rng.fill_normal(out.data(), count);
            y = x + level * y;
            break;
        case NoiseKind::Mask:
            rng.fill_uniform(out.data(), count);
            y = (y < level).select(0.0f, x);
            break;
        case NoiseKind::SaltPepper:
            // One uniform decides both whether and how: u < level/2 → 0, u < level → 1.
            rng.fill_uniform(out.data(), count);
            y = (y < 0.5f * level).select(0.0f, (y < level).select(1.0f, x));
            break;
    }
}

}  // namespace aelab
