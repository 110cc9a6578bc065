// N-API bindings: each function takes the typed arrays it works on (their memory is used in
// place, never copied) and reads its numbers from a shared Float64Array parameter block that
// the JavaScript side fills before the call (see src/backend/native.ts). Passing numbers that
// way keeps the per-call cost of small kernels low.
#include <napi.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "cpu.h"
#include "kernels.h"
#include "pool.h"
#include "strided.h"

namespace kotoba {
namespace {

constexpr size_t kParamCount = 128;

// Per JS thread (the main thread and each worker_threads Worker load the addon into their own
// environment and call init): the kernel table and the parameter block's memory. The block is
// kept alive by a reference owned by the environment's instance data.
thread_local const KernelTable* gTable = nullptr;
thread_local const double* gParams = nullptr;

struct EnvState {
  Napi::Reference<Napi::Float64Array> params;
};

/** Throws unless init() ran on this thread. */
bool ready(const Napi::CallbackInfo& info) {
  if (gParams && gTable) return true;
  napi_throw_error(info.Env(), nullptr, "kotoba native: init() was not called on this thread");
  return false;
}
// The pool and scratch memory are per process: calls from several JS threads (worker_threads) take turns.
std::mutex gCallMutex;

template <class T>
struct Arr {
  T* p = nullptr;
  size_t len = 0;
};

napi_typedarray_type typeOf(float*) { return napi_float32_array; }
napi_typedarray_type typeOf(const float*) { return napi_float32_array; }
napi_typedarray_type typeOf(int32_t*) { return napi_int32_array; }
napi_typedarray_type typeOf(const int32_t*) { return napi_int32_array; }

/** Argument i as a typed array of T, or {null, 0} for null/undefined when optional. Throws on a wrong type. */
template <class T>
bool arg(const Napi::CallbackInfo& info, size_t i, Arr<T>* out, bool optional = false) {
  napi_env env = info.Env();
  napi_value v = info[i];
  napi_valuetype vt;
  napi_typeof(env, v, &vt);
  if (optional && (vt == napi_null || vt == napi_undefined)) return true;
  napi_typedarray_type type;
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok || type != typeOf(out->p)) {
    napi_throw_type_error(env, nullptr, ("kotoba native: argument " + std::to_string(i) + " has the wrong array type").c_str());
    return false;
  }
  out->p = static_cast<T*>(data);  // already adjusted by the view's byte offset
  out->len = length;
  return true;
}

/** Throws a RangeError unless `need` elements fit in the array. */
template <class T>
bool fits(const Napi::CallbackInfo& info, const Arr<T>& a, double need, const char* what) {
  if (need <= static_cast<double>(a.len)) return true;
  napi_throw_range_error(info.Env(), nullptr,
                         (std::string("kotoba native: ") + what + " needs " + std::to_string(static_cast<int64_t>(need)) +
                          " elements but the array has " + std::to_string(a.len)).c_str());
  return false;
}

inline double P(int i) { return gParams[i]; }
inline int64_t I(int i) { return static_cast<int64_t>(gParams[i]); }

/** One past the last element a strided block touches: offset + sum (extent_d - 1) * stride_d + 1 (0 if empty). */
double extent(double offset, std::initializer_list<std::pair<int64_t, int64_t>> dims) {
  double last = offset;
  for (auto [n, s] : dims) {
    if (n <= 0) return 0;
    last += static_cast<double>(n - 1) * static_cast<double>(s < 0 ? 0 : s);
  }
  return last + 1;
}

Napi::Value Init(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsTypedArray() || !info[1].IsString()) {
    Napi::TypeError::New(env, "init(params: Float64Array, isa: string)").ThrowAsJavaScriptException();
    return env.Null();
  }
  auto params = info[0].As<Napi::Float64Array>();
  if (params.ElementLength() < kParamCount) {
    Napi::RangeError::New(env, "init: the parameter block is too small").ThrowAsJavaScriptException();
    return env.Null();
  }
  std::string error;
  const KernelTable* t = chooseTable(info[1].As<Napi::String>().Utf8Value(), &error);
  if (!t) {
    Napi::Error::New(env, error).ThrowAsJavaScriptException();
    return env.Null();
  }
  auto* state = env.GetInstanceData<EnvState>();
  if (!state) {
    state = new EnvState();
    env.SetInstanceData(state);  // deleted with the environment
  }
  state->params = Napi::Persistent(params);  // keeps the block (and so gParams) alive
  gTable = t;
  gParams = params.Data();
  Napi::Object r = Napi::Object::New(env);
  r.Set("isa", t->isa);
  r.Set("threads", poolThreads());
  return r;
}

