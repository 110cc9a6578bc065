// 16-wide float vectors on AVX-512F. Included only by isa_avx512.cc (compiled with -mavx512f ...).
#pragma once
#include <immintrin.h>

#include <cstdint>

#include "simd/transpose_avx.h"

struct VecAvx512 {
  using T = __m512;
  using M = __mmask16;
  static constexpr int W = 16;
  static constexpr const char* name = "avx512";

  static T zero() { return _mm512_setzero_ps(); }
  static T set1(float x) { return _mm512_set1_ps(x); }
  static T load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static T add(T a, T b) { return _mm512_add_ps(a, b); }
  static T sub(T a, T b) { return _mm512_sub_ps(a, b); }
  static T mul(T a, T b) { return _mm512_mul_ps(a, b); }
  static T div(T a, T b) { return _mm512_div_ps(a, b); }
  static T fma(T a, T b, T c) { return _mm512_fmadd_ps(a, b, c); }
  static T fnma(T a, T b, T c) { return _mm512_fnmadd_ps(a, b, c); }
  static T max(T a, T b) { return _mm512_max_ps(a, b); }
  static T min(T a, T b) { return _mm512_min_ps(a, b); }
  static T sqrt(T a) { return _mm512_sqrt_ps(a); }
  static T abs(T a) { return _mm512_abs_ps(a); }
  static T round(T a) { return _mm512_roundscale_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static M lt(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_LT_OQ); }
  static M gt(T a, T b) { return _mm512_cmp_ps_mask(a, b, _CMP_GT_OQ); }
  static M isnan(T a) { return _mm512_cmp_ps_mask(a, a, _CMP_UNORD_Q); }
  /** True when no lane of the comparison m is set. */
  static bool none(M m) { return m == 0; }
  static T blend(M m, T a, T b) { return _mm512_mask_blend_ps(m, a, b); }
  static T pow2i(T n) {
    __m512i i = _mm512_cvtps_epi32(n);
    return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_add_epi32(i, _mm512_set1_epi32(127)), 23));
  }
  /** Transposes the 8 x 8 block src (row stride ld) into dst (row stride ldd). */
  static void transpose8(const float* src, int64_t ld, float* dst, int64_t ldd) { transpose8x8Avx(src, ld, dst, ldd); }
  /** alpha times the 4 x 8 block src (row stride ld), transposed into dst (row stride ldd). */
  static void transpose4x8(const float* src, int64_t ld, float alpha, float* dst, int64_t ldd) {
    transpose4x8Avx(src, ld, alpha, dst, ldd);
  }
  static float hsum(T v) { return _mm512_reduce_add_ps(v); }
  static float hmax(T v) { return _mm512_reduce_max_ps(v); }
};
