// The AVX2 + FMA path (compiled with -mavx2 -mfma): 8-wide vectors, 4 x 24 GEMM micro-tile.
#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "pool.h"

namespace kotoba {
namespace avx2 {  // a namespace per ISA: no inline function is shared between differently compiled files

#include "simd/vec_scalar.h"
#include "simd/vec_avx2.h"
using V = VecAvx2;

// 12 accumulators + 3 B vectors + 1 broadcast: all 16 ymm registers. 4 x 24 rather than 6 x 16:
// transformer row counts (128, 512, batch x 128) are multiples of 4 and widths (768, 2304, 3072)
// multiples of 24, so no tile is partial; measured 3-7% faster on those shapes.
constexpr int kMR = 4, kNV = 3;
constexpr int kKC = 256, kMC = 96, kNC = 3072;
constexpr int kMCShort = 128;  // most rows packed per block when B is prepacked: a 128-token input in one block (A: 128 KB of L2)

#include "impl/math.h"
#include "impl/gemm.h"
#include "impl/rows.h"
#include "impl/elementwise.h"
#include "impl/attention.h"
#include "impl/table.h"

}  // namespace avx2

const KernelTable* tableAvx2() { return &avx2::kTable; }

}  // namespace kotoba