Napi::Value SetNumThreads(const Napi::CallbackInfo& info) {
  std::lock_guard<std::mutex> lock(gCallMutex);
  const int n = info[0].As<Napi::Number>().Int32Value();
  if (n > 0) poolSetThreads(n);  // 0 only asks for the count
  return Napi::Number::New(info.Env(), poolThreads());
}

/** Runs the FMA-peak loop on every thread at once; returns the FLOPs done in total. */
Napi::Value FmaPeak(const Napi::CallbackInfo& info) {
  if (!ready(info)) return Napi::Value();
  std::lock_guard<std::mutex> lock(gCallMutex);
  const int64_t iters = static_cast<int64_t>(info[0].As<Napi::Number>().DoubleValue());
  const int threads = poolThreads();
  double flops[kMaxThreads] = {};
  const KernelTable* table = gTable;  // thread-local: read it here, not on the workers
  auto body = [&](int64_t t, int) { flops[t] = table->fmaPeak(iters); };
  parallelFor(threads, body);
  double total = 0;
  for (int i = 0; i < threads; i++) total += flops[i];
  return Napi::Number::New(info.Env(), total);
}

// gemm(a, b, c, bias?) — P: batch m n k transA transB aOff lda strideA bOff ldb strideB cOff ldc strideC alpha beta act
void Gemm(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> a, b, bias;
  Arr<float> c;
  if (!arg(info, 0, &a) || !arg(info, 1, &b) || !arg(info, 2, &c) || !arg(info, 3, &bias, true)) return;
  GemmParams g{};
  g.batch = I(0); g.m = I(1); g.n = I(2); g.k = I(3);
  g.transA = P(4) != 0; g.transB = P(5) != 0;
  g.lda = I(7); g.strideA = I(8); g.ldb = I(10); g.strideB = I(11); g.ldc = I(13); g.strideC = I(14);
  g.alpha = static_cast<float>(P(15)); g.beta = static_cast<float>(P(16)); g.act = static_cast<int>(P(17));
  const int64_t ar = g.transA ? g.k : g.m, ac = g.transA ? g.m : g.k;
  const int64_t br = g.transB ? g.n : g.k, bc = g.transB ? g.k : g.n;
  if (g.batch > 0 && g.m > 0 && g.n > 0) {
    if (!fits(info, c, extent(P(12), {{g.batch, g.strideC}, {g.m, g.ldc}, {g.n, 1}}), "gemm C")) return;
    if (g.k > 0 && (!fits(info, a, extent(P(6), {{g.batch, g.strideA}, {ar, g.lda}, {ac, 1}}), "gemm A") ||
                    !fits(info, b, extent(P(9), {{g.batch, g.strideB}, {br, g.ldb}, {bc, 1}}), "gemm B")))
      return;
    if (bias.p && !fits(info, bias, static_cast<double>(g.n), "gemm bias")) return;
  }
  g.a = a.p + I(6); g.b = b.p + I(9); g.c = c.p + I(12); g.bias = bias.p;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->gemm(g);
}

/** Reads a 4-d view descriptor (offset, s0, s1, s2, s3) at P[at]. */
View4 view(const float* base, int at) {
  return View4{base ? base + I(at) : nullptr, I(at + 1), I(at + 2), I(at + 3), I(at + 4)};
}

bool viewFits(const Napi::CallbackInfo& info, const Arr<const float>& arr, int at, int64_t n0, int64_t n1, int64_t n2,
              int64_t n3, const char* what) {
  if (!arr.p) return true;
  return fits(info, arr, extent(P(at), {{n0, I(at + 1)}, {n1, I(at + 2)}, {n2, I(at + 3)}, {n3, I(at + 4)}}), what);
}

