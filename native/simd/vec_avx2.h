// 8-wide float vectors on AVX2 + FMA. Included only by isa_avx2.cc (compiled with -mavx2 -mfma).
#pragma once
#include <immintrin.h>
#include <cstdint>

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
  /** m ? b : a */
  static T blend(M m, T a, T b) { return _mm256_blendv_ps(a, b, m); }
  /** 2^n for integer-valued n in [-126, 127]. */
  static T pow2i(T n) {
    __m256i i = _mm256_cvtps_epi32(n);
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(i, _mm256_set1_epi32(127)), 23));
  }
  /** Transposes the 8 x 8 block src (row stride ld) into dst (row stride ldd). */
  static void transpose8(const float* src, int64_t ld, float* dst, int64_t ldd) {
    __m256 r0 = load(src), r1 = load(src + ld), r2 = load(src + 2 * ld), r3 = load(src + 3 * ld);
    __m256 r4 = load(src + 4 * ld), r5 = load(src + 5 * ld), r6 = load(src + 6 * ld), r7 = load(src + 7 * ld);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3);
    __m256 t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
    store(dst, _mm256_permute2f128_ps(u0, u4, 0x20));
    store(dst + ldd, _mm256_permute2f128_ps(u1, u5, 0x20));
    store(dst + 2 * ldd, _mm256_permute2f128_ps(u2, u6, 0x20));
    store(dst + 3 * ldd, _mm256_permute2f128_ps(u3, u7, 0x20));
    store(dst + 4 * ldd, _mm256_permute2f128_ps(u0, u4, 0x31));
    store(dst + 5 * ldd, _mm256_permute2f128_ps(u1, u5, 0x31));
    store(dst + 6 * ldd, _mm256_permute2f128_ps(u2, u6, 0x31));
    store(dst + 7 * ldd, _mm256_permute2f128_ps(u3, u7, 0x31));
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
