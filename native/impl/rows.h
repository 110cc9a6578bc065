// Row kernels on contiguous [rows, cols] arrays: softmax, layerNorm, rmsNorm, cross-entropy.
// Included inside an ISA namespace; rows are spread over the pool when the work is large.

/**
 * Below this much work (rows x cost per row, in element passes) a row kernel stays on the calling
 * thread. Measured: a 128 x 768 layerNorm takes ~60 us on one thread but ~300 us split over two
 * when the second thread has to be woken (and its wake-up, not the work, is what the caller waits for).
 */
constexpr int64_t kRowsParallelWork = int64_t{1} << 19;

/** Calls f(r0, r1) over [0, rows), split among the threads when rows x costPerRow is large. */
template <class F>
static void forRows(int64_t rows, int64_t costPerRow, F&& f) {
  const int threads = poolThreads();
  if (threads == 1 || rows < 2 || rows * costPerRow < kRowsParallelWork) { f(int64_t{0}, rows); return; }
  const int64_t tasks = rows < 4 * threads ? rows : 4 * threads;
  auto body = [&](int64_t t, int) { f(rows * t / tasks, rows * (t + 1) / tasks); };
  parallelFor(tasks, body);
}

static inline float rowMax(const float* x, int64_t n) {
  int64_t i = 0;
  float m = -__builtin_huge_valf();
  if (n >= V::W) {
    auto mv = V::load(x);
    for (i = V::W; i + V::W <= n; i += V::W) mv = V::max(mv, V::load(x + i));
    m = V::hmax(mv);
  }
  for (; i < n; i++) m = x[i] > m ? x[i] : m;
  return m;
}

// Sums over a row keep four vector accumulators (as rowDotK, gemm.h): with one, each add waits for
// the previous one (3-4 cycles of latency per vector).

static inline float rowSum(const float* x, int64_t n) {
  auto s0 = V::zero(), s1 = V::zero(), s2 = V::zero(), s3 = V::zero();
  int64_t i = 0;
  for (; i + 4 * V::W <= n; i += 4 * V::W) {
    s0 = V::add(s0, V::load(x + i));
    s1 = V::add(s1, V::load(x + i + V::W));
    s2 = V::add(s2, V::load(x + i + 2 * V::W));
    s3 = V::add(s3, V::load(x + i + 3 * V::W));
  }
  for (; i + V::W <= n; i += V::W) s0 = V::add(s0, V::load(x + i));
  float r = V::hsum(V::add(V::add(s0, s1), V::add(s2, s3)));
  for (; i < n; i++) r += x[i];
  return r;
}

/** out[i] = exp(x[i] - shift) (out may be null: only the sum is wanted); returns the sum. */
static inline float rowExpSum(const float* x, int64_t n, float shift, float* out) {
  const auto sv = V::set1(shift);
  auto s = V::zero();
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) {
    auto e = vexp<V>(V::sub(V::load(x + i), sv));
    if (out) V::store(out + i, e);
    s = V::add(s, e);
  }
  float r = V::hsum(s);
  for (; i < n; i++) {
    float e = sexp(x[i] - shift);
    if (out) out[i] = e;
    r += e;
  }
  return r;
}

static inline void rowScale(float* x, int64_t n, float s) {
  const auto sv = V::set1(s);
  int64_t i = 0;
  for (; i + V::W <= n; i += V::W) V::store(x + i, V::mul(V::load(x + i), sv));
  for (; i < n; i++) x[i] *= s;
}

static void softmax(const float* x, int64_t rows, int64_t cols, float* out, bool log) {
  forRows(rows, cols * 8, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      float* o = out + r * cols;
      float m = rowMax(xr, cols);
      if (m == -__builtin_huge_valf()) m = 0.0f;
      if (log) {
        const float lse = m + std::log(rowExpSum(xr, cols, m, nullptr));
        const auto lv = V::set1(lse);
        int64_t i = 0;
        for (; i + V::W <= cols; i += V::W) V::store(o + i, V::sub(V::load(xr + i), lv));
        for (; i < cols; i++) o[i] = xr[i] - lse;
      } else {
        rowScale(o, cols, 1.0f / rowExpSum(xr, cols, m, o));
      }
    }
  });
}

