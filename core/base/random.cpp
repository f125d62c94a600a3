#include "core/base/random.h"

#include <Eigen/Core>

namespace aelab {
namespace {
uint64_t splitmix64(uint64_t& x) {
    uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}
uint64_t rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}
}  // namespace

void FastRng::reseed(uint64_t seed) {
    for (uint64_t& s : m_state) s = splitmix64(seed);
}

uint64_t FastRng::next_u64() {
    const uint64_t result = rotl(m_state[1] * 5, 7) * 9;
    const uint64_t t = m_state[1] << 17;
    m_state[2] ^= m_state[0];
    m_state[3] ^= m_state[1];
    m_state[1] ^= m_state[2];
    m_state[0] ^= m_state[3];
    m_state[2] ^= t;
    m_state[3] = rotl(m_state[3], 45);
    return result;
}

void FastRng::fill_uniform(float* out, long count) {
    long i = 0;
    for (; i + 1 < count; i += 2) {  // two 24-bit uniforms per 64-bit draw
        const uint64_t r = next_u64();
        out[i] = float((r >> 40) + 1) * (1.0f / 16777216.0f);
        out[i + 1] = float(((r >> 8) & 0xFFFFFF) + 1) * (1.0f / 16777216.0f);
    }
    if (i < count) out[i] = uniform();
}

void FastRng::fill_normal(float* out, long count) {
    // Box–Muller on blocks: r = √(−2 ln u1), θ = 2π u2 give r cos θ and r sin θ.
    constexpr long kBlock = 256;
    alignas(64) float u1[kBlock], u2[kBlock];
    while (count > 0) {
        const long pairs = std::min(kBlock, (count + 1) / 2);
        fill_uniform(u1, pairs);
        fill_uniform(u2, pairs);
        Eigen::Map<Eigen::ArrayXf> r(u1, pairs), theta(u2, pairs);
        r = (-2.0f * r.log()).sqrt();
        theta *= 6.28318530718f;
        const long first = std::min(pairs, count);
        Eigen::Map<Eigen::ArrayXf>(out, first) = r.head(first) * theta.head(first).cos();
        const long second = std::min(pairs, count - first);
        if (second > 0)
            Eigen::Map<Eigen::ArrayXf>(out + first, second) =
                r.head(second) * theta.head(second).sin();
        out += first + second;
        count -= first + second;
    }
}

}  // namespace aelab
