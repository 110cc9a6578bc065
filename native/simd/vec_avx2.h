// 8-wide float vectors on AVX2 + FMA. Included only by isa_avx2.cc (compiled with -mavx2 -mfma).
#pragma once
#include <immintrin.h>

#include <cstdint>

#include "simd/transpose_avx.h"

struct VecAvx2 {
  using T = __m256;
  using M = __m256;  // comparison result: all-ones lanes
  static constexpr int W = 8;
  static constexpr const char* name = "avx2";

  static T zero() { return _mm256_setzero_ps(); }
  static T set1(float x) { return _mm256_set1_ps(x); }
  static T load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, T v) { _mm256_storeu_ps(p, v); }
  static T add(T a, T b) { return _mm256_add_ps(a, b); }
  static T sub(T a, T b) { return _mm256_sub_ps(a, b); }
  static T mul(T a, T b) { return _mm256_mul_ps(a, b); }
  static T div(T a, T b) { return _mm256_div_ps(a, b); }
  static T fma(T a, T b, T c) { return _mm256_fmadd_ps(a, b, c); }   // a*b + c
  static T fnma(T a, T b, T c) { return _mm256_fnmadd_ps(a, b, c); } // c - a*b
  static T max(T a, T b) { return _mm256_max_ps(a, b); }
  static T min(T a, T b) { return _mm256_min_ps(a, b); }
  static T sqrt(T a) { return _mm256_sqrt_ps(a); }
  static T abs(T a) { return _mm256_andnot_ps(_mm256_set1_ps(-0.0f), a); }
  static T round(T a) { return _mm256_round_ps(a, _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC); }
  static M lt(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_LT_OQ); }
  static M gt(T a, T b) { return _mm256_cmp_ps(a, b, _CMP_GT_OQ); }
  static M isnan(T a) { return _mm256_cmp_ps(a, a, _CMP_UNORD_Q); }
  /** True when no lane of the comparison m is set. */
  static bool none(M m) { return _mm256_movemask_ps(m) == 0; }
  /** m ? b : a */
  static T blend(M m, T a, T b) { return _mm256_blendv_ps(a, b, m); }
  /** 2^n for integer-valued n in [-126, 127]. */
  static T pow2i(T n) {
    __m256i i = _mm256_cvtps_epi32(n);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(i, _mm256_set1_epi32(127)), 23));
  }
  /** Transposes the 8 x 8 block src (row stride ld) into dst (row stride ldd). */
  static void transpose8(const float* src, int64_t ld, float* dst, int64_t ldd) { transpose8x8Avx(src, ld, dst, ldd); }
  /** alpha times the 4 x 8 block src (row stride ld), transposed into dst (row stride ldd). */
  static void transpose4x8(const float* src, int64_t ld, float alpha, float* dst, int64_t ldd) {
    transpose4x8Avx(src, ld, alpha, dst, ldd);
  }
  static float hsum(T v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  static float hmax(T v) {
    __m128 s = _mm_max_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_max_ps(s, _mm_movehl_ps(s, s));
    s = _mm_max_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
};