static void softmaxBackward(const float* y, const float* gy, int64_t rows, int64_t cols, float* gx, bool log) {
  forRows(rows, cols * 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* yr = y + r * cols;
      const float* g = gy + r * cols;
      float* o = gx + r * cols;
      int64_t i = 0;
      if (log) {  // gx = gy - exp(y) * sum(gy)
        const float d = rowSum(g, cols);
        const auto dv = V::set1(d);
        for (; i + V::W <= cols; i += V::W) V::store(o + i, V::fnma(vexp<V>(V::load(yr + i)), dv, V::load(g + i)));
        for (; i < cols; i++) o[i] = g[i] - sexp(yr[i]) * d;
      } else {    // gx = y * (gy - sum(gy * y))
        const float d = rowDotK(g, yr, cols);
        const auto dv = V::set1(d);
        for (; i + V::W <= cols; i += V::W) V::store(o + i, V::mul(V::load(yr + i), V::sub(V::load(g + i), dv)));
        for (; i < cols; i++) o[i] = yr[i] * (g[i] - d);
      }
    }
  });
}

/** Mean and 1/sqrt(var + eps) of one row, two-pass (no cancellation from E[x^2] - E[x]^2). */
static inline void rowMoments(const float* x, int64_t n, float eps, float* mean, float* rstd) {
  const float mu = rowSum(x, n) / static_cast<float>(n);
  const auto mv = V::set1(mu);
  typename V::T s[4] = {V::zero(), V::zero(), V::zero(), V::zero()};
  int64_t i = 0;
  for (; i + 4 * V::W <= n; i += 4 * V::W) {
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++) {
      const auto d = V::sub(V::load(x + i + q * V::W), mv);
      s[q] = V::fma(d, d, s[q]);
    }
  }
  for (; i + V::W <= n; i += V::W) { auto d = V::sub(V::load(x + i), mv); s[0] = V::fma(d, d, s[0]); }
  float var = V::hsum(V::add(V::add(s[0], s[1]), V::add(s[2], s[3])));
  for (; i < n; i++) { float d = x[i] - mu; var += d * d; }
  *mean = mu;
  *rstd = 1.0f / std::sqrt(var / static_cast<float>(n) + eps);
}

static void layerNorm(const float* x, const float* w, const float* b, int64_t rows, int64_t cols, float eps,
                      float* out, float* mean, float* rstd) {
  forRows(rows, cols * 3, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      float* o = out + r * cols;
      rowMoments(xr, cols, eps, mean + r, rstd + r);
      const float mu = mean[r], rs = rstd[r];
      const auto mv = V::set1(mu), rv = V::set1(rs);
      int64_t i = 0;
      for (; i + V::W <= cols; i += V::W) {
        auto y = V::mul(V::sub(V::load(xr + i), mv), rv);
        if (w) y = V::mul(y, V::load(w + i));
        if (b) y = V::add(y, V::load(b + i));
        V::store(o + i, y);
      }
      for (; i < cols; i++) {
        float y = (xr[i] - mu) * rs;
        if (w) y *= w[i];
        if (b) y += b[i];
        o[i] = y;
      }
    }
  });
}

/**
 * Sums per-task partial column sums into dst: the row loop runs in `tasks` chunks, chunk t
 * accumulating into partial + t * width (so threads never share an accumulator).
 */
static void reduceColumns(const float* partial, int64_t tasks, int64_t width, float* dst) {
  for (int64_t c = 0; c < width; c++) {
    float s = 0.0f;
    for (int64_t t = 0; t < tasks; t++) s += partial[t * width + c];
    dst[c] = s;
  }
}