// attention(q, k, v, out, mask?, bias?, probs?, lse) and
// attentionBackward(q, k, v, out, mask?, bias?, lse, gOut, gq, gk, gv, gBias?) —
// P: batch heads tq tk d scale causal, then 5-number views at 10 (q), 15 (k), 20 (v), 25 (out),
// 30 (mask), 35 (bias), 40 (gOut)
bool attentionParams(const Napi::CallbackInfo& info, bool backward, AttentionParams* a) {
  Arr<const float> q, k, v, mask, bias, gOut;
  Arr<float> out, probs, lse, gq, gk, gv, gBias;
  if (!arg(info, 0, &q) || !arg(info, 1, &k) || !arg(info, 2, &v) || !arg(info, 3, &out) || !arg(info, 4, &mask, true) ||
      !arg(info, 5, &bias, true))
    return false;
  if (!backward && (!arg(info, 6, &probs, true) || !arg(info, 7, &lse))) return false;
  if (backward && (!arg(info, 6, &lse) || !arg(info, 7, &gOut) || !arg(info, 8, &gq) || !arg(info, 9, &gk) ||
                   !arg(info, 10, &gv) || !arg(info, 11, &gBias, true)))
    return false;
  *a = AttentionParams{};
  a->batch = I(0); a->heads = I(1); a->tq = I(2); a->tk = I(3); a->d = I(4);
  a->scale = static_cast<float>(P(5)); a->causal = P(6) != 0;
  const int64_t B = a->batch, H = a->heads, tq = a->tq, tk = a->tk, d = a->d;
  if (B <= 0 || H <= 0 || tq <= 0) return true;
  Arr<const float> outC{out.p, out.len};
  if (!viewFits(info, q, 10, B, H, tq, d, "attention q") || !viewFits(info, k, 15, B, H, tk, d, "attention k") ||
      !viewFits(info, v, 20, B, H, tk, d, "attention v") || !viewFits(info, outC, 25, B, H, tq, d, "attention out") ||
      !viewFits(info, mask, 30, B, H, tq, tk, "attention mask") || !viewFits(info, bias, 35, B, H, tq, tk, "attention bias") ||
      !fits(info, lse, static_cast<double>(B * H * tq), "attention lse"))
    return false;
  if (probs.p && !fits(info, probs, static_cast<double>(B * H * tq * tk), "attention probs")) return false;
  a->q = view(q.p, 10); a->k = view(k.p, 15); a->v = view(v.p, 20);
  a->out = out.p + I(25); a->os0 = I(26); a->os1 = I(27); a->os2 = I(28);
  a->mask = view(mask.p, 30); a->bias = view(bias.p, 35);
  a->probs = probs.p; a->lse = lse.p;
  if (backward) {
    if (!viewFits(info, gOut, 40, B, H, tq, d, "attention gOut") ||
        !fits(info, gq, static_cast<double>(B * H * tq * d), "attention gq") ||
        !fits(info, gk, static_cast<double>(B * H * tk * d), "attention gk") ||
        !fits(info, gv, static_cast<double>(B * H * tk * d), "attention gv") ||
        (gBias.p && !fits(info, gBias, static_cast<double>(H * tq * tk), "attention gBias")))
      return false;
    a->gOut = view(gOut.p, 40);
    a->gq = gq.p; a->gk = gk.p; a->gv = gv.p; a->gBias = gBias.p;
  }
  return true;
}

void Attention(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  AttentionParams a;
  if (!attentionParams(info, false, &a)) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->attention(a);
}

void AttentionBackward(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  AttentionParams a;
  if (!attentionParams(info, true, &a)) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->attentionBackward(a);
}

// softmax(x, out) / softmaxBackward(y, gy, gx) — P: rows cols log
void Softmax(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> x;
  Arr<float> out;
  if (!arg(info, 0, &x) || !arg(info, 1, &out)) return;
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, x, rows * cols, "softmax x") || !fits(info, out, rows * cols, "softmax out")) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->softmax(x.p, rows, cols, out.p, P(2) != 0);
}

