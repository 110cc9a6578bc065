// Vector transcendental functions over a Vec trait V, accurate to a few float32 ulps.
// Included inside an ISA namespace (see isa_*.cc); V is the vector trait in use.

template <class V>
inline typename V::T vexp(typename V::T x) {
  using T = typename V::T;
  // exp(x) = 2^n * exp(r), n = round(x / ln2), |r| <= ln2 / 2; exp(r) by its Taylor series to r^7
  // (truncation < 1e-8 relative). Below -87.3 it is flushed to 0 (so -inf gives exactly 0); x is
  // clamped at 88 (2^n must stay a normal float) and inf returned past ln(FLT_MAX).
  const T lo = V::set1(-87.33654f);
  T xc = V::min(V::set1(88.0f), V::max(lo, x));
  T n = V::round(V::mul(xc, V::set1(1.44269504088896341f)));
  T r = V::fnma(n, V::set1(0.693359375f), xc);     // ln2 split in a high part exact in float
  r = V::fnma(n, V::set1(-2.12194440e-4f), r);      // and the low remainder
  T p = V::set1(1.0f / 5040);
  p = V::fma(p, r, V::set1(1.0f / 720));
  p = V::fma(p, r, V::set1(1.0f / 120));
  p = V::fma(p, r, V::set1(1.0f / 24));
  p = V::fma(p, r, V::set1(1.0f / 6));
  p = V::fma(p, r, V::set1(0.5f));
  p = V::fma(p, r, V::set1(1.0f));
  p = V::fma(p, r, V::set1(1.0f));
  T y = V::mul(p, V::pow2i(n));
  y = V::blend(V::lt(x, lo), y, V::zero());
  y = V::blend(V::gt(x, V::set1(88.72284f)), y, V::set1(__builtin_huge_valf()));
  return V::blend(V::isnan(x), y, x);
}

template <class V>
inline typename V::T vsigmoid(typename V::T x) {
  const auto one = V::set1(1.0f);
  return V::div(one, V::add(one, vexp<V>(V::sub(V::zero(), x))));
}

template <class V>
inline typename V::T vtanh(typename V::T x) {
  using T = typename V::T;
  // tanh(|x|) = 1 - 2 / (exp(2|x|) + 1); near 0 that cancels, so |x| < 0.2 uses the odd series
  // x - x^3/3 + 2x^5/15 - 17x^7/315 (truncation < 1e-8 relative there).
  T ax = V::abs(x);
  T big = V::sub(V::set1(1.0f), V::div(V::set1(2.0f), V::add(vexp<V>(V::add(ax, ax)), V::set1(1.0f))));
  T x2 = V::mul(ax, ax);
  T s = V::fma(x2, V::set1(-17.0f / 315), V::set1(2.0f / 15));
  s = V::fma(s, x2, V::set1(-1.0f / 3));
  s = V::fma(V::mul(s, x2), ax, ax);
  T t = V::blend(V::lt(ax, V::set1(0.2f)), big, s);
  // restore the sign of x
  return V::blend(V::lt(x, V::zero()), t, V::sub(V::zero(), t));
}

/** c[0] + c[1] t + ... + c[N-1] t^(N-1), by Horner's rule. */
template <class V, int N>
inline typename V::T vpoly(typename V::T t, const float (&c)[N]) {
  auto p = V::set1(c[N - 1]);
#pragma GCC unroll 16
  for (int i = N - 2; i >= 0; i--) p = V::fma(p, t, V::set1(c[i]));
  return p;
}

/** The range the central polynomials below were fitted on. */
constexpr float kCentralRange = 2.5f;

/** True when every lane of x is within kCentralRange of 0 (a NaN lane counts as within). */
template <class V>
inline bool allCentral(typename V::T x) { return V::none(V::gt(V::abs(x), V::set1(kCentralRange))); }

/**
 * Phi(x) for |x| <= 2.5: Phi(x) - 1/2 = x P(x^2), P of degree 7 fitted for Kotoba (least squares
 * on Chebyshev nodes of [0, 2.5], reweighted towards the largest errors) to erf(x / sqrt 2) / 2x.
 * Absolute error 2e-7 in float32, relative 3e-5 at x = -2.5 (where Phi = 0.006); no exp and no
 * division, about a third of the work of the form below.
 */
template <class V>
inline typename V::T vnormcdfCentral(typename V::T x) {
  static constexpr float kP[8] = {3.989419341e-01f, -6.648764014e-02f, 9.967163205e-03f, -1.180567313e-03f,
                                   1.115862906e-04f, -8.166744919e-06f, 4.102963089e-07f, -1.029315744e-08f};
  return V::fma(x, vpoly<V>(V::mul(x, x), kP), V::set1(0.5f));
}

