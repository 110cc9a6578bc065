// The AVX-512 path (compiled with -mavx512f -mavx512bw -mavx512vl -mavx512dq -mfma): 16-wide vectors, 12 x 32 GEMM micro-tile.
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

// 24 accumulators + 2 B vectors (broadcasts fold into the FMAs) of the 32 zmm registers
constexpr int kMR = 12, kNV = 2;
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
