// SGEMM: BLIS-style blocking (NC x KC panels of B, MC x KC blocks of A, both packed into
// micro-panels) around a register-blocked kMR x kNR micro-kernel, with alpha folded into the
// packing of A and beta, bias and activation fused into the store of C.
// Included inside an ISA namespace; needs V, kMR, kNV, kMC, kMCShort, kKC, kNC.

constexpr int kNR = kNV * V::W;

/** x . y over n floats, with four vector accumulators to hide the FMA latency. */
static inline float rowDotK(const float* x, const float* y, int64_t n) {
  auto s0 = V::zero(), s1 = V::zero(), s2 = V::zero(), s3 = V::zero();
  int64_t i = 0;
  for (; i + 4 * V::W <= n; i += 4 * V::W) {
    s0 = V::fma(V::load(x + i), V::load(y + i), s0);
    s1 = V::fma(V::load(x + i + V::W), V::load(y + i + V::W), s1);
    s2 = V::fma(V::load(x + i + 2 * V::W), V::load(y + i + 2 * V::W), s2);
    s3 = V::fma(V::load(x + i + 3 * V::W), V::load(y + i + 3 * V::W), s3);
  }
  for (; i + V::W <= n; i += V::W) s0 = V::fma(V::load(x + i), V::load(y + i), s0);
  float r = V::hsum(V::add(V::add(s0, s1), V::add(s2, s3)));
  for (; i < n; i++) r += x[i] * y[i];
  return r;
}

/**
 * For a transposed A, rows [p, p + Count) of A (each holding the block's mc values side by side)
 * dealt out to the micro-panels: Count x kMR floats in a row to each (zero padded).
 */
template <int Count>
static inline void packTransposedRows(const GemmParams& g, const float* A, int64_t i0, int64_t mc, int64_t p0, int64_t kc,
                                      int64_t p, float* dst) {
  const float alpha = g.alpha;
  const float* rows[Count];
  for (int q = 0; q < Count; q++) rows[q] = A + (p0 + p + q) * g.lda + i0;
  int64_t s = 0;
  for (; s + kMR <= mc; s += kMR) {  // fixed counts: the compiler moves kMR floats as vectors
    float* d = dst + s * kc + p * kMR;
    for (int q = 0; q < Count; q++)
      for (int r = 0; r < kMR; r++) d[q * kMR + r] = alpha * rows[q][s + r];
  }
  if (s < mc) {
    const int left = static_cast<int>(mc - s);
    float* d = dst + s * kc + p * kMR;
    for (int q = 0; q < Count; q++) {
      for (int r = 0; r < left; r++) d[q * kMR + r] = alpha * rows[q][s + r];
      for (int r = left; r < kMR; r++) d[q * kMR + r] = 0.0f;
    }
  }
}

