#include "random.h"

#include <cmath>

namespace kotoba {

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

// One draw after another: each depends on the state the previous one left, so this loop is
// scalar (~3 ns per element measured here, against ~6 for the same loop in JavaScript).
void dropoutMask(uint32_t state[4], float* out, int64_t n, uint64_t threshold, float keep) {
  uint32_t s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  for (int64_t i = 0; i < n; i++) {
    const uint32_t draw = rotl(s1 * 5, 7) * 9;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    out[i] = draw >= threshold ? keep : 0.0f;
  }
  state[0] = s0; state[1] = s1; state[2] = s2; state[3] = s3;
}

// The arithmetic of src/tensor/xoshiro.ts in the same order, in doubles: this file is compiled
// without FMA (no contraction), and glibc's log/cos/sin, like V8's, are within an ulp, so the
// floats written equal the JavaScript ones but for a rare last-bit difference (parity test).
double normalFill(uint32_t state[4], float* out, int64_t n, double mean, double std, double spare) {
  uint32_t s0 = state[0], s1 = state[1], s2 = state[2], s3 = state[3];
  auto next = [&]() {
    const uint32_t draw = rotl(s1 * 5, 7) * 9;
    const uint32_t t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return draw;
  };
  auto uniform53 = [&]() {
    const double hi = next() >> 5, lo = next() >> 6;
    return (hi * 67108864.0 + lo) / 9007199254740992.0;
  };
  int64_t i = 0;
  if (n > 0 && !std::isnan(spare)) {
    out[i++] = static_cast<float>(mean + std * spare);
    spare = NAN;
  }
  while (i < n) {
    double u = 0.0;
    while (u == 0.0) u = uniform53();
    const double v = uniform53();
    const double r = std::sqrt(-2.0 * std::log(u));
    const double angle = 2.0 * M_PI * v;
    out[i++] = static_cast<float>(mean + std * (r * std::cos(angle)));
    const double second = r * std::sin(angle);
    if (i < n) out[i++] = static_cast<float>(mean + std * second);
    else spare = second;
  }
  state[0] = s0; state[1] = s1; state[2] = s2; state[3] = s3;
  return spare;
}

}  // namespace kotoba
