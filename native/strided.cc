#include "strided.h"

#include <cmath>
#include <cstring>

#include "pool.h"

namespace kotoba {
namespace {

/**
 * Merges adjacent dims that every operand walks contiguously (stride[d-1] == stride[d] * shape[d])
 * and drops size-1 dims, so the inner loop is as long as possible. Returns the new rank.
 */
int coalesce(StridedShape& s, Operand* ops, int nops) {
  StridedShape t{0, {}};
  int64_t st[4][kMaxDims];
  for (int d = 0; d < s.nd; d++) {
    if (s.shape[d] == 1) continue;
    if (t.nd > 0) {
      bool merge = true;
      for (int o = 0; o < nops; o++)
        if (st[o][t.nd - 1] != ops[o].strides[d] * s.shape[d]) merge = false;
      if (merge) {
        t.shape[t.nd - 1] *= s.shape[d];
        for (int o = 0; o < nops; o++) st[o][t.nd - 1] = ops[o].strides[d];
        continue;
      }
    }
    t.shape[t.nd] = s.shape[d];
    for (int o = 0; o < nops; o++) st[o][t.nd] = ops[o].strides[d];
    t.nd++;
  }
  if (t.nd == 0) {  // a scalar
    t.nd = 1;
    t.shape[0] = 1;
    for (int o = 0; o < nops; o++) st[o][0] = 0;
  }
  s = t;
  for (int o = 0; o < nops; o++)
    for (int d = 0; d < s.nd; d++) ops[o].strides[d] = st[o][d];
  return s.nd;
}

int64_t total(const StridedShape& s) {
  int64_t n = 1;
  for (int d = 0; d < s.nd; d++) n *= s.shape[d];
  return n;
}

/**
 * Calls row(len, ptrs, inner strides, out) for every innermost row of the (coalesced) shape,
 * rows spread over the pool when there are many elements.
 */
template <int N, class Row>
void forRows(StridedShape s, Operand* ops, float* out, Row&& row) {
  coalesce(s, ops, N);
  const int inner = s.nd - 1;
  const int64_t len = s.shape[inner];
  const int64_t rows = total(s) / (len > 0 ? len : 1);
  if (len == 0 || rows == 0) return;
  auto range = [&](int64_t r0, int64_t r1) {
    // multi-index of row r0 over the outer dims
    int64_t idx[kMaxDims] = {};
    int64_t rem = r0;
    for (int d = inner - 1; d >= 0; d--) { idx[d] = rem % s.shape[d]; rem /= s.shape[d]; }
    const float* p[N];
    for (int o = 0; o < N; o++) {
      p[o] = ops[o].p;
      for (int d = 0; d < inner; d++) p[o] += idx[d] * ops[o].strides[d];
    }
    int64_t st[N];
    for (int o = 0; o < N; o++) st[o] = ops[o].strides[inner];
    for (int64_t r = r0; r < r1; r++) {
      row(len, p, st, out + r * len);
      for (int d = inner - 1; d >= 0; d--) {  // carry into the outer dims
        for (int o = 0; o < N; o++) p[o] += ops[o].strides[d];
        if (++idx[d] < s.shape[d]) break;
        for (int o = 0; o < N; o++) p[o] -= ops[o].strides[d] * s.shape[d];
        idx[d] = 0;
      }
    }
  };
  const int threads = poolThreads();
  if (threads == 1 || rows == 1 || rows * len < (int64_t{1} << 17)) { range(0, rows); return; }
  const int64_t tasks = rows < 4 * threads ? rows : 4 * threads;
  auto body = [&](int64_t t, int) { range(rows * t / tasks, rows * (t + 1) / tasks); };
  parallelFor(tasks, body);
}

/** Runs f over a row pair; T is the output element type (float, or int32 for comparison masks). */
template <class T = float, class F>
void binaryRows(const StridedShape& s, const Operand& a, const Operand& b, float* outRaw, F f) {
  Operand ops[2] = {a, b};
  forRows<2>(s, ops, outRaw, [&](int64_t n, const float* const* p, const int64_t* st, float* raw) {
    T* o = reinterpret_cast<T*>(raw);
    const float* x = p[0];
    const float* y = p[1];
    if (st[0] == 1 && st[1] == 1) {
      for (int64_t i = 0; i < n; i++) o[i] = f(x[i], y[i]);
    } else if (st[0] == 1 && st[1] == 0) {
      const float c = *y;
      for (int64_t i = 0; i < n; i++) o[i] = f(x[i], c);
    } else if (st[0] == 0 && st[1] == 1) {
      const float c = *x;
      for (int64_t i = 0; i < n; i++) o[i] = f(c, y[i]);
    } else {
      for (int64_t i = 0; i < n; i++) o[i] = f(x[i * st[0]], y[i * st[1]]);
    }
  });
}

template <class F>
void unaryRows(const StridedShape& s, const Operand& x, float* out, F f) {
  Operand ops[1] = {x};
  forRows<1>(s, ops, out, [&](int64_t n, const float* const* p, const int64_t* st, float* o) {
    const float* v = p[0];
    if (st[0] == 1) for (int64_t i = 0; i < n; i++) o[i] = f(v[i]);
    else for (int64_t i = 0; i < n; i++) o[i] = f(v[i * st[0]]);
  });
}

inline float f32(double x) { return static_cast<float>(x); }
inline double sigmoidD(double x) { return x >= 0 ? 1 / (1 + std::exp(-x)) : std::exp(x) / (1 + std::exp(x)); }

}  // namespace

void stridedBinary(int op, const StridedShape& s, const Operand& a, const Operand& b, float* out, bool intOut) {
  if (intOut) {  // comparisons into an int32 0/1 mask
    switch (op) {
      case B_EQ: binaryRows<int32_t>(s, a, b, out, [](float x, float y) { return int32_t(x == y); }); break;
      case B_NE: binaryRows<int32_t>(s, a, b, out, [](float x, float y) { return int32_t(x != y); }); break;
      case B_LT: binaryRows<int32_t>(s, a, b, out, [](float x, float y) { return int32_t(x < y); }); break;
      case B_LE: binaryRows<int32_t>(s, a, b, out, [](float x, float y) { return int32_t(x <= y); }); break;
      case B_GT: binaryRows<int32_t>(s, a, b, out, [](float x, float y) { return int32_t(x > y); }); break;
      case B_GE: binaryRows<int32_t>(s, a, b, out, [](float x, float y) { return int32_t(x >= y); }); break;
    }
    return;
  }
  switch (op) {
    case B_ADD: binaryRows(s, a, b, out, [](float x, float y) { return x + y; }); break;
    case B_SUB: binaryRows(s, a, b, out, [](float x, float y) { return x - y; }); break;
    case B_MUL: binaryRows(s, a, b, out, [](float x, float y) { return x * y; }); break;
    case B_DIV: binaryRows(s, a, b, out, [](float x, float y) { return x / y; }); break;
    case B_POW: binaryRows(s, a, b, out, [](float x, float y) { return f32(std::pow(double(x), double(y))); }); break;
    // NaN propagates, as in torch.maximum / torch.minimum
    case B_MAXIMUM: binaryRows(s, a, b, out, [](float x, float y) { return x != x || y != y ? NAN : (x > y ? x : y); }); break;
    case B_MINIMUM: binaryRows(s, a, b, out, [](float x, float y) { return x != x || y != y ? NAN : (x < y ? x : y); }); break;
    case B_EQ: binaryRows(s, a, b, out, [](float x, float y) { return x == y ? 1.0f : 0.0f; }); break;
    case B_NE: binaryRows(s, a, b, out, [](float x, float y) { return x != y ? 1.0f : 0.0f; }); break;
    case B_LT: binaryRows(s, a, b, out, [](float x, float y) { return x < y ? 1.0f : 0.0f; }); break;
    case B_LE: binaryRows(s, a, b, out, [](float x, float y) { return x <= y ? 1.0f : 0.0f; }); break;
    case B_GT: binaryRows(s, a, b, out, [](float x, float y) { return x > y ? 1.0f : 0.0f; }); break;
    case B_GE: binaryRows(s, a, b, out, [](float x, float y) { return x >= y ? 1.0f : 0.0f; }); break;
  }
}

void stridedUnary(int op, const StridedShape& s, const Operand& x, float p0, float p1, float* out) {
  // computed in double like the reference, so each result is the correctly rounded one (nearly always)
  switch (op) {
    case U_NEG: unaryRows(s, x, out, [](float v) { return -v; }); break;
    case U_EXP: unaryRows(s, x, out, [](float v) { return f32(std::exp(double(v))); }); break;
    case U_LOG: unaryRows(s, x, out, [](float v) { return f32(std::log(double(v))); }); break;
    case U_SQRT: unaryRows(s, x, out, [](float v) { return f32(std::sqrt(double(v))); }); break;
    case U_RSQRT: unaryRows(s, x, out, [](float v) { return f32(1 / std::sqrt(double(v))); }); break;
    case U_TANH: unaryRows(s, x, out, [](float v) { return f32(std::tanh(double(v))); }); break;
    case U_ERF: unaryRows(s, x, out, [](float v) { return f32(std::erf(double(v))); }); break;
    case U_ABS: unaryRows(s, x, out, [](float v) { return std::fabs(v); }); break;
    case U_SIGMOID: unaryRows(s, x, out, [](float v) { return f32(sigmoidD(v)); }); break;
    case U_SIN: unaryRows(s, x, out, [](float v) { return f32(std::sin(double(v))); }); break;
    case U_COS: unaryRows(s, x, out, [](float v) { return f32(std::cos(double(v))); }); break;
    case U_RELU: unaryRows(s, x, out, [](float v) { return v > 0 ? v : 0.0f; }); break;
    case U_GELU: unaryRows(s, x, out, [](float v) { return f32(0.5 * v * (1 + std::erf(v * M_SQRT1_2))); }); break;
    case U_GELU_NEW:
      unaryRows(s, x, out, [](float v) {
        const double d = v;
        return f32(0.5 * d * (1 + std::tanh(0.7978845608028654 * (d + 0.044715 * d * d * d))));
      });
      break;
    case U_SILU: unaryRows(s, x, out, [](float v) { return f32(v * sigmoidD(v)); }); break;
    case U_SIGN: unaryRows(s, x, out, [](float v) { return v > 0 ? 1.0f : v < 0 ? -1.0f : v; }); break;
    case U_POW_SCALAR:
      if (p0 == 2) unaryRows(s, x, out, [](float v) { return f32(double(v) * v); });
      else unaryRows(s, x, out, [p0](float v) { return f32(std::pow(double(v), double(p0))); });
      break;
    case U_CLAMP: unaryRows(s, x, out, [p0, p1](float v) { return v < p0 ? p0 : v > p1 ? p1 : v; }); break;
    case U_AFFINE: unaryRows(s, x, out, [p0, p1](float v) { return f32(double(v) * p0 + p1); }); break;
  }
}

void stridedWhere(const StridedShape& s, const Operand& cond, bool condInt, const Operand& a, const Operand& b, float* out) {
  Operand ops[3] = {cond, a, b};
  forRows<3>(s, ops, out, [&](int64_t n, const float* const* p, const int64_t* st, float* o) {
    if (condInt) {
      const int32_t* c = reinterpret_cast<const int32_t*>(p[0]);
      for (int64_t i = 0; i < n; i++) o[i] = c[i * st[0]] != 0 ? p[1][i * st[1]] : p[2][i * st[2]];
    } else {
      for (int64_t i = 0; i < n; i++) o[i] = p[0][i * st[0]] != 0 ? p[1][i * st[1]] : p[2][i * st[2]];
    }
  });
}

void stridedCopy(const StridedShape& s, const Operand& x, float* out) {
  Operand ops[1] = {x};
  forRows<1>(s, ops, out, [&](int64_t n, const float* const* p, const int64_t* st, float* o) {
    if (st[0] == 1) std::memcpy(o, p[0], sizeof(float) * n);
    else for (int64_t i = 0; i < n; i++) std::memcpy(o + i, p[0] + i * st[0], sizeof(float));  // bits, not values
  });
}

bool stridedReduce(int op, const StridedShape& s, int kept, const Operand& x, float* out, int32_t* outIndex) {
  // outer = kept dims, inner = reduced dims; each inner block is walked in row-major order
  StridedShape inner{0, {}};
  Operand xi{x.p, {}};
  for (int d = kept; d < s.nd; d++) {
    inner.shape[inner.nd] = s.shape[d];
    xi.strides[inner.nd] = x.strides[d];
    inner.nd++;
  }
  int64_t innerN = 1, outerN = 1;
  for (int d = 0; d < inner.nd; d++) innerN *= inner.shape[d];
  for (int d = 0; d < kept; d++) outerN *= s.shape[d];
  if (innerN == 0 && op != R_SUM && op != R_PROD && outerN > 0) return false;
  int64_t idx[kMaxDims] = {};
  for (int64_t o = 0; o < outerN; o++) {
    // base of this outer block
    const float* base = x.p;
    int64_t rem = o;
    for (int d = kept - 1; d >= 0; d--) { base += (rem % s.shape[d]) * x.strides[d]; rem /= s.shape[d]; }
    double acc = op == R_PROD ? 1.0 : 0.0;
    float best = 0.0f;
    int64_t bestAt = 0;
    std::memset(idx, 0, sizeof(idx));
    const float* p = base;
    bool nanSeen = false;
    for (int64_t i = 0; i < innerN; i++) {
      const float v = *p;
      switch (op) {
        case R_SUM: acc += v; break;
        case R_PROD: acc *= v; break;
        case R_MAX: case R_MIN:
          if (i == 0) best = v;
          else if (!nanSeen && (v != v || (op == R_MAX ? v > best : v < best))) best = v;
          if (v != v) nanSeen = true;  // NaN wins, as in torch
          break;
        case R_ARGMAX: case R_ARGMIN:
          if (i == 0) { best = v; bestAt = 0; }
          else if (best == best && (v != v || (op == R_ARGMAX ? v > best : v < best))) { best = v; bestAt = i; }
          break;
      }
      for (int d = inner.nd - 1; d >= 0; d--) {  // next element of the block
        p += xi.strides[d];
        if (++idx[d] < inner.shape[d]) break;
        p -= xi.strides[d] * inner.shape[d];
        idx[d] = 0;
      }
    }
    if (op == R_ARGMAX || op == R_ARGMIN) outIndex[o] = static_cast<int32_t>(bestAt);
    else if (op == R_MAX || op == R_MIN) out[o] = best;
    else out[o] = static_cast<float>(acc);
  }
  return true;
}

}  // namespace kotoba
