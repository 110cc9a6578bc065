// Fused scaled-dot-product attention, flash-attention style: each task takes a block of query
// rows and streams over key blocks with an online softmax, so the extra memory is
// O(block x (block + head size)) per thread instead of O(tq x tk). The products themselves go
// through the packed GEMM (gemmBlock) on the calling thread. Included inside an ISA namespace.

constexpr int64_t kAttnBq = 64;   // query rows per task
constexpr int64_t kAttnBk = 256;  // keys per online-softmax step

/** A single-matrix product on this thread: C = alpha * op(A) op(B) + beta * C. */
static inline void gemm1(bool transA, bool transB, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                         int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc, int worker) {
  GemmParams g{1, m, n, k, transA, transB, a, lda, 0, b, ldb, 0, c, ldc, 0, alpha, beta, nullptr, ACT_NONE, nullptr};
  if (m == 1 && k > 0) gemvBlock(g, 0, 0, n, worker);  // one query row: decoding
  else gemmBlock(g, 0, 0, m, 0, n, worker);
}

static inline const float* at(const View4& v, int64_t b, int64_t h, int64_t i) { return v.p + b * v.s0 + h * v.s1 + i * v.s2; }

/** Adds one additive view's row (b, h, i, j0..j0+n) to s. */
static inline void addRow(float* s, const View4& v, int64_t b, int64_t h, int64_t i, int64_t j0, int64_t n) {
  if (!v.p) return;
  const float* src = at(v, b, h, i) + j0 * v.s3;
  if (v.s3 == 1) {
    int64_t j = 0;
    for (; j + V::W <= n; j += V::W) V::store(s + j, V::add(V::load(s + j), V::load(src + j)));
    for (; j < n; j++) s[j] += src[j];
  } else if (v.s3 == 0) {
    const float x = *src;
    for (int64_t j = 0; j < n; j++) s[j] += x;
  } else {
    for (int64_t j = 0; j < n; j++) s[j] += src[j * v.s3];
  }
}

/** Masks and biases row i's scores for keys [j0, j0+n); keys past `limit` are hidden (causal). */
static inline void finishScores(const AttentionParams& a, float* s, int64_t b, int64_t h, int64_t i, int64_t j0,
                                int64_t n, int64_t limit) {
  addRow(s, a.mask, b, h, i, j0, n);
  addRow(s, a.bias, b, h, i, j0, n);
  for (int64_t j = limit - j0 + 1 > 0 ? limit - j0 + 1 : 0; j < n; j++) s[j] = -__builtin_huge_valf();
}

/** The last key row i may see (causal: i + tk - tq), or tk - 1. */
static inline int64_t keyLimit(const AttentionParams& a, int64_t i) {
  return a.causal ? (i + a.tk - a.tq < a.tk - 1 ? i + a.tk - a.tq : a.tk - 1) : a.tk - 1;
}

