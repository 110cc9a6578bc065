// The AVX-512 path (compiled with -mavx512f -mavx512bw -mavx512vl -mavx512dq -mfma): 16-wide vectors, 8 x 48 GEMM micro-tile.
#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "pool.h"

namespace kotoba {
namespace avx512 {  // a namespace per ISA: no inline function is shared between differently compiled files

#include "simd/vec_scalar.h"
#include "simd/vec_avx512.h"
using V = VecAvx512;

// 24 accumulators + 3 B vectors + 1 broadcast of the 32 zmm registers. 8 x 48 rather than 12 x 32
// (equal in L1): row counts of 128 and 512 are multiples of 8 but not of 12, whose partial last
// tile cost BERT-base's 1 x 128 forward ~4-5 % on a Zen 4 core (one and two threads, batch 8 too).
constexpr int kMR = 8, kNV = 3;
constexpr int kKC = 256, kMC = 144, kNC = 3072;
constexpr int kMCShort = 144;  // most rows packed per block when B is prepacked: = kMC

#include "impl/math.h"
#include "impl/gemm.h"
#include "impl/rows.h"
#include "impl/elementwise.h"
#include "impl/attention.h"
#include "impl/table.h"

}  // namespace avx512

const KernelTable* tableAvx512() { return &avx512::kTable; }

}  // namespace kotoba