/** Runs rowFn(r, acc) over all rows in parallel chunks, each chunk with its own zeroed accumulator of `width`. */
template <class F>
static void rowsWithColumnSums(int64_t rows, int64_t cols, int64_t width, float* partialOut, F&& rowFn) {
  const int threads = poolThreads();
  const int64_t tasks = (threads == 1 || rows * cols * 4 < kRowsParallelWork) ? 1 : (rows < threads ? rows : threads);
  float* partial = scratch(poolWorker(), 3, static_cast<size_t>(tasks * width > 0 ? tasks * width : 1));
  auto body = [&](int64_t t, int) {
    float* acc = partial + t * width;
    for (int64_t c = 0; c < width; c++) acc[c] = 0.0f;
    for (int64_t r = rows * t / tasks; r < rows * (t + 1) / tasks; r++) rowFn(r, acc);
  };
  parallelFor(tasks, body);
  if (partialOut) reduceColumns(partial, tasks, width, partialOut);
}

static void layerNormBackward(const float* x, const float* w, const float* mean, const float* rstd, const float* gy,
                              int64_t rows, int64_t cols, float* gx, float* gw, float* gb) {
  // With xhat = (x - mu) * rs and g = gy * w: gx = rs * (g - mean(g) - xhat * mean(g * xhat)).
  // acc holds [gw | gb] partial sums.
  const bool wantCols = gw || gb;
  float* sums = wantCols ? scratch(poolWorker(), 2, static_cast<size_t>(2 * cols)) : nullptr;
  rowsWithColumnSums(rows, cols, wantCols ? 2 * cols : 0, sums, [&](int64_t r, float* acc) {
    const float* xr = x + r * cols;
    const float* g = gy + r * cols;
    float* o = gx + r * cols;
    const float mu = mean[r], rs = rstd[r];
    const auto mv = V::set1(mu), rv = V::set1(rs);
    auto sg = V::zero(), sgx = V::zero();
    int64_t i = 0;
    for (; i + V::W <= cols; i += V::W) {
      auto xh = V::mul(V::sub(V::load(xr + i), mv), rv);
      auto gv = V::load(g + i);
      if (wantCols) {
        V::store(acc + i, V::fma(gv, xh, V::load(acc + i)));
        V::store(acc + cols + i, V::add(gv, V::load(acc + cols + i)));
      }
      if (w) gv = V::mul(gv, V::load(w + i));
      sg = V::add(sg, gv);
      sgx = V::fma(gv, xh, sgx);
    }
    float sumG = V::hsum(sg), sumGX = V::hsum(sgx);
    for (int64_t j = i; j < cols; j++) {
      const float xh = (xr[j] - mu) * rs;
      if (wantCols) { acc[j] += g[j] * xh; acc[cols + j] += g[j]; }
      const float gj = g[j] * (w ? w[j] : 1.0f);
      sumG += gj;
      sumGX += gj * xh;
    }
    const float meanG = sumG / static_cast<float>(cols), meanGX = sumGX / static_cast<float>(cols);
    const auto mg = V::set1(meanG), mgx = V::set1(meanGX);
    for (i = 0; i + V::W <= cols; i += V::W) {
      auto xh = V::mul(V::sub(V::load(xr + i), mv), rv);
      auto gv = V::load(g + i);
      if (w) gv = V::mul(gv, V::load(w + i));
      V::store(o + i, V::mul(rv, V::fnma(xh, mgx, V::sub(gv, mg))));
    }
    for (; i < cols; i++) {
      const float xh = (xr[i] - mu) * rs;
      const float gi = g[i] * (w ? w[i] : 1.0f);
      o[i] = rs * (gi - meanG - xh * meanGX);
    }
  });
  if (gw) for (int64_t c = 0; c < cols; c++) gw[c] = sums[c];
  if (gb) for (int64_t c = 0; c < cols; c++) gb[c] = sums[cols + c];
}

static void rmsNorm(const float* x, const float* w, int64_t rows, int64_t cols, float eps, float* out, float* rstd) {
  forRows(rows, cols * 2, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* xr = x + r * cols;
      float* o = out + r * cols;
      const float rs = 1.0f / std::sqrt(rowDotK(xr, xr, cols) / static_cast<float>(cols) + eps);
      rstd[r] = rs;
      const auto rv = V::set1(rs);
      int64_t i = 0;
      for (; i + V::W <= cols; i += V::W) {
        auto y = V::mul(V::load(xr + i), rv);
        if (w) y = V::mul(y, V::load(w + i));
        V::store(o + i, y);
      }
      for (; i < cols; i++) o[i] = xr[i] * rs * (w ? w[i] : 1.0f);
    }
  });
}