/** Forward of one block of query rows [i0, i0+bq) of head (b, h), streaming over key blocks. */
static void attentionFlashBlock(const AttentionParams& a, int64_t b, int64_t h, int64_t i0, int64_t bq, int w) {
  const int64_t d = a.d;
  float* s = scratch(w, 2, kAttnBq * kAttnBk);
  float* o = scratch(w, 3, kAttnBq * d);
  float m[kAttnBq], l[kAttnBq];
  for (int64_t r = 0; r < bq; r++) { m[r] = -__builtin_huge_valf(); l[r] = 0.0f; }
  std::memset(o, 0, sizeof(float) * bq * d);
  const int64_t kEnd = keyLimit(a, i0 + bq - 1) + 1;
  for (int64_t j0 = 0; j0 < kEnd; j0 += kAttnBk) {
    const int64_t bk = kEnd - j0 < kAttnBk ? kEnd - j0 : kAttnBk;
    gemm1(false, true, bq, bk, d, a.scale, at(a.q, b, h, i0), a.q.s2, at(a.k, b, h, j0), a.k.s2, 0.0f, s, bk, w);
    for (int64_t r = 0; r < bq; r++) {
      float* sr = s + r * bk;
      finishScores(a, sr, b, h, i0 + r, j0, bk, keyLimit(a, i0 + r));
      const float blockMax = rowMax(sr, bk);
      const float mNew = blockMax > m[r] ? blockMax : m[r];
      if (mNew == -__builtin_huge_valf()) {  // nothing visible yet: contribute nothing
        std::memset(sr, 0, sizeof(float) * bk);
        continue;
      }
      const float corr = sexp(m[r] - mNew);  // 0 when m was -inf
      l[r] = l[r] * corr + rowExpSum(sr, bk, mNew, sr);
      if (corr != 1.0f) rowScale(o + r * d, d, corr);
      m[r] = mNew;
    }
    gemm1(false, false, bq, d, bk, 1.0f, s, bk, at(a.v, b, h, j0), a.v.s2, 1.0f, o, d, w);
  }
  float* lse = a.lse + (b * a.heads + h) * a.tq + i0;
  for (int64_t r = 0; r < bq; r++) {
    float* dst = a.out + b * a.os0 + h * a.os1 + (i0 + r) * a.os2;
    const float inv = l[r] > 0 ? 1.0f / l[r] : 0.0f;  // a fully hidden row gives zeros, as the reference does
    for (int64_t c = 0; c < d; c++) dst[c] = o[r * d + c] * inv;
    lse[r] = (m[r] == -__builtin_huge_valf() ? 0.0f : m[r]) + std::log(l[r]);
  }
}

/** Scores of rows [i0, i0+bq) against keys [0, kEnd) into s (row stride lds), turned into probabilities. */
static void attentionProbs(const AttentionParams& a, int64_t b, int64_t h, int64_t i0, int64_t bq, int64_t kEnd,
                           float* s, int64_t lds, float* lseOut, int w) {
  if (kEnd > 0) gemm1(false, true, bq, kEnd, a.d, a.scale, at(a.q, b, h, i0), a.q.s2, at(a.k, b, h, 0), a.k.s2, 0.0f, s, lds, w);
  for (int64_t r = 0; r < bq; r++) {
    float* sr = s + r * lds;
    finishScores(a, sr, b, h, i0 + r, 0, kEnd, keyLimit(a, i0 + r));
    float mx = rowMax(sr, kEnd);
    if (mx == -__builtin_huge_valf()) mx = 0.0f;
    const float sum = rowExpSum(sr, kEnd, mx, sr);
    rowScale(sr, kEnd, sum > 0 ? 1.0f / sum : 0.0f);
    if (lseOut) lseOut[r] = mx + std::log(sum);
  }
}

/** Forward with the probabilities written out (the caller asked for them): P is materialized in a.probs. */
static void attentionWithProbs(const AttentionParams& a, int64_t b, int64_t h, int64_t i0, int64_t bq, int w) {
  float* p = a.probs + ((b * a.heads + h) * a.tq + i0) * a.tk;
  attentionProbs(a, b, h, i0, bq, a.tk, p, a.tk, a.lse + (b * a.heads + h) * a.tq + i0, w);
  float* out = a.out + b * a.os0 + h * a.os1 + i0 * a.os2;
  gemm1(false, false, bq, a.d, a.tk, 1.0f, p, a.tk, at(a.v, b, h, 0), a.v.s2, 0.0f, out, a.os2, w);
}

static void attention(const AttentionParams& a) {
  if (a.batch <= 0 || a.heads <= 0 || a.tq <= 0) return;
  const int64_t qBlocks = (a.tq + kAttnBq - 1) / kAttnBq;
  auto body = [&](int64_t t, int w) {
    const int64_t bh = t / qBlocks, i0 = (t % qBlocks) * kAttnBq;
    const int64_t bq = a.tq - i0 < kAttnBq ? a.tq - i0 : kAttnBq;
    const int64_t b = bh / a.heads, h = bh % a.heads;
    if (a.probs) attentionWithProbs(a, b, h, i0, bq, w);
    else attentionFlashBlock(a, b, h, i0, bq, w);
  };
  const int64_t tasks = a.batch * a.heads * qBlocks;
  if (4.0 * a.batch * a.heads * a.tq * a.tk * a.d < kParallelFlops) {
    for (int64_t t = 0; t < tasks; t++) body(t, poolWorker());
  } else {
    parallelFor(tasks, body);
  }
}

