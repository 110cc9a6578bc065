// An 8 x 8 float transpose on ymm registers (AVX), shared by the AVX2 and AVX-512 vector traits
// (each includes it inside its own ISA namespace).
#pragma once
#include <immintrin.h>
#include <cstdint>

inline void transpose8x8Avx(const float* src, int64_t ld, float* dst, int64_t ldd) {
  __m256 r0 = _mm256_loadu_ps(src), r1 = _mm256_loadu_ps(src + ld), r2 = _mm256_loadu_ps(src + 2 * ld), r3 = _mm256_loadu_ps(src + 3 * ld);
  __m256 r4 = _mm256_loadu_ps(src + 4 * ld), r5 = _mm256_loadu_ps(src + 5 * ld), r6 = _mm256_loadu_ps(src + 6 * ld), r7 = _mm256_loadu_ps(src + 7 * ld);
  __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3);
  __m256 t3 = _mm256_unpackhi_ps(r2, r3), t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
  __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee);
  __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
  __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee);
  __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
  _mm256_storeu_ps(dst, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_storeu_ps(dst + ldd, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_storeu_ps(dst + 2 * ldd, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_storeu_ps(dst + 3 * ldd, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_storeu_ps(dst + 4 * ldd, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_storeu_ps(dst + 5 * ldd, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_storeu_ps(dst + 6 * ldd, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_storeu_ps(dst + 7 * ldd, _mm256_permute2f128_ps(u3, u7, 0x31));
}

// 4 rows x 8 columns of src (row stride ld), times alpha, into 8 groups of 4 floats (group stride
// ldd): four rows of A packed into a GEMM micro-panel.
inline void transpose4x8Avx(const float* src, int64_t ld, float alpha, float* dst, int64_t ldd) {
  const __m256 a = _mm256_set1_ps(alpha);
  __m256 r0 = _mm256_mul_ps(a, _mm256_loadu_ps(src)), r1 = _mm256_mul_ps(a, _mm256_loadu_ps(src + ld));
  __m256 r2 = _mm256_mul_ps(a, _mm256_loadu_ps(src + 2 * ld)), r3 = _mm256_mul_ps(a, _mm256_loadu_ps(src + 3 * ld));
  __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
  __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee);  // columns 0 | 4, 1 | 5
  __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);  // columns 2 | 6, 3 | 7
  _mm_storeu_ps(dst, _mm256_castps256_ps128(u0));
  _mm_storeu_ps(dst + ldd, _mm256_castps256_ps128(u1));
  _mm_storeu_ps(dst + 2 * ldd, _mm256_castps256_ps128(u2));
  _mm_storeu_ps(dst + 3 * ldd, _mm256_castps256_ps128(u3));
  _mm_storeu_ps(dst + 4 * ldd, _mm256_extractf128_ps(u0, 1));
  _mm_storeu_ps(dst + 5 * ldd, _mm256_extractf128_ps(u1, 1));
  _mm_storeu_ps(dst + 6 * ldd, _mm256_extractf128_ps(u2, 1));
  _mm_storeu_ps(dst + 7 * ldd, _mm256_extractf128_ps(u3, 1));
}