/** The range of the tail polynomials below: kCentralRange < |x| <= kTailRange. */
constexpr float kTailRange = 6.0f;

/** u in [2.5, 6] mapped onto [-1, 1], the variable the tail polynomials were fitted in. */
template <class V>
inline typename V::T tailArgument(typename V::T u) {
  return V::fma(u, V::set1(2.0f / (kTailRange - kCentralRange)), V::set1(-(kTailRange + kCentralRange) / (kTailRange - kCentralRange)));
}

/**
 * Phi(-u) for 2.5 <= u <= 6: a polynomial of degree 11 in t = (2u - 8.5) / 3.5, fitted for Kotoba
 * (Chebyshev least squares on [2.5, 6], then the monomial form). Absolute error 3.4e-9 evaluated
 * in float32 (Phi(-2.5) = 6.2e-3, Phi(-6) = 1e-9), no exp and no division.
 */
template <class V>
inline typename V::T vnormcdfTail(typename V::T u) {
  static constexpr float kQ[12] = {1.069128393e-05f, -8.348962729e-05f, 3.103324270e-04f, -7.277614786e-04f,
                                    1.196435303e-03f, -1.437763218e-03f, 1.286742860e-03f, -8.678677841e-04f,
                                    3.978509048e-04f, -3.054308763e-05f, -9.721780953e-05f, 4.259450725e-05f};
  return vpoly<V>(tailArgument<V>(u), kQ);
}

/**
 * Lane by lane, a CDF-like factor from its two pieces: `central` where |x| <= 2.5, else from
 * `q`, the factor at -|x| (q itself for negative x, 1 - q for positive).
 */
template <class V>
inline typename V::T centralOrTail(typename V::T x, typename V::T u, typename V::T central, typename V::T q) {
  const auto tail = V::blend(V::lt(x, V::zero()), V::sub(V::set1(1.0f), q), q);
  return V::blend(V::gt(u, V::set1(kCentralRange)), central, tail);
}

/**
 * Phi(x), the standard normal CDF. When every lane is within 2.5 of 0 (most of a network's
 * activations) the polynomial above; when every lane is within 6, that one or the tail
 * polynomial, lane by lane (absolute error under 1e-8; the GELU of a real checkpoint's
 * feed-forward has many vectors with a lane past 2.5: on inputs uniform in [-6, 6] a GELU took
 * 1.2-1.3 ns per element this way against 2.2-2.3 with the form below); else erfc's
 * rational-exponential approximation, which keeps its relative accuracy (~1e-7) far into the
 * left tail.
 */
template <class V>
inline typename V::T vnormcdf(typename V::T x) {
  using T = typename V::T;
  if (allCentral<V>(x)) return vnormcdfCentral<V>(x);
  const T u = V::abs(x);
  if (V::none(V::gt(u, V::set1(kTailRange)))) return centralOrTail<V>(x, u, vnormcdfCentral<V>(x), vnormcdfTail<V>(u));
  T z = V::mul(u, V::set1(0.70710678118654752f));
  T t = V::div(V::set1(1.0f), V::fma(V::set1(0.5f), z, V::set1(1.0f)));
  T p = V::set1(0.17087277f);
  p = V::fma(p, t, V::set1(-0.82215223f));
  p = V::fma(p, t, V::set1(1.48851587f));
  p = V::fma(p, t, V::set1(-1.13520398f));
  p = V::fma(p, t, V::set1(0.27886807f));
  p = V::fma(p, t, V::set1(-0.18628806f));
  p = V::fma(p, t, V::set1(0.09678418f));
  p = V::fma(p, t, V::set1(0.37409196f));
  p = V::fma(p, t, V::set1(1.00002368f));
  p = V::fma(p, t, V::set1(-1.26551223f));
  T erfc = V::mul(t, vexp<V>(V::fnma(z, z, p)));   // erfc(|x| / sqrt 2)
  T half = V::mul(V::set1(0.5f), erfc);            // Phi(-|x|)
  return V::blend(V::lt(x, V::zero()), V::sub(V::set1(1.0f), half), half);
}

template <class V>
inline typename V::T vgelu(typename V::T x) { return V::mul(x, vnormcdf<V>(x)); }

template <class V>
inline typename V::T vgeluGrad(typename V::T x) {
  // Phi(x) + x * phi(x)
  auto pdf = V::mul(V::set1(0.3989422804014327f), vexp<V>(V::mul(V::set1(-0.5f), V::mul(x, x))));
  return V::fma(x, pdf, vnormcdf<V>(x));
}

