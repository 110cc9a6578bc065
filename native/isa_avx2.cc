// The AVX2 + FMA path (compiled with -mavx2 -mfma): 8-wide vectors, 6 x 16 GEMM micro-tile.
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

// 12 accumulators + 2 B vectors + 1 broadcast of the 16 ymm registers
constexpr int kMR = 6, kNV = 2;
constexpr int kKC = 256, kMC = 96, kNC = 3072;

#include "impl/math.h"
#include "impl/gemm.h"
#include "impl/rows.h"
#include "impl/elementwise.h"
#include "impl/attention.h"
#include "impl/table.h"

}  // namespace avx2

const KernelTable* tableAvx2() { return &avx2::kTable; }

}  // namespace kotoba