void SoftmaxBackward(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> y, gy;
  Arr<float> gx;
  if (!arg(info, 0, &y) || !arg(info, 1, &gy) || !arg(info, 2, &gx)) return;
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, y, rows * cols, "softmaxBackward y") || !fits(info, gy, rows * cols, "softmaxBackward gy") ||
      !fits(info, gx, rows * cols, "softmaxBackward gx"))
    return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->softmaxBackward(y.p, gy.p, rows, cols, gx.p, P(2) != 0);
}

// layerNorm(x, w?, b?, out, mean, rstd) — P: rows cols eps
void LayerNorm(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> x, w, b;
  Arr<float> out, mean, rstd;
  if (!arg(info, 0, &x) || !arg(info, 1, &w, true) || !arg(info, 2, &b, true) || !arg(info, 3, &out) ||
      !arg(info, 4, &mean) || !arg(info, 5, &rstd))
    return;
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, x, rows * cols, "layerNorm x") || !fits(info, out, rows * cols, "layerNorm out") ||
      (w.p && !fits(info, w, cols, "layerNorm weight")) || (b.p && !fits(info, b, cols, "layerNorm bias")) ||
      !fits(info, mean, rows, "layerNorm mean") || !fits(info, rstd, rows, "layerNorm rstd"))
    return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->layerNorm(x.p, w.p, b.p, rows, cols, static_cast<float>(P(2)), out.p, mean.p, rstd.p);
}

// layerNormBackward(x, w?, mean, rstd, gy, gx, gw?, gb?) — P: rows cols
void LayerNormBackward(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> x, w, mean, rstd, gy;
  Arr<float> gx, gw, gb;
  if (!arg(info, 0, &x) || !arg(info, 1, &w, true) || !arg(info, 2, &mean) || !arg(info, 3, &rstd) ||
      !arg(info, 4, &gy) || !arg(info, 5, &gx) || !arg(info, 6, &gw, true) || !arg(info, 7, &gb, true))
    return;
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, x, rows * cols, "layerNormBackward x") || !fits(info, gy, rows * cols, "layerNormBackward gy") ||
      !fits(info, gx, rows * cols, "layerNormBackward gx") || (w.p && !fits(info, w, cols, "layerNormBackward weight")) ||
      (gw.p && !fits(info, gw, cols, "layerNormBackward gWeight")) || (gb.p && !fits(info, gb, cols, "layerNormBackward gBias")) ||
      !fits(info, mean, rows, "layerNormBackward mean") || !fits(info, rstd, rows, "layerNormBackward rstd"))
    return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->layerNormBackward(x.p, w.p, mean.p, rstd.p, gy.p, rows, cols, gx.p, gw.p, gb.p);
}

// rmsNorm(x, w?, out, rstd) — P: rows cols eps
void RmsNorm(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> x, w;
  Arr<float> out, rstd;
  if (!arg(info, 0, &x) || !arg(info, 1, &w, true) || !arg(info, 2, &out) || !arg(info, 3, &rstd)) return;
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, x, rows * cols, "rmsNorm x") || !fits(info, out, rows * cols, "rmsNorm out") ||
      (w.p && !fits(info, w, cols, "rmsNorm weight")) || !fits(info, rstd, rows, "rmsNorm rstd"))
    return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->rmsNorm(x.p, w.p, rows, cols, static_cast<float>(P(2)), out.p, rstd.p);
}

// rmsNormBackward(x, w?, rstd, gy, gx, gw?) — P: rows cols
void RmsNormBackward(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> x, w, rstd, gy;
  Arr<float> gx, gw;
  if (!arg(info, 0, &x) || !arg(info, 1, &w, true) || !arg(info, 2, &rstd) || !arg(info, 3, &gy) ||
      !arg(info, 4, &gx) || !arg(info, 5, &gw, true))
    return;
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, x, rows * cols, "rmsNormBackward x") || !fits(info, gy, rows * cols, "rmsNormBackward gy") ||
      !fits(info, gx, rows * cols, "rmsNormBackward gx") || (w.p && !fits(info, w, cols, "rmsNormBackward weight")) ||
      (gw.p && !fits(info, gw, cols, "rmsNormBackward gWeight")) || !fits(info, rstd, rows, "rmsNormBackward rstd"))
    return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->rmsNormBackward(x.p, w.p, rstd.p, gy.p, rows, cols, gx.p, gw.p);
}