/** Packs rows [i0, i0+mc) x cols [p0, p0+kc) of alpha * op(A) into kMR-row micro-panels (zero padded). */
static void packA(const GemmParams& g, const float* A, int64_t i0, int64_t mc, int64_t p0, int64_t kc, float* dst) {
  const float alpha = g.alpha;
  if (g.transA) {
    // op(A)(i, p) = A[p * lda + i]: row p of A holds all mc values side by side. Each row is read
    // once and dealt out to the micro-panels (one micro-panel at a time would fetch every row's
    // cache lines again for each micro-panel: measured 8% slower with a 4-row micro-kernel).
    // Rows go four at a time, so that each micro-panel receives 4 x kMR floats in a row (a whole
    // cache line when kMR is 4): the micro-panels start kMR x kc floats apart (4 KB on AVX2), so
    // one row's kMR floats to each of them all land in the same L1 set, and evicted each other
    // before their lines were complete (a 3072 x 768 x 512 product spent 5.2 % of its time
    // packing A, 3.3 % after).
    int64_t p = 0;
    for (; p + 4 <= kc; p += 4) packTransposedRows<4>(g, A, i0, mc, p0, kc, p, dst);
    for (; p < kc; p++) packTransposedRows<1>(g, A, i0, mc, p0, kc, p, dst);
    return;
  }
  static_assert(kMR % 4 == 0, "full micro-panels are packed four rows at a time");
  for (int64_t s = 0; s < mc; s += kMR) {
    const int rows = static_cast<int>(mc - s < kMR ? mc - s : kMR);
    float* d = dst + s * kc;
    if (rows == kMR) {
      // 4 x 8 blocks transposed in registers (one scalar store per element was twice as slow)
      const float* src = A + (i0 + s) * g.lda + p0;
      int64_t p = 0;
      for (; p + 8 <= kc; p += 8)
        for (int r = 0; r < kMR; r += 4) V::transpose4x8(src + r * g.lda + p, g.lda, alpha, d + p * kMR + r, kMR);
      for (; p < kc; p++)
        for (int r = 0; r < kMR; r++) d[p * kMR + r] = alpha * src[r * g.lda + p];
      continue;
    }
    for (int r = 0; r < rows; r++) {
      const float* src = A + (i0 + s + r) * g.lda + p0;
      for (int64_t p = 0; p < kc; p++) d[p * kMR + r] = alpha * src[p];
    }
    for (int r = rows; r < kMR; r++)
      for (int64_t p = 0; p < kc; p++) d[p * kMR + r] = 0.0f;
  }
}

/**
 * Worker's scratch for packA's blocks of up to `rows` rows: packA pads a block to whole
 * micro-panels, so room for the rows rounded up to kMR, kKC deep.
 */
static float* packedAScratch(int worker, int64_t rows) {
  return scratch(worker, 0, static_cast<size_t>((rows + kMR - 1) / kMR * kMR) * kKC);
}

/** Packs rows [p0, p0+kc) x cols [j0, j0+nc) of op(B) into kNR-column micro-panels (zero padded). */
static void packB(const GemmParams& g, const float* B, int64_t p0, int64_t kc, int64_t j0, int64_t nc, float* dst) {
  if (!g.transB) {
    // Row by row: each row of B is read once, left to right, and dealt out to the micro-panels
    // (one micro-panel at a time touched kc rows, a page apart, per 24 columns: 1.8x slower).
    const int64_t full = nc / kNR * kNR;
    for (int64_t p = 0; p < kc; p++) {
      const float* src = B + (p0 + p) * g.ldb + j0;
      for (int64_t s = 0; s < full; s += kNR)
        for (int v = 0; v < kNV; v++) V::store(dst + s * kc + p * kNR + v * V::W, V::load(src + s + v * V::W));
    }
    if (full < nc) {
      const int cols = static_cast<int>(nc - full);
      float* d = dst + full * kc;
      for (int64_t p = 0; p < kc; p++) {
        const float* src = B + (p0 + p) * g.ldb + j0 + full;
        for (int c = 0; c < cols; c++) d[p * kNR + c] = src[c];
        for (int c = cols; c < kNR; c++) d[p * kNR + c] = 0.0f;
      }
    }
    return;
  }
  // op(B)(p, j) = B[j * ldb + p]
  for (int64_t s = 0; s < nc; s += kNR) {
    const int cols = static_cast<int>(nc - s < kNR ? nc - s : kNR);
    float* d = dst + s * kc;
    if (cols == kNR && kNR % 8 == 0) {
      // 8 x 8 transposes of B's rows into the panel
      int64_t pb = 0;
      for (; pb + 8 <= kc; pb += 8)
        for (int c = 0; c < kNR; c += 8) V::transpose8(B + (j0 + s + c) * g.ldb + p0 + pb, g.ldb, d + pb * kNR + c, kNR);
      for (; pb < kc; pb++)
        for (int c = 0; c < kNR; c++) d[pb * kNR + c] = B[(j0 + s + c) * g.ldb + p0 + pb];
    } else {
      // a partial panel: element by element, in chunks of 8 along p so each row's cache line is used while hot
      for (int64_t pb = 0; pb < kc; pb += 8) {
        const int64_t pe = pb + 8 < kc ? pb + 8 : kc;
        for (int c = 0; c < cols; c++) {
          const float* src = B + (j0 + s + c) * g.ldb + p0;
          for (int64_t p = pb; p < pe; p++) d[p * kNR + c] = src[p];
        }
        for (int c = cols; c < kNR; c++)
          for (int64_t p = pb; p < pe; p++) d[p * kNR + c] = 0.0f;
      }
    }
  }
}

