// Random draws that run over whole tensors: the dropout mask and normal initialisation.
#pragma once
#include <cstdint>

namespace kotoba {

/**
 * out[i] = keep where the i-th 32-bit draw of the xoshiro128** generator in `state` is at least
 * `threshold`, else 0; advances the state by n draws. The same stream as src/tensor/xoshiro.ts
 * (Generator.nextUint32), so a seed gives the same masks on both backends.
 */
void dropoutMask(uint32_t state[4], float* out, int64_t n, uint64_t threshold, float keep);

/**
 * out[i] = mean + std * z_i, the standard normals Generator.normal gives from `state`: Box-Muller
 * pairs (r cos first, r sin next) from two 53-bit uniforms each, starting with `spare` unless it
 * is NaN. Returns the unused second half of the last pair (NaN when none is left over).
 */
double normalFill(uint32_t state[4], float* out, int64_t n, double mean, double std, double spare);

}  // namespace kotoba