// activation(x, out) — P: act n xOffset
void Activation(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> x;
  Arr<float> out;
  if (!arg(info, 0, &x) || !arg(info, 1, &out)) return;
  const int64_t n = I(1), off = I(2);
  if (!fits(info, x, static_cast<double>(off + n), "activation x") || !fits(info, out, n, "activation out")) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->activation(static_cast<int>(P(0)), x.p + off, out.p, n);
}

// activationBackward(x, gy, gx) — P: act n
void ActivationBackward(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> x, gy;
  Arr<float> gx;
  if (!arg(info, 0, &x) || !arg(info, 1, &gy) || !arg(info, 2, &gx)) return;
  const int64_t n = I(1);
  if (!fits(info, x, n, "activationBackward x") || !fits(info, gy, n, "activationBackward gy") ||
      !fits(info, gx, n, "activationBackward gx"))
    return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->activationBackward(static_cast<int>(P(0)), x.p, gy.p, gx.p, n);
}

// crossEntropy(logits, targets, loss, lse) — P: rows cols ignoreIndex smoothing; returns the first bad row or -1
Napi::Value CrossEntropy(const Napi::CallbackInfo& info) {
  if (!ready(info)) return Napi::Value();
  Arr<const float> logits;
  Arr<const int32_t> targets;
  Arr<float> loss, lse;
  if (!arg(info, 0, &logits) || !arg(info, 1, &targets) || !arg(info, 2, &loss) || !arg(info, 3, &lse)) return Napi::Value();
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, logits, rows * cols, "crossEntropy logits") || !fits(info, targets, rows, "crossEntropy targets") ||
      !fits(info, loss, rows, "crossEntropy loss") || !fits(info, lse, rows, "crossEntropy lse"))
    return Napi::Value();
  std::lock_guard<std::mutex> lock(gCallMutex);
  const int64_t bad = gTable->crossEntropy(logits.p, rows, cols, targets.p, static_cast<int32_t>(P(2)),
                                           static_cast<float>(P(3)), loss.p, lse.p);
  return Napi::Number::New(info.Env(), static_cast<double>(bad));
}

// crossEntropyBackward(logits, lse, targets, gLoss, gx) — P: rows cols ignoreIndex smoothing
void CrossEntropyBackward(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> logits, lse, gLoss;
  Arr<const int32_t> targets;
  Arr<float> gx;
  if (!arg(info, 0, &logits) || !arg(info, 1, &lse) || !arg(info, 2, &targets) || !arg(info, 3, &gLoss) ||
      !arg(info, 4, &gx))
    return;
  const int64_t rows = I(0), cols = I(1);
  if (!fits(info, logits, rows * cols, "crossEntropyBackward logits") || !fits(info, gx, rows * cols, "crossEntropyBackward gx") ||
      !fits(info, lse, rows, "crossEntropyBackward lse") || !fits(info, targets, rows, "crossEntropyBackward targets") ||
      !fits(info, gLoss, rows, "crossEntropyBackward gLoss"))
    return;
  // targets out of range were rejected by the forward; check again as this indexes gx
  const int32_t ignore = static_cast<int32_t>(P(2));
  for (int64_t r = 0; r < rows; r++) {
    if (targets.p[r] != ignore && (targets.p[r] < 0 || targets.p[r] >= cols)) {
      napi_throw_range_error(info.Env(), nullptr, "kotoba native: crossEntropyBackward target out of range");
      return;
    }
  }
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->crossEntropyBackward(logits.p, lse.p, rows, cols, targets.p, ignore, static_cast<float>(P(3)), gLoss.p, gx.p);
}

// adamw(param, grad, expAvg, expAvgSq) — P: lr beta1 beta2 eps weightDecay step decoupled maximize
void AdamW(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<float> p, m, v;
  Arr<const float> g;
  if (!arg(info, 0, &p) || !arg(info, 1, &g) || !arg(info, 2, &m) || !arg(info, 3, &v)) return;
  const int64_t n = static_cast<int64_t>(p.len);
  if (!fits(info, g, n, "adamw grad") || !fits(info, m, n, "adamw expAvg") || !fits(info, v, n, "adamw expAvgSq")) return;
  AdamWParams a{P(0), P(1), P(2), P(3), P(4), P(5), P(6) != 0, P(7) != 0};
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->adamw(p.p, g.p, m.p, v.p, n, a);
}