/** How one micro-tile is combined with C: the first K block applies beta, the last one adds bias and activation. */
struct TileStore {
  bool first, last;
  float beta;
  const float* bias;  // at the tile's first column, or null
  int act;
};

static inline float storeOne(float acc, float* c, int64_t j, const TileStore& st) {
  float v = acc;
  if (!st.first) v += *c;
  else if (st.beta != 0.0f) v += st.beta * *c;
  if (st.last) {
    if (st.bias) v += st.bias[j];
    v = sactivate(st.act, v);
  }
  return v;
}

/**
 * C tile (mr x nr valid of kMR x NV vectors) op= packed A micro-panel x the first NV vectors of each
 * row of a packed B micro-panel (whose rows stay kNR floats apart).
 */
template <int NV>
static inline void microKernelN(int64_t kc, const float* __restrict a, const float* __restrict b, float* c, int64_t ldc,
                               int mr, int nr, const TileStore& st, const float* fetch, int64_t fetchLines) {
  typename V::T acc[kMR][NV];
#pragma GCC unroll 32
  for (int r = 0; r < kMR; r++)
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) acc[r][v] = V::zero();
#pragma GCC unroll 4
  for (int64_t p = 0; p < kc; p++) {
    // C is needed right after the loop: prefetch every cache line of its rows (points at most 64
    // bytes apart, and the last float), one row per step of the loop's first steps rather than all
    // before it (the LM head's products 1.03-1.04x on a Zen 4 core). A row of C that does not start
    // on a line (an odd ldc, such as an LM head's 50257 columns) spans one more line; fetching only
    // the first was measured to cost those products ~12-15 % (512 x 768 x 50257, B^T: 77 -> 88
    // GFLOP/s on one thread). When kc < mr the last rows go unfetched: their stores simply miss.
    if (p < mr) {
      float* cr = c + p * ldc;
#pragma GCC unroll 8
      for (int j = 0; j < NV * V::W; j += 16) __builtin_prefetch(cr + j, 1);
      __builtin_prefetch(cr + NV * V::W - 1, 1);
    }
    typename V::T bv[NV];
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) bv[v] = V::load(b + v * V::W);
    // B's micro-panel 8 steps ahead, every cache line of it (a step is 96 or 192 bytes): ~2 % on the
    // AVX2 path for the first line alone, ~1.7 % more on BERT-base's forward on AVX-512 for all of them
#pragma GCC unroll 4
    for (int f = 0; f < kNR; f += 16) __builtin_prefetch(b + 8 * kNR + f);
    if (fetchLines > 0) {  // a share of the next micro-panel into L2, one line a step (see gemmPanelRows)
      __builtin_prefetch(fetch, 0, 2);
      fetch += 16;
      fetchLines--;
    }
