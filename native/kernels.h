// The table of kernels one instruction-set path provides. Each isa_*.cc fills one from the
// templates in impl/, compiled with its own -m flags; cpu.cc picks the table at load.
#pragma once
#include <cstddef>
#include <cstdint>

namespace kotoba {

enum Activation : int { ACT_NONE = 0, ACT_RELU = 1, ACT_GELU = 2, ACT_GELU_NEW = 3, ACT_SILU = 4, ACT_SIGMOID = 5, ACT_TANH = 6 };

/** C[b] = alpha * op(A[b]) op(B[b]) + beta * C[b] (+ bias, activation); see GemmArgs in src/backend/types.ts. */
struct GemmParams {
  int64_t batch, m, n, k;
  bool transA, transB;
  const float* a; int64_t lda, strideA;
  const float* b; int64_t ldb, strideB;
  float* c; int64_t ldc, strideC;
  float alpha, beta;
  const float* bias;  // length n or null
  int act;            // Activation
  // op(B) already packed by the table's packB (batch 1): the product skips packing B. A
  // Linear layer's weight is packed once and reused by every call while it is unchanged.
  const float* packedB;
};

/** A [B, H, t, D] (or [B, H, tq, tk] for masks) strided view; element (b,h,i,j) at p[b*s0 + h*s1 + i*s2 + j*s3]. */
struct View4 {
  const float* p;
  int64_t s0, s1, s2, s3;
};

struct AttentionParams {
  int64_t batch, heads, tq, tk, d;
  View4 q, k, v;
  float* out; int64_t os0, os1, os2;  // output view (innermost stride 1)
  float scale;
  bool causal;
  View4 mask, bias;                   // p == null when absent
  float* probs;                       // contiguous [B, H, tq, tk] or null
  float* lse;                         // contiguous [B, H, tq]
  // backward only
  View4 gOut;
  float* gq; float* gk; float* gv;    // contiguous [B, H, t, D]
  float* gBias;                       // contiguous [H, tq, tk] or null
};

struct AdamWParams {
  // doubles: 1 - beta2 must be formed before rounding to float (1 - 0.999f is 1.3e-5 off)
  double lr, beta1, beta2, eps, weightDecay;
  double step;
  bool decoupled, maximize;
};

struct KernelTable {
  const char* isa;
  /** FLOPs done per call of fmaPeak(iters): used by the bench to measure the FMA peak. */
  double (*fmaPeak)(int64_t iters);
  void (*gemm)(const GemmParams&);
  /** Floats packB writes for a k x n op(B) (the layout is this ISA's blocking). */
  int64_t (*packedBSize)(int64_t k, int64_t n);
  /** Packs op(B) of g (b, ldb, transB, k, n) for GemmParams::packedB. */
  void (*packB)(const GemmParams& g, float* dst);
  void (*attention)(const AttentionParams&);
  void (*attentionBackward)(const AttentionParams&);
  void (*softmax)(const float* x, int64_t rows, int64_t cols, float* out, bool log);
  void (*softmaxBackward)(const float* y, const float* gy, int64_t rows, int64_t cols, float* gx, bool log);
  void (*layerNorm)(const float* x, const float* w, const float* b, int64_t rows, int64_t cols, float eps,
                    float* out, float* mean, float* rstd);
  void (*layerNormBackward)(const float* x, const float* w, const float* mean, const float* rstd, const float* gy,
                            int64_t rows, int64_t cols, float* gx, float* gw, float* gb);
  void (*rmsNorm)(const float* x, const float* w, int64_t rows, int64_t cols, float eps, float* out, float* rstd);
  void (*rmsNormBackward)(const float* x, const float* w, const float* rstd, const float* gy, int64_t rows, int64_t cols,
                          float* gx, float* gw);
  /** Elementwise activation (Activation codes) on contiguous memory; n elements. */
  void (*activation)(int act, const float* x, float* out, int64_t n);
  void (*activationBackward)(int act, const float* x, const float* gy, float* gx, int64_t n);
  /** Returns -1 on success, else the position of the first out-of-range id. */
  int64_t (*crossEntropy)(const float* logits, int64_t rows, int64_t cols, const int32_t* targets, int32_t ignore,
                          float smoothing, float* loss, float* lse);
  void (*crossEntropyBackward)(const float* logits, const float* lse, int64_t rows, int64_t cols, const int32_t* targets,
                               int32_t ignore, float smoothing, const float* gLoss, float* gx);
  void (*adamw)(float* p, const float* g, float* m, float* v, int64_t n, const AdamWParams&);
  /** Returns -1 on success, else the position of the first out-of-range id. */
  int64_t (*embedding)(const float* w, int64_t vocab, int64_t dim, const int32_t* ids, int64_t n, float* out);
  void (*embeddingBackward)(const float* gy, const int32_t* ids, int64_t n, int64_t dim, int32_t paddingIdx, float* gw);
};

const KernelTable* tableAvx512();
const KernelTable* tableAvx2();
const KernelTable* tableScalar();

}  // namespace kotoba