// embedding(weight, ids, out) — P: vocab dim; returns the first bad position or -1
Napi::Value Embedding(const Napi::CallbackInfo& info) {
  if (!ready(info)) return Napi::Value();
  Arr<const float> w;
  Arr<const int32_t> ids;
  Arr<float> out;
  if (!arg(info, 0, &w) || !arg(info, 1, &ids) || !arg(info, 2, &out)) return Napi::Value();
  const int64_t vocab = I(0), dim = I(1), n = static_cast<int64_t>(ids.len);
  if (!fits(info, w, vocab * dim, "embedding weight") || !fits(info, out, n * dim, "embedding out")) return Napi::Value();
  std::lock_guard<std::mutex> lock(gCallMutex);
  return Napi::Number::New(info.Env(), static_cast<double>(gTable->embedding(w.p, vocab, dim, ids.p, n, out.p)));
}

// embeddingBackward(gy, ids, gWeight) — P: dim paddingIdx
void EmbeddingBackward(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> gy;
  Arr<const int32_t> ids;
  Arr<float> gw;
  if (!arg(info, 0, &gy) || !arg(info, 1, &ids) || !arg(info, 2, &gw)) return;
  const int64_t dim = I(0), n = static_cast<int64_t>(ids.len);
  const int32_t pad = static_cast<int32_t>(P(1));
  if (!fits(info, gy, n * dim, "embeddingBackward gy")) return;
  const int64_t rows = dim > 0 ? static_cast<int64_t>(gw.len) / dim : 0;
  for (int64_t i = 0; i < n; i++) {
    if (ids.p[i] != pad && (ids.p[i] < 0 || ids.p[i] >= rows)) {
      napi_throw_range_error(info.Env(), nullptr, "kotoba native: embeddingBackward id outside gWeight");
      return;
    }
  }
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->embeddingBackward(gy.p, ids.p, n, dim, pad, gw.p);
}

// Strided elementwise kernels — P: op nd shape[8] (at 2) p0 (10) p1 (11) kept (12), then per
// operand o an offset and 8 strides at 16 + 9 o.
constexpr int kStridedBase = 16;

/** Operand i as 4-byte elements: a Float32Array, or an Int32Array when allowInt (sets *isInt). */
bool rawArg(const Napi::CallbackInfo& info, size_t i, bool allowInt, Arr<const float>* out, bool* isInt) {
  napi_typedarray_type type;
  void* data = nullptr;
  size_t length = 0;
  if (napi_get_typedarray_info(info.Env(), info[i], &type, &length, &data, nullptr, nullptr) != napi_ok ||
      !(type == napi_float32_array || (allowInt && type == napi_int32_array))) {
    napi_throw_type_error(info.Env(), nullptr, ("kotoba native: argument " + std::to_string(i) + " has the wrong array type").c_str());
    return false;
  }
  out->p = static_cast<const float*>(data);
  out->len = length;
  if (isInt) *isInt = type == napi_int32_array;
  return true;
}

/** Reads the shape and the operands (arguments 0..nops-1; the first may be int32 when firstInt is given). */
bool stridedArgs(const Napi::CallbackInfo& info, int nops, StridedShape* s, Operand* ops, size_t outLen, bool* firstInt = nullptr) {
  s->nd = static_cast<int>(I(1));
  if (s->nd < 0 || s->nd > kMaxDims) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: too many dims for a strided kernel");
    return false;
  }
  double n = 1;
  for (int d = 0; d < s->nd; d++) { s->shape[d] = I(2 + d); n *= static_cast<double>(s->shape[d]); }
  for (int o = 0; o < nops; o++) {
    Arr<const float> a;
    if (!rawArg(info, o, o == 0 && firstInt, &a, o == 0 ? firstInt : nullptr)) return false;
    const int at = kStridedBase + 9 * o;
    double last = P(at);
    for (int d = 0; d < s->nd; d++) {
      ops[o].strides[d] = I(at + 1 + d);
      if (s->shape[d] > 0) last += static_cast<double>(s->shape[d] - 1) * static_cast<double>(ops[o].strides[d]);
    }
    if (n > 0 && !fits(info, a, last + 1, "strided operand")) return false;
    ops[o].p = a.p + I(at);
  }
  if (n > static_cast<double>(outLen)) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: the output of a strided kernel is too short");
    return false;
  }
  return true;
}

