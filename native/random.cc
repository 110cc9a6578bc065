#include "random.h"

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

}  // namespace kotoba