#pragma GCC unroll 32
    for (int r = 0; r < kMR; r++) {
      const typename V::T av = V::set1(a[r]);
#pragma GCC unroll 8
      for (int v = 0; v < NV; v++) acc[r][v] = V::fma(av, bv[v], acc[r][v]);
    }
    a += kMR;
    b += kNR;
  }
  if (mr == kMR && nr == NV * V::W) {
    const auto beta = V::set1(st.beta);
#pragma GCC unroll 32
    for (int r = 0; r < kMR; r++) {
      float* cr = c + r * ldc;
#pragma GCC unroll 8
      for (int v = 0; v < NV; v++) {
        auto x = acc[r][v];
        float* cp = cr + v * V::W;
        if (!st.first) x = V::add(x, V::load(cp));
        else if (st.beta != 0.0f) x = V::fma(beta, V::load(cp), x);
        if (st.last) {
          if (st.bias) x = V::add(x, V::load(st.bias + v * V::W));
          if (st.act != ACT_NONE) x = vactivate<V>(st.act, x);
        }
        V::store(cp, x);
      }
    }
    return;
  }
  alignas(64) float tile[kMR * NV * V::W];
  for (int r = 0; r < kMR; r++)
    for (int v = 0; v < NV; v++) V::store(tile + (r * NV + v) * V::W, acc[r][v]);
  for (int r = 0; r < mr; r++)
    for (int j = 0; j < nr; j++) c[r * ldc + j] = storeOne(tile[r * NV * V::W + j], c + r * ldc + j, j, st);
}

/**
 * C tile (mr x nr valid of kMR x kNR) op= packed A micro-panel x packed B micro-panel. A narrow
 * last panel of columns (nr up to kNR - W, e.g. a 64-wide attention head: 24 + 24 + 16 on AVX2)
 * runs only the vectors it needs and stores them as vectors rather than through the edge tile.
 * Each element's sum is the same in the same order either way.
 */
static inline void microKernel(int64_t kc, const float* __restrict a, const float* __restrict b, float* c, int64_t ldc,
                               int mr, int nr, const TileStore& st, const float* fetch = nullptr, int64_t fetchLines = 0) {
  const int vectors = (nr + V::W - 1) / V::W;
  if constexpr (kNV > 1) if (vectors == 1) return microKernelN<1>(kc, a, b, c, ldc, mr, nr, st, fetch, fetchLines);
  if constexpr (kNV > 2) if (vectors == 2) return microKernelN<2>(kc, a, b, c, ldc, mr, nr, st, fetch, fetchLines);
  if constexpr (kNV > 3) if (vectors == 3) return microKernelN<3>(kc, a, b, c, ldc, mr, nr, st, fetch, fetchLines);
  microKernelN<kNV>(kc, a, b, c, ldc, mr, nr, st, fetch, fetchLines);
}

/** C = beta * C (+ bias, activation) for an empty product (k == 0). */
static void gemmNoK(const GemmParams& g, float* C, int64_t i0, int64_t i1, int64_t j0, int64_t j1) {
  TileStore st{true, true, g.beta, g.bias, g.act};
  for (int64_t i = i0; i < i1; i++)
    for (int64_t j = j0; j < j1; j++) C[i * g.ldc + j] = storeOne(0.0f, C + i * g.ldc + j, j, st);
}

/** How gemmPanelRows walks its rows: the rows packed at a time, and whether B comes from memory. */
struct RowBlocking {
  int64_t mcBlock;  // rows of A packed at a time (each packed micro-panel of B serves them all)
  bool fetchNextB;  // B is read from memory, not the shared cache: fetch the next micro-panel ahead
};

