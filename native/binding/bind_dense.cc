// Bindings of the dense kernels: SGEMM, attention, row kernels, activations, cross-entropy,
// AdamW, embedding, the dropout mask. Each reads its numbers from the parameter block (layout in the comment
// above it, mirrored in src/backend/native.ts), checks the arrays' lengths and calls the table.
#include "binding/args.h"
#include "binding/bindings.h"
#include "random.h"

namespace kotoba {
namespace binding {
// gemm(a, b, c, bias?, packedB?) — P: batch m n k transA transB aOff lda strideA bOff ldb strideB cOff ldc strideC alpha beta act
void Gemm(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> a, b, bias, packed;
  Arr<float> c;
  if (!arg(info, 0, &a) || !arg(info, 1, &b) || !arg(info, 2, &c) || !arg(info, 3, &bias, true) || !arg(info, 4, &packed, true)) return;
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
    if (packed.p && !fits(info, packed, static_cast<double>(gTable->packedBSize(g.k, g.n)), "gemm packed B")) return;
  }
  g.a = a.p + I(6); g.b = b.p + I(9); g.c = c.p + I(12); g.bias = bias.p; g.packedB = packed.p;
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->gemm(g);
}

// packedBSize() — P: k n; returns the floats packB needs
Napi::Value PackedBSize(const Napi::CallbackInfo& info) {
  if (!ready(info)) return info.Env().Undefined();
  return Napi::Number::New(info.Env(), static_cast<double>(gTable->packedBSize(I(0), I(1))));
}

// packB(b, out) — P: k n transB bOff ldb: op(B) packed into out for gemm's packedB
void PackB(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<const float> b;
  Arr<float> out;
  if (!arg(info, 0, &b) || !arg(info, 1, &out)) return;
  GemmParams g{};
  g.batch = 1; g.k = I(0); g.n = I(1); g.transB = P(2) != 0; g.ldb = I(4);
  const int64_t br = g.transB ? g.n : g.k, bc = g.transB ? g.k : g.n;
  if (g.k <= 0 || g.n <= 0) return;
  if (!fits(info, b, extent(P(3), {{br, g.ldb}, {bc, 1}}), "packB B")) return;
  if (!fits(info, out, static_cast<double>(gTable->packedBSize(g.k, g.n)), "packB out")) return;
  g.b = b.p + I(3);
  std::lock_guard<std::mutex> lock(gCallMutex);
  gTable->packB(g, out.p);
}

/** Reads a 4-d view descriptor (offset, s0, s1, s2, s3) at P[at]. */
static View4 view(const float* base, int at) {
  return View4{base ? base + I(at) : nullptr, I(at + 1), I(at + 2), I(at + 3), I(at + 4)};
}

static bool viewFits(const Napi::CallbackInfo& info, const Arr<const float>& arr, int at, int64_t n0, int64_t n1, int64_t n2,
              int64_t n3, const char* what) {
  if (!arr.p) return true;
  return fits(info, arr, extent(P(at), {{n0, I(at + 1)}, {n1, I(at + 2)}, {n2, I(at + 3)}, {n3, I(at + 4)}}), what);
}

// attention(q, k, v, out, mask?, bias?, probs?, lse) and
// attentionBackward(q, k, v, out, mask?, bias?, lse, gOut, gq, gk, gv, gBias?) —
// P: batch heads tq tk d scale causal, then 5-number views at 10 (q), 15 (k), 20 (v), 25 (out),
// 30 (mask), 35 (bias), 40 (gOut)
static bool attentionParams(const Napi::CallbackInfo& info, bool backward, AttentionParams* a) {
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

// dropoutMask(state: Uint32Array(4), out) — P: threshold keep; the state is advanced in place
void DropoutMask(const Napi::CallbackInfo& info) {
  if (!ready(info)) return;
  Arr<uint32_t> state;
  Arr<float> out;
  if (!arg(info, 0, &state) || !arg(info, 1, &out)) return;
  if (!fits(info, state, 4, "dropoutMask state")) return;
  dropoutMask(state.p, out.p, static_cast<int64_t>(out.len), static_cast<uint64_t>(P(0)), static_cast<float>(P(1)));
}

// normalFill(state: Uint32Array(4), out) — P: mean std spare; advances the state, returns the new spare
Napi::Value NormalFill(const Napi::CallbackInfo& info) {
  if (!ready(info)) return Napi::Value();
  Arr<uint32_t> state;
  Arr<float> out;
  if (!arg(info, 0, &state) || !arg(info, 1, &out)) return Napi::Value();
  if (!fits(info, state, 4, "normalFill state")) return Napi::Value();
  return Napi::Number::New(info.Env(), normalFill(state.p, out.p, static_cast<int64_t>(out.len), P(0), P(1), P(2)));
}

}  // namespace binding
}  // namespace kotoba