/** The output array (argument i) as raw 4-byte elements: float32 or int32. */
bool outArg(const Napi::CallbackInfo& info, size_t i, float** p, size_t* len) {
  napi_typedarray_type type;
  void* data = nullptr;
  if (napi_get_typedarray_info(info.Env(), info[i], &type, len, &data, nullptr, nullptr) != napi_ok ||
      (type != napi_float32_array && type != napi_int32_array)) {
    napi_throw_type_error(info.Env(), nullptr, "kotoba native: the output must be a Float32Array or Int32Array");
    return false;
  }
  *p = static_cast<float*>(data);
  return true;
}

// binary(a, b, out): out is a Float32Array, or an Int32Array for comparisons (0/1 masks)
void Binary(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[2]; float* out; size_t len;
  if (!outArg(info, 2, &out, &len) || !stridedArgs(info, 2, &s, ops, len)) return;
  napi_typedarray_type type;
  napi_get_typedarray_info(info.Env(), info[2], &type, nullptr, nullptr, nullptr, nullptr);
  const int op = static_cast<int>(P(0));
  const bool intOut = type == napi_int32_array;
  if (intOut && op < B_EQ) {
    napi_throw_type_error(info.Env(), nullptr, "kotoba native: only comparisons write an Int32Array");
    return;
  }
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedBinary(op, s, ops[0], ops[1], out, intOut);
}

// unary(x, out)
void Unary(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[1]; float* out; size_t len;
  if (!outArg(info, 1, &out, &len) || !stridedArgs(info, 1, &s, ops, len)) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedUnary(static_cast<int>(P(0)), s, ops[0], static_cast<float>(P(10)), static_cast<float>(P(11)), out);
}

// where(cond, a, b, out): cond a Float32Array or an Int32Array mask
void Where(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[3]; float* out; size_t len;
  bool condInt = false;
  if (!outArg(info, 3, &out, &len) || !stridedArgs(info, 3, &s, ops, len, &condInt)) return;
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedWhere(s, ops[0], condInt, ops[1], ops[2], out);
}

// copy(x, out): x may be a Float32Array or an Int32Array (the bits are moved); out likewise
void Copy(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  StridedShape s; Operand ops[1]; float* out; size_t len;
  if (!outArg(info, 1, &out, &len)) return;
  // accept an Int32Array source: read it as raw 4-byte elements
  napi_typedarray_type type;
  void* data = nullptr;
  size_t srcLen = 0;
  if (napi_get_typedarray_info(info.Env(), info[0], &type, &srcLen, &data, nullptr, nullptr) != napi_ok ||
      (type != napi_float32_array && type != napi_int32_array)) {
    napi_throw_type_error(info.Env(), nullptr, "kotoba native: copy needs a Float32Array or Int32Array");
    return;
  }
  s.nd = static_cast<int>(I(1));
  if (s.nd < 0 || s.nd > kMaxDims) return;
  double n = 1, last = P(kStridedBase);
  for (int d = 0; d < s.nd; d++) {
    s.shape[d] = I(2 + d);
    ops[0].strides[d] = I(kStridedBase + 1 + d);
    n *= static_cast<double>(s.shape[d]);
    if (s.shape[d] > 0) last += static_cast<double>(s.shape[d] - 1) * static_cast<double>(ops[0].strides[d]);
  }
  if (n > 0 && (last + 1 > static_cast<double>(srcLen) || n + P(10) > static_cast<double>(len))) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: copy out of bounds");
    return;
  }
  ops[0].p = static_cast<const float*>(data) + I(kStridedBase);
  std::lock_guard<std::mutex> lock(gCallMutex);
  stridedCopy(s, ops[0], out + I(10));  // P[10]: the destination offset
}