static void rmsNormBackward(const float* x, const float* w, const float* rstd, const float* gy, int64_t rows,
                            int64_t cols, float* gx, float* gw) {
  // y = x * rs * w: gx = rs * (g - xhat * mean(g * xhat)), g = gy * w, xhat = x * rs
  float* sums = gw ? scratch(poolWorker(), 2, static_cast<size_t>(cols)) : nullptr;
  rowsWithColumnSums(rows, cols, gw ? cols : 0, sums, [&](int64_t r, float* acc) {
    const float* xr = x + r * cols;
    const float* g = gy + r * cols;
    float* o = gx + r * cols;
    const float rs = rstd[r];
    const auto rv = V::set1(rs);
    auto sgx = V::zero();
    int64_t i = 0;
    for (; i + V::W <= cols; i += V::W) {
      auto xh = V::mul(V::load(xr + i), rv);
      auto gv = V::load(g + i);
      if (gw) V::store(acc + i, V::fma(gv, xh, V::load(acc + i)));
      if (w) gv = V::mul(gv, V::load(w + i));
      sgx = V::fma(gv, xh, sgx);
    }
    float sumGX = V::hsum(sgx);
    for (int64_t j = i; j < cols; j++) {
      const float xh = xr[j] * rs;
      if (gw) acc[j] += g[j] * xh;
      sumGX += g[j] * (w ? w[j] : 1.0f) * xh;
    }
    const float meanGX = sumGX / static_cast<float>(cols);
    const auto mgx = V::set1(meanGX);
    for (i = 0; i + V::W <= cols; i += V::W) {
      auto xh = V::mul(V::load(xr + i), rv);
      auto gv = V::load(g + i);
      if (w) gv = V::mul(gv, V::load(w + i));
      V::store(o + i, V::mul(rv, V::fnma(xh, mgx, gv)));
    }
    for (; i < cols; i++) o[i] = rs * (g[i] * (w ? w[i] : 1.0f) - xr[i] * rs * meanGX);
  });
  if (gw) for (int64_t c = 0; c < cols; c++) gw[c] = sums[c];
}

static int64_t crossEntropy(const float* logits, int64_t rows, int64_t cols, const int32_t* targets, int32_t ignore,
                            float smoothing, float* loss, float* lse) {
  for (int64_t r = 0; r < rows; r++)
    if (targets[r] != ignore && (targets[r] < 0 || targets[r] >= cols)) return r;
  forRows(rows, cols * 8, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* x = logits + r * cols;
      const float m = rowMax(x, cols);
      const float l = m + std::log(rowExpSum(x, cols, m, nullptr));
      lse[r] = l;
      const int32_t t = targets[r];
      if (t == ignore) { loss[r] = 0.0f; continue; }
      const float nll = l - x[t];
      // mean over classes of -log p_c = lse - mean(logits)
      loss[r] = smoothing > 0 ? (1 - smoothing) * nll + smoothing * (l - rowSum(x, cols) / static_cast<float>(cols)) : nll;
    }
  });
  return -1;
}

static void crossEntropyBackward(const float* logits, const float* lse, int64_t rows, int64_t cols,
                                 const int32_t* targets, int32_t ignore, float smoothing, const float* gLoss, float* gx) {
  forRows(rows, cols * 4, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {
      const float* x = logits + r * cols;
      float* o = gx + r * cols;
      const int32_t t = targets[r];
      if (t == ignore) { std::memset(o, 0, sizeof(float) * cols); continue; }
      const float g = gLoss[r], smooth = smoothing / static_cast<float>(cols);
      const auto lv = V::set1(lse[r]), gv = V::set1(g), sv = V::set1(smooth);
      int64_t i = 0;
      for (; i + V::W <= cols; i += V::W) V::store(o + i, V::mul(gv, V::sub(vexp<V>(V::sub(V::load(x + i), lv)), sv)));
      for (; i < cols; i++) o[i] = g * (sexp(x[i] - lse[r]) - smooth);
      o[t] -= g * (1 - smoothing);
    }
  });
}