/** Rows [i0, i1) of C against one packed panel of B (columns jc.., nc wide; K slice pc.., kc deep). */
static void gemmPanelRows(const GemmParams& g, const float* A, float* C, int64_t i0, int64_t i1, int64_t jc, int64_t nc,
                          int64_t pc, int64_t kc, const float* packedB, float* packedA, RowBlocking rb = {kMC, false}) {
  TileStore st{pc == 0, pc + kc == g.k, g.beta, nullptr, g.act};
  for (int64_t ic = i0; ic < i1; ic += rb.mcBlock) {
    const int64_t mc = i1 - ic < rb.mcBlock ? i1 - ic : rb.mcBlock;
    packA(g, A, ic, mc, pc, kc, packedA);
    // With fetchNextB, each micro-kernel call also fetches its share of the next micro-panel of B
    // into L2, so that the first call on it does not wait for memory: one line per step of its
    // loop, not all at once before it (48 prefetches in a row stalled on a full miss queue: 8 % of
    // a 128 x 768 x 3072 product's time sat on them, perf on a Zen 4 core).
    const int64_t calls = (mc + kMR - 1) / kMR;
    const int64_t share = ((kNR * kc + calls - 1) / calls + 15) / 16 * 16;  // floats, whole cache lines
    for (int64_t jr = 0; jr < nc; jr += kNR) {
      const int nr = static_cast<int>(nc - jr < kNR ? nc - jr : kNR);
      st.bias = g.bias ? g.bias + jc + jr : nullptr;
      const float* nextB = rb.fetchNextB && jr + kNR < nc ? packedB + (jr + kNR) * kc : nullptr;
      for (int64_t ir = 0; ir < mc; ir += kMR) {
        const int mr = static_cast<int>(mc - ir < kMR ? mc - ir : kMR);
        const float* fetch = nullptr;
        int64_t inLoop = 0, lo = 0, hi = 0;
        if (nextB) {
          lo = ir / kMR * share;
          hi = lo + share < kNR * kc ? lo + share : kNR * kc;
          const int64_t lines = hi > lo ? (hi - lo + 15) / 16 : 0;
          fetch = nextB + lo;
          inLoop = lines < kc ? lines : kc;
        }
        microKernel(kc, packedA + ir * kc, packedB + jr * kc, C + (ic + ir) * g.ldc + jc + jr, g.ldc, mr, nr, st, fetch, inLoop);
        for (int64_t f = lo + inLoop * 16; f < hi; f += 16) __builtin_prefetch(nextB + f, 0, 2);  // the rest, when kc is short
      }
    }
  }
}

/** One batch entry, rows [i0, i1) x cols [j0, j1) of C, on the calling thread. */
static void gemmBlock(const GemmParams& g, int64_t bt, int64_t i0, int64_t i1, int64_t j0, int64_t j1, int worker) {
  const float* A = g.a + bt * g.strideA;
  const float* B = g.b + bt * g.strideB;
  float* C = g.c + bt * g.strideC;
  if (g.k == 0) { gemmNoK(g, C, i0, i1, j0, j1); return; }
  float* packedA = packedAScratch(worker, kMC);
  float* packedB = scratch(worker, 1, static_cast<size_t>(kKC) * (kNC + kNR));
  for (int64_t jc = j0; jc < j1; jc += kNC) {
    const int64_t nc = j1 - jc < kNC ? j1 - jc : kNC;
    for (int64_t pc = 0; pc < g.k; pc += kKC) {
      const int64_t kc = g.k - pc < kKC ? g.k - pc : kKC;
      packB(g, B, pc, kc, jc, nc, packedB);
      gemmPanelRows(g, A, C, i0, i1, jc, nc, pc, kc, packedB, packedA);
    }
  }
}

/**
 * A single row of C (m == 1, e.g. one token through a Linear layer while decoding): packing would
 * pad the row to kMR and copy all of B for one use, so this streams B once instead.
 * Columns [j0, j1) of batch entry bt.
 */