// reduce(x, out): P[12] = kept dims; returns false for max/min over an empty dim
Napi::Value Reduce(const Napi::CallbackInfo& info) {
  if (!ready(info)) return Napi::Value();
  StridedShape s; Operand ops[1]; float* out; size_t len;
  if (!outArg(info, 1, &out, &len) || !stridedArgs(info, 1, &s, ops, static_cast<size_t>(-1))) return Napi::Value();
  const int kept = static_cast<int>(I(12));
  double outer = 1;
  for (int d = 0; d < kept && d < s.nd; d++) outer *= static_cast<double>(s.shape[d]);
  if (kept < 0 || kept > s.nd || outer > static_cast<double>(len)) {
    napi_throw_range_error(info.Env(), nullptr, "kotoba native: reduce output too short");
    return Napi::Value();
  }
  const int op = static_cast<int>(P(0));
  std::lock_guard<std::mutex> lock(gCallMutex);
  const bool ok = stridedReduce(op, s, kept, ops[0], out, reinterpret_cast<int32_t*>(out));
  return Napi::Boolean::New(info.Env(), ok);
}

Napi::Object Module(Napi::Env env, Napi::Object exports) {
  auto def = [&](const char* name, Napi::Function::Callback fn) { exports.Set(name, Napi::Function::New(env, fn, name)); };
  def("init", Init);
  def("setNumThreads", SetNumThreads);
  def("fmaPeak", FmaPeak);
  def("gemm", [](const Napi::CallbackInfo& i) -> Napi::Value { Gemm(i); return Napi::Value(); });
  def("attention", [](const Napi::CallbackInfo& i) -> Napi::Value { Attention(i); return Napi::Value(); });
  def("attentionBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { AttentionBackward(i); return Napi::Value(); });
  def("softmax", [](const Napi::CallbackInfo& i) -> Napi::Value { Softmax(i); return Napi::Value(); });
  def("softmaxBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { SoftmaxBackward(i); return Napi::Value(); });
  def("layerNorm", [](const Napi::CallbackInfo& i) -> Napi::Value { LayerNorm(i); return Napi::Value(); });
  def("layerNormBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { LayerNormBackward(i); return Napi::Value(); });
  def("rmsNorm", [](const Napi::CallbackInfo& i) -> Napi::Value { RmsNorm(i); return Napi::Value(); });
  def("rmsNormBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { RmsNormBackward(i); return Napi::Value(); });
  def("activation", [](const Napi::CallbackInfo& i) -> Napi::Value { Activation(i); return Napi::Value(); });
  def("activationBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { ActivationBackward(i); return Napi::Value(); });
  def("crossEntropy", CrossEntropy);
  def("crossEntropyBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { CrossEntropyBackward(i); return Napi::Value(); });
  def("adamw", [](const Napi::CallbackInfo& i) -> Napi::Value { AdamW(i); return Napi::Value(); });
  def("embedding", Embedding);
  def("binary", [](const Napi::CallbackInfo& i) -> Napi::Value { Binary(i); return Napi::Value(); });
  def("unary", [](const Napi::CallbackInfo& i) -> Napi::Value { Unary(i); return Napi::Value(); });
  def("where", [](const Napi::CallbackInfo& i) -> Napi::Value { Where(i); return Napi::Value(); });
  def("copy", [](const Napi::CallbackInfo& i) -> Napi::Value { Copy(i); return Napi::Value(); });
  def("reduce", Reduce);
  def("embeddingBackward", [](const Napi::CallbackInfo& i) -> Napi::Value { EmbeddingBackward(i); return Napi::Value(); });
  // the default thread count is the machine's core count; KOTOBA_NUM_THREADS overrides it
  int threads = static_cast<int>(std::thread::hardware_concurrency());
  if (const char* env = std::getenv("KOTOBA_NUM_THREADS")) threads = std::atoi(env);
  poolSetThreads(threads > 0 ? threads : 1);
  return exports;
}

}  // namespace
}  // namespace kotoba

static Napi::Object InitModule(Napi::Env env, Napi::Object exports) { return kotoba::Module(env, exports); }

NODE_API_MODULE(kotoba_native, InitModule)