constexpr float kSqrt2OverPi = 0.7978845608028654f;

/**
 * GPT-2's tanh GELU, x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2. When every lane is within
 * 2.5 of 0 the factor after x is 1/2 + x Q(x^2), Q of degree 7 fitted for Kotoba as for
 * vnormcdfCentral (absolute error 2e-7); when every lane is within 6, that or a tail polynomial,
 * lane by lane, as vnormcdf does; else through tanh.
 */
template <class V>
inline typename V::T vgeluNew(typename V::T x) {
  static constexpr float kQ[8] = {3.989422619e-01f, -6.681971252e-02f, 1.020324044e-02f, -1.246360713e-03f,
                                  1.210331975e-04f, -8.866721146e-06f, 4.303086882e-07f, -1.014703255e-08f};
  const auto central = [&] { return V::fma(x, vpoly<V>(V::mul(x, x), kQ), V::set1(0.5f)); };
  if (allCentral<V>(x)) return V::mul(x, central());
  const auto u = V::abs(x);
  if (V::none(V::gt(u, V::set1(kTailRange)))) {
    // the factor after x at -u, (1 + tanh(sqrt(2/pi) (-u - 0.044715 u^3))) / 2, for 2.5 <= u <= 6:
    // degree 12 in tailArgument(u), fitted like vnormcdfTail (absolute error 3.9e-9)
    static constexpr float kT[13] = {4.739310953e-06f, -4.527790225e-05f, 2.033187338e-04f, -5.662171752e-04f,
                                     1.081133261e-03f, -1.477194019e-03f, 1.466258080e-03f, -1.019462245e-03f,
                                     3.831171489e-04f, 6.636311446e-05f, -1.308766223e-04f, 2.493671855e-05f,
                                     9.163382856e-06f};
    return V::mul(x, centralOrTail<V>(x, u, central(), vpoly<V>(tailArgument<V>(u), kT)));
  }
  auto inner = V::mul(V::set1(kSqrt2OverPi), V::fma(V::mul(V::set1(0.044715f), x), V::mul(x, x), x));
  auto half = V::mul(V::set1(0.5f), x);
  return V::fma(half, vtanh<V>(inner), half);
}

template <class V>
inline typename V::T vgeluNewGrad(typename V::T x) {
  auto x2 = V::mul(x, x);
  auto t = vtanh<V>(V::mul(V::set1(kSqrt2OverPi), V::fma(V::mul(V::set1(0.044715f), x), x2, x)));
  auto one = V::set1(1.0f);
  auto dinner = V::mul(V::set1(kSqrt2OverPi), V::fma(V::set1(3 * 0.044715f), x2, one));
  // 0.5 (1 + t) + 0.5 x (1 - t^2) dinner
  auto a = V::mul(V::set1(0.5f), V::add(one, t));
  auto b = V::mul(V::mul(V::set1(0.5f), x), V::mul(V::fnma(t, t, one), dinner));
  return V::add(a, b);
}

template <class V>
inline typename V::T vactivate(int act, typename V::T x) {
  switch (act) {
    case ACT_RELU: return V::max(x, V::zero());
    case ACT_GELU: return vgelu<V>(x);
    case ACT_GELU_NEW: return vgeluNew<V>(x);
    case ACT_SILU: return V::mul(x, vsigmoid<V>(x));
    case ACT_SIGMOID: return vsigmoid<V>(x);
    case ACT_TANH: return vtanh<V>(x);
    default: return x;
  }
}

/** f'(x) for the activation codes. */
template <class V>
inline typename V::T vactivateGrad(int act, typename V::T x) {
  auto one = V::set1(1.0f);
  switch (act) {
    case ACT_RELU: return V::blend(V::gt(x, V::zero()), V::zero(), one);
    case ACT_GELU: return vgeluGrad<V>(x);
    case ACT_GELU_NEW: return vgeluNewGrad<V>(x);
    case ACT_SILU: { auto s = vsigmoid<V>(x); return V::mul(s, V::fma(x, V::sub(one, s), one)); }
    case ACT_SIGMOID: { auto s = vsigmoid<V>(x); return V::mul(s, V::sub(one, s)); }
    case ACT_TANH: { auto t = vtanh<V>(x); return V::fnma(t, t, one); }
    default: return one;
  }
}

/** Scalar versions, for tails shorter than a vector: the same formulas at width 1. */
inline float sexp(float x) { return vexp<VecScalar>(x); }
inline float sactivate(int act, float x) { return vactivate<VecScalar>(act, x); }
inline float sactivateGrad(int act, float x) { return vactivateGrad<VecScalar>(act, x); }
