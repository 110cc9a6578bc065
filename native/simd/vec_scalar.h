// The portable "vector" of width 1: lets every templated kernel compile for any x86-64 (or other) CPU.
#pragma once
#include <cstdint>
#include <cmath>

struct VecScalar {
  using T = float;
  using M = bool;
  static constexpr int W = 1;
  static constexpr const char* name = "scalar";

  static T zero() { return 0.0f; }
  static T set1(float x) { return x; }
  static T load(const float* p) { return *p; }
  static void store(float* p, T v) { *p = v; }
  static T add(T a, T b) { return a + b; }
  static T sub(T a, T b) { return a - b; }
  static T mul(T a, T b) { return a * b; }
  static T div(T a, T b) { return a / b; }
  static T fma(T a, T b, T c) { return a * b + c; }
  static T fnma(T a, T b, T c) { return c - a * b; }
  static T max(T a, T b) { return a > b ? a : b; }
  static T min(T a, T b) { return a < b ? a : b; }
  static T sqrt(T a) { return std::sqrt(a); }
  static T abs(T a) { return std::fabs(a); }
  static T round(T a) { return std::nearbyint(a); }
  static M lt(T a, T b) { return a < b; }
  static M gt(T a, T b) { return a > b; }
  static M isnan(T a) { return a != a; }
  /** True when no lane of the comparison m is set. */
  static bool none(M m) { return !m; }
  static T blend(M m, T a, T b) { return m ? b : a; }
  static T pow2i(T n) { return std::ldexp(1.0f, static_cast<int>(n)); }
  /** Transposes the 8 x 8 block src (row stride ld) into dst (row stride ldd). */
  static void transpose8(const float* src, int64_t ld, float* dst, int64_t ldd) {
    for (int i = 0; i < 8; i++)
      for (int j = 0; j < 8; j++) dst[j * ldd + i] = src[i * ld + j];
  }
  /** alpha times the 4 x 8 block src (row stride ld), transposed into dst (row stride ldd). */
  static void transpose4x8(const float* src, int64_t ld, float alpha, float* dst, int64_t ldd) {
    for (int i = 0; i < 4; i++)
      for (int j = 0; j < 8; j++) dst[j * ldd + i] = alpha * src[i * ld + j];
  }
  static float hsum(T v) { return v; }
  static float hmax(T v) { return v; }
};
