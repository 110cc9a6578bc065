// The portable path: plain C++ (the compiler's baseline vectorization only), for any CPU.
#include <cmath>
#include <cstdint>
#include <cstring>

#include "kernels.h"
#include "pool.h"

namespace kotoba {
namespace scalar {

#include "simd/vec_scalar.h"
using V = VecScalar;

constexpr int kMR = 4, kNV = 4;
constexpr int kKC = 256, kMC = 128, kNC = 2048;
constexpr int kMCShort = 128;  // most rows packed per block when B is prepacked: = kMC

#include "impl/math.h"
#include "impl/gemm.h"
#include "impl/rows.h"
#include "impl/elementwise.h"
#include "impl/attention.h"
#include "impl/table.h"

}  // namespace scalar

const KernelTable* tableScalar() { return &scalar::kTable; }

}  // namespace kotoba