static void gemvBlock(const GemmParams& g, int64_t bt, int64_t j0, int64_t j1, int worker) {
  const float* A = g.a + bt * g.strideA;
  const float* B = g.b + bt * g.strideB;
  float* C = g.c + bt * g.strideC;
  const int64_t k = g.k, n = j1 - j0;
  // the row of op(A), scaled by alpha, made contiguous
  float* x = scratch(worker, 4, static_cast<size_t>(k > 0 ? k : 1));
  for (int64_t p = 0; p < k; p++) x[p] = g.alpha * A[g.transA ? p * g.lda : p];
  float* acc = scratch(worker, 5, static_cast<size_t>(n));
  if (g.transB) {
    // op(B)(p, j) = B[j * ldb + p]: one dot product per column, rows of B read contiguously
    for (int64_t j = 0; j < n; j++) acc[j] = rowDotK(x, B + (j0 + j) * g.ldb, k);
  } else {
    for (int64_t j = 0; j < n; j++) acc[j] = 0.0f;
    for (int64_t p = 0; p < k; p++) {
      const float* src = B + p * g.ldb + j0;
      const auto xv = V::set1(x[p]);
      int64_t j = 0;
      for (; j + V::W <= n; j += V::W) V::store(acc + j, V::fma(xv, V::load(src + j), V::load(acc + j)));
      for (; j < n; j++) acc[j] += x[p] * src[j];
    }
  }
  TileStore st{true, true, g.beta, g.bias ? g.bias + j0 : nullptr, g.act};
  for (int64_t j = 0; j < n; j++) C[j0 + j] = storeOne(acc[j], C + j0 + j, j, st);
}

/** Splits [0, len) into `parts` chunks that are multiples of `align` (the last one takes the rest). */
static inline void chunk(int64_t len, int64_t parts, int64_t part, int64_t align, int64_t* lo, int64_t* hi) {
  int64_t units = (len + align - 1) / align;
  int64_t per = units / parts, extra = units % parts;
  int64_t u0 = part * per + (part < extra ? part : extra);
  int64_t u1 = u0 + per + (part < extra ? 1 : 0);
  *lo = u0 * align < len ? u0 * align : len;
  *hi = u1 * align < len ? u1 * align : len;
}

/**
 * How many column strips a short product is cut into: one per thread when `units` (kNR-wide
 * column slivers) split evenly, since every strip packs all of A again; else two per thread, so
 * that a late starter is covered.
 */
static inline int64_t columnStrips(int64_t units, int threads) {
  if (units % threads == 0) return threads;
  return units < 2 * threads ? units : 2 * threads;
}

/**
 * One large product on all threads, BLIS-style: each packed panel of B is packed by all threads
 * together and then shared, while the threads split the rows of C (each packing its own rows of
 * A), so nothing is packed twice and the threads read one copy of B from the shared caches.
 */
constexpr int64_t kSharedMinRows = 256;

static void gemmShared(const GemmParams& g, int64_t bt, int threads) {
  const float* A = g.a + bt * g.strideA;
  const float* B = g.b + bt * g.strideB;
  float* C = g.c + bt * g.strideC;
  float* packedB = scratch(poolWorker(), 1, static_cast<size_t>(kKC) * (kNC + kNR));
  const int64_t rowUnits = (g.m + kMR - 1) / kMR;
  const int64_t rowParts = rowUnits < 2 * threads ? rowUnits : 2 * threads;  // two per thread: late starters are covered
  for (int64_t jc = 0; jc < g.n; jc += kNC) {
    const int64_t nc = g.n - jc < kNC ? g.n - jc : kNC;
    const int64_t slivers = (nc + kNR - 1) / kNR;
    const int64_t packParts = slivers < threads ? slivers : threads;
    for (int64_t pc = 0; pc < g.k; pc += kKC) {
      const int64_t kc = g.k - pc < kKC ? g.k - pc : kKC;
      auto pack = [&](int64_t t, int) {
        int64_t s0, s1;
        chunk(slivers, packParts, t, 1, &s0, &s1);
        const int64_t j0 = s0 * kNR, j1 = s1 * kNR < nc ? s1 * kNR : nc;
        if (j0 < j1) packB(g, B, pc, kc, jc + j0, j1 - j0, packedB + j0 * kc);
      };
      parallelFor(packParts, pack);
      auto rows = [&](int64_t t, int w) {
        int64_t i0, i1;
        chunk(g.m, rowParts, t, kMR, &i0, &i1);
        if (i0 < i1) gemmPanelRows(g, A, C, i0, i1, jc, nc, pc, kc, packedB, packedAScratch(w, kMC));
      };
      parallelFor(rowParts, rows);
    }
  }
}

