// Elementwise kernels on contiguous memory: activations and their gradients, the AdamW step,
// embedding gather and its scatter-add. Included inside an ISA namespace.

/** Calls f(i0, i1) over [0, n), in parallel chunks (multiples of 64 elements) when n is large. */
template <class F>
static void forRange(int64_t n, int64_t costPerElement, F&& f) {
  const int threads = poolThreads();
  if (threads == 1 || n * costPerElement < (int64_t{1} << 16)) { f(int64_t{0}, n); return; }
  const int64_t tasks = 4 * threads;
  auto body = [&](int64_t t, int) {
    int64_t lo, hi;
    chunk(n, tasks, t, 64, &lo, &hi);
    if (lo < hi) f(lo, hi);
  };
  parallelFor(tasks, body);
}

static void activation(int act, const float* x, float* out, int64_t n) {
  forRange(n, 16, [&](int64_t i0, int64_t i1) {
    int64_t i = i0;
    for (; i + V::W <= i1; i += V::W) V::store(out + i, vactivate<V>(act, V::load(x + i)));
    for (; i < i1; i++) out[i] = sactivate(act, x[i]);
  });
}

static void activationBackward(int act, const float* x, const float* gy, float* gx, int64_t n) {
  forRange(n, 24, [&](int64_t i0, int64_t i1) {
    int64_t i = i0;
    for (; i + V::W <= i1; i += V::W) V::store(gx + i, V::mul(V::load(gy + i), vactivateGrad<V>(act, V::load(x + i))));
    for (; i < i1; i++) gx[i] = gy[i] * sactivateGrad(act, x[i]);
  });
}

static void adamw(float* p, const float* g, float* m, float* v, int64_t n, const AdamWParams& a) {
  // every coefficient is formed in double and rounded to float once
  const float stepSize = static_cast<float>(a.lr / (1 - std::pow(a.beta1, a.step)));
  const float invBc2Sqrt = static_cast<float>(1 / std::sqrt(1 - std::pow(a.beta2, a.step)));
  const float decay = static_cast<float>(a.decoupled ? 1 - a.lr * a.weightDecay : 1.0);
  const float l2 = static_cast<float>(a.decoupled ? 0.0 : a.weightDecay);
  const float sign = a.maximize ? -1.0f : 1.0f;
  const float b1 = static_cast<float>(a.beta1), b2 = static_cast<float>(a.beta2);
  const float c1 = static_cast<float>(1 - a.beta1), c2 = static_cast<float>(1 - a.beta2), eps = static_cast<float>(a.eps);
  forRange(n, 8, [&](int64_t i0, int64_t i1) {
    const auto b1v = V::set1(b1), b2v = V::set1(b2), c1v = V::set1(c1), c2v = V::set1(c2);
    const auto dv = V::set1(decay), lv = V::set1(l2), sv = V::set1(sign), step = V::set1(stepSize),
               ib = V::set1(invBc2Sqrt), ev = V::set1(eps);
    int64_t i = i0;
    for (; i + V::W <= i1; i += V::W) {
      auto pv = V::load(p + i);
      auto gv = V::fma(lv, pv, V::mul(sv, V::load(g + i)));  // l2 is 0 for decoupled decay
      pv = V::mul(pv, dv);
      auto mv = V::fma(b1v, V::load(m + i), V::mul(c1v, gv));
      auto vv = V::fma(b2v, V::load(v + i), V::mul(c2v, V::mul(gv, gv)));
      V::store(m + i, mv);
      V::store(v + i, vv);
      V::store(p + i, V::fnma(step, V::div(mv, V::fma(V::sqrt(vv), ib, ev)), pv));
    }
    for (; i < i1; i++) {
      const float gi = sign * g[i] + l2 * p[i];
      const float pi = p[i] * decay;
      m[i] = b1 * m[i] + c1 * gi;
      v[i] = b2 * v[i] + c2 * gi * gi;
      p[i] = pi - stepSize * m[i] / (std::sqrt(v[i]) * invBc2Sqrt + eps);
    }
  });
}

static int64_t embedding(const float* w, int64_t vocab, int64_t dim, const int32_t* ids, int64_t n, float* out) {
  for (int64_t i = 0; i < n; i++)
    if (ids[i] < 0 || ids[i] >= vocab) return i;
  forRange(n, dim, [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; i++) std::memcpy(out + i * dim, w + static_cast<int64_t>(ids[i]) * dim, sizeof(float) * dim);
  });
  return -1;
}

static void embeddingBackward(const float* gy, const int32_t* ids, int64_t n, int64_t dim, int32_t paddingIdx, float* gw) {
  // Serial: repeated ids would race, and this is a small part of a step (n x dim adds).
  for (int64_t r = 0; r < n; r++) {
    if (ids[r] == paddingIdx) continue;
    float* dst = gw + static_cast<int64_t>(ids[r]) * dim;
    const float* src = gy + r * dim;
    int64_t i = 0;
    for (; i + V::W <= dim; i += V::W) V::store(dst + i, V::add(V::load(dst + i), V::load(src + i)));
    for (; i < dim; i++) dst[i] += src[i];
  }
}