/**
 * Backward of head (b, h), one block of query rows at a time: P is recomputed for the block
 * (O(block x tk) memory), then dS = P * (dP - rowsum(P * dP)) with dP = dO V^T, and
 * gV += P^T dO, gK += scale dS^T Q, gQ = scale dS K. gq/gk/gv of the head are owned by the task.
 */
static void attentionBackwardHead(const AttentionParams& a, int64_t b, int64_t h, int w) {
  const int64_t d = a.d, tk = a.tk;
  float* gq = a.gq + (b * a.heads + h) * a.tq * d;
  float* gk = a.gk + (b * a.heads + h) * tk * d;
  float* gv = a.gv + (b * a.heads + h) * tk * d;
  std::memset(gk, 0, sizeof(float) * tk * d);
  std::memset(gv, 0, sizeof(float) * tk * d);
  float* p = scratch(w, 2, kAttnBq * tk);
  float* dp = scratch(w, 3, kAttnBq * tk);
  for (int64_t i0 = 0; i0 < a.tq; i0 += kAttnBq) {
    const int64_t bq = a.tq - i0 < kAttnBq ? a.tq - i0 : kAttnBq;
    const int64_t kEnd = keyLimit(a, i0 + bq - 1) + 1;
    if (kEnd <= 0) { std::memset(gq + i0 * d, 0, sizeof(float) * bq * d); continue; }
    attentionProbs(a, b, h, i0, bq, kEnd, p, kEnd, nullptr, w);
    const float* gOut = at(a.gOut, b, h, i0);
    gemm1(false, true, bq, kEnd, d, 1.0f, gOut, a.gOut.s2, at(a.v, b, h, 0), a.v.s2, 0.0f, dp, kEnd, w);
    for (int64_t r = 0; r < bq; r++) {
      const float* pr = p + r * kEnd;
      float* dr = dp + r * kEnd;
      const float dl = rowDotK(pr, dr, kEnd);
      const auto delta = V::set1(dl);
      int64_t j = 0;
      for (; j + V::W <= kEnd; j += V::W) V::store(dr + j, V::mul(V::load(pr + j), V::sub(V::load(dr + j), delta)));
      for (; j < kEnd; j++) dr[j] = pr[j] * (dr[j] - dl);
      if (a.gBias) {
        float* gb = a.gBias + (h * a.tq + i0 + r) * tk;
        for (int64_t c = 0; c < kEnd; c++) gb[c] += dr[c];
      }
    }
    gemm1(true, false, kEnd, d, bq, 1.0f, p, kEnd, gOut, a.gOut.s2, 1.0f, gv, d, w);
    gemm1(true, false, kEnd, d, bq, a.scale, dp, kEnd, at(a.q, b, h, i0), a.q.s2, 1.0f, gk, d, w);
    gemm1(false, false, bq, d, kEnd, a.scale, dp, kEnd, at(a.k, b, h, 0), a.k.s2, 0.0f, gq + i0 * d, d, w);
  }
}

static void attentionBackward(const AttentionParams& a) {
  if (a.batch <= 0 || a.heads <= 0) return;
  const bool serial = 8.0 * a.batch * a.heads * a.tq * a.tk * a.d < kParallelFlops;
  if (a.gBias) {
    // gBias sums over the batch: one task per head, looping over the batch, so no two threads share a row
    std::memset(a.gBias, 0, sizeof(float) * a.heads * a.tq * a.tk);
    auto body = [&](int64_t h, int w) { for (int64_t b = 0; b < a.batch; b++) attentionBackwardHead(a, b, h, w); };
    if (serial) for (int64_t h = 0; h < a.heads; h++) body(h, poolWorker());
    else parallelFor(a.heads, body);
  } else {
    auto body = [&](int64_t t, int w) { attentionBackwardHead(a, t / a.heads, t % a.heads, w); };
    if (serial) for (int64_t t = 0; t < a.batch * a.heads; t++) body(t, poolWorker());
    else parallelFor(a.batch * a.heads, body);
  }
}