// ---- prepacked B ----
// Layout: the kNC-wide column panels one after another; inside a panel (nc columns, padded to a
// multiple of kNR), its kKC-deep slices one after another, each as packB writes it. Panel jc
// therefore starts at jc * k, and its slice pc at jc * k + pc * (padded nc).

static int64_t packedBSize(int64_t k, int64_t n) { return k * ((n + kNR - 1) / kNR * kNR); }

static void packBAll(const GemmParams& g, float* dst) {
  for (int64_t jc = 0; jc < g.n; jc += kNC) {
    const int64_t nc = g.n - jc < kNC ? g.n - jc : kNC;
    const int64_t padded = (nc + kNR - 1) / kNR * kNR;
    for (int64_t pc = 0; pc < g.k; pc += kKC) {
      const int64_t kc = g.k - pc < kKC ? g.k - pc : kKC;
      packB(g, g.b, pc, kc, jc, nc, dst + jc * g.k + pc * padded);
    }
  }
}

/** The rows of A packed at a time for `rows` rows: as few blocks of up to `most` rows as cover them, evenly sized. */
static int64_t evenRowBlock(int64_t rows, int64_t most) {
  const int64_t blocks = (rows + most - 1) / most;
  const int64_t size = ((rows + blocks - 1) / blocks + kMR - 1) / kMR * kMR;
  return size < most ? size : most;
}

/** Rows [i0, i1) x columns [j0, j1) of C (j0 a multiple of kNR) from the prepacked op(B). */
static void gemmBlockPrepacked(const GemmParams& g, int64_t i0, int64_t i1, int64_t j0, int64_t j1, int worker) {
  // Prepacked weights are read from memory (a model's weights do not fit in the caches), and
  // each micro-panel of B fetched serves one block of rows: so rows are packed in blocks of up to
  // kMCShort, not kMC. A short input is one block (with the next micro-panel fetched ahead,
  // measured 5-8 % faster on one thread, 1-5 % on two, for BERT-base's products at 128 tokens);
  // longer ones are cut evenly (a band of 256 rows as 2 x 128, not 96 + 96 + 64: BERT-base's
  // products at 8 x 128 tokens, 16 alternated comparisons on one and two threads, 0.99-1.12x,
  // mean 1.02x).
  const RowBlocking rb{evenRowBlock(i1 - i0, kMCShort), true};
  float* packedA = packedAScratch(worker, rb.mcBlock);
  for (int64_t jc = j0 / kNC * kNC; jc < j1; jc += kNC) {
    const int64_t panel = g.n - jc < kNC ? g.n - jc : kNC;
    const int64_t padded = (panel + kNR - 1) / kNR * kNR;
    const int64_t lo = jc > j0 ? jc : j0, hi = jc + panel < j1 ? jc + panel : j1;
    for (int64_t pc = 0; pc < g.k; pc += kKC) {
      const int64_t kc = g.k - pc < kKC ? g.k - pc : kKC;
      const float* slice = g.packedB + jc * g.k + pc * padded + (lo - jc) * kc;
      gemmPanelRows(g, g.a, g.c, i0, i1, lo, hi - lo, pc, kc, slice, packedA, rb);
    }
  }
}

/**
 * The product with B prepacked (batch 1, k > 0). Few rows (a short input through a Linear
 * layer): each thread takes a strip of columns, so B is read once in all; many rows: each thread
 * takes a band of rows and packs only its own rows of A.
 */
