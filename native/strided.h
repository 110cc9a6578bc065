// Elementwise and reduction kernels over strided float32 views (broadcast dims have stride 0):
// the tensor engine's binary ops, unary math, where, copies and reductions. Scalar loops in
// double where the reference computes in double (so results round the same way); the hot
// activations on contiguous memory go through the SIMD table instead (kernels.h).
#pragma once
#include <cstdint>

namespace kotoba {

constexpr int kMaxDims = 8;

/** Shape of the output and, per operand, its offset and strides (in elements). */
struct StridedShape {
  int nd;
  int64_t shape[kMaxDims];
};

struct Operand {
  const float* p;  // already offset
  int64_t strides[kMaxDims];
};

enum BinaryOpCode : int { B_ADD, B_SUB, B_MUL, B_DIV, B_POW, B_MAXIMUM, B_MINIMUM, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE };
enum UnaryOpCode : int {
  U_NEG, U_EXP, U_LOG, U_SQRT, U_RSQRT, U_TANH, U_ERF, U_ABS, U_SIGMOID, U_SIN, U_COS, U_RELU, U_GELU, U_GELU_NEW,
  U_SILU, U_SIGN, U_POW_SCALAR, U_CLAMP, U_AFFINE
};
enum ReduceOpCode : int { R_SUM, R_PROD, R_MAX, R_MIN, R_ARGMAX, R_ARGMIN };

/** out (contiguous, row-major over shape) = a op b; with intOut (comparisons only) out holds int32 0/1. */
void stridedBinary(int op, const StridedShape& s, const Operand& a, const Operand& b, float* out, bool intOut);
/** out = f(x). */
void stridedUnary(int op, const StridedShape& s, const Operand& x, float p0, float p1, float* out);
/** out = cond != 0 ? a : b; cond holds int32 values when condInt, else floats. */
void stridedWhere(const StridedShape& s, const Operand& cond, bool condInt, const Operand& a, const Operand& b, float* out);
/** Contiguous copy of a strided view (any 4-byte element type: the bits are moved). */
void stridedCopy(const StridedShape& s, const Operand& x, float* out);
/**
 * Reduces the trailing dims of x (the first `kept` dims are kept). Values go to out (float) or,
 * for argmax/argmin, the flat index within the reduced block to outIndex. Returns false when a
 * max/min-type reduction meets an empty block.
 */
bool stridedReduce(int op, const StridedShape& s, int kept, const Operand& x, float* out, int32_t* outIndex);

}  // namespace kotoba