static void gemmPrepacked(const GemmParams& g, int threads, double flops) {
  if (threads == 1 || flops < kParallelFlops) { gemmBlockPrepacked(g, 0, g.m, 0, g.n, poolWorker()); return; }
  if (g.m >= kSharedMinRows) {
    const int64_t rowUnits = (g.m + kMR - 1) / kMR;
    const int64_t parts = rowUnits < 2 * threads ? rowUnits : 2 * threads;
    auto rows = [&](int64_t t, int w) {
      int64_t i0, i1;
      chunk(g.m, parts, t, kMR, &i0, &i1);
      if (i0 < i1) gemmBlockPrepacked(g, i0, i1, 0, g.n, w);
    };
    parallelFor(parts, rows);
    return;
  }
  const int64_t units = (g.n + kNR - 1) / kNR;
  const int64_t parts = columnStrips(units, threads);
  auto cols = [&](int64_t t, int w) {
    int64_t j0, j1;
    chunk(g.n, parts, t, kNR, &j0, &j1);
    if (j0 < j1) gemmBlockPrepacked(g, 0, g.m, j0, j1, w);
  };
  parallelFor(parts, cols);
}

static void gemm(const GemmParams& g) {
  if (g.batch <= 0 || g.m <= 0 || g.n <= 0) return;
  const int threads = poolThreads();
  const double flops = 2.0 * g.batch * g.m * g.n * (g.k > 0 ? g.k : 1);
  if (g.packedB && g.batch == 1 && g.m > 1 && g.k > 0) { gemmPrepacked(g, threads, flops); return; }
  if (g.m == 1 && g.k > 0) {
    const int64_t parts = threads == 1 || flops < kParallelFlops ? 1 : 4 * threads;
    auto body = [&](int64_t t, int w) {
      int64_t j0, j1;
      chunk(g.n, parts, t % parts, 16, &j0, &j1);
      if (j0 < j1) gemvBlock(g, t / parts, j0, j1, w);
    };
    if (parts == 1) for (int64_t t = 0; t < g.batch; t++) body(t, poolWorker());
    else parallelFor(g.batch * parts, body);
    return;
  }
  if (threads == 1 || flops < kParallelFlops) {
    const int w = poolWorker();
    for (int64_t bt = 0; bt < g.batch; bt++) gemmBlock(g, bt, 0, g.m, 0, g.n, w);
    return;
  }
  if (g.batch >= 2 * threads) {  // many batch entries (attention's products): one per task
    auto body = [&](int64_t bt, int w) { gemmBlock(g, bt, 0, g.m, 0, g.n, w); };
    parallelFor(g.batch, body);
    return;
  }
  // Tall products share packed B panels (gemmShared). Short ones (a few hundred tokens through a
  // Linear layer) are cut into column strips (columnStrips), each packing its own columns of B and
  // all of the small A: no synchronisation inside the product.
  if (g.m >= kSharedMinRows && g.k > 0) {
    for (int64_t bt = 0; bt < g.batch; bt++) gemmShared(g, bt, threads);
    return;
  }
  const int64_t units = (g.n + kNR - 1) / kNR;
  const int64_t parts = columnStrips(units, threads);
  auto body = [&](int64_t t, int w) {
    int64_t j0, j1;
    chunk(g.n, parts, t % parts, kNR, &j0, &j1);
    if (j0 < j1) gemmBlock(g, t / parts, 0, g.m, j0, j1, w);
  };
  parallelFor(g.batch * parts, body);
}

/** Runs `iters` rounds of independent FMAs on registers; returns the FLOPs done (for the bench's peak). */
static double fmaPeak(int64_t iters) {
  constexpr int kAcc = 12;  // enough independent chains to cover FMA latency x throughput
  typename V::T acc[kAcc];
  for (int i = 0; i < kAcc; i++) acc[i] = V::set1(0.001f * i);
  const auto x = V::set1(0.9999f), y = V::set1(0.0001f);
  for (int64_t it = 0; it < iters; it++) {
#pragma GCC unroll 12
    for (int i = 0; i < kAcc; i++) acc[i] = V::fma(acc[i], x, y);
  }
  auto s = V::zero();
  for (int i = 0; i < kAcc; i++) s = V::add(s, acc[i]);
  volatile float sink = V::hsum(s);
  (void)sink;
  return 2.0 * kAcc * V::W * static_cast<double>(iters);
}
