/**
 * Child of memory.test.ts (run with --expose-gc): 1 000 warm-up rounds, then 10 000 measured
 * rounds of native calls; prints the growth of RSS and external memory as JSON.
 */
import { nativeBackend } from '../../src/backend/index.js';
import type { StridedView } from '../../src/backend/types.js';
import { randn, rng } from './util.js';

const nb = nativeBackend();
if (!nb) throw new Error('native kernels unavailable');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const r = rng(9);
const B = 2, H = 2, T = 16, D = 8, C = B * T, W = H * D;
const x = randn(r, C * W), w = randn(r, W * W), y = new Float32Array(C * W), bias = randn(r, W);
const view = (data: Float32Array): StridedView<Float32Array> => ({ data, offset: 0, shape: [B, H, T, D], strides: [H * T * D, T * D, D, 1] });
const q = view(randn(r, C * W)), k = view(randn(r, C * W)), v = view(randn(r, C * W)), out = view(new Float32Array(C * W));
const lse = new Float32Array(B * H * T), probs = new Float32Array(B * H * T * T);
const gq = new Float32Array(C * W), gk = new Float32Array(C * W), gv = new Float32Array(C * W);
const mean = new Float32Array(C), rstd = new Float32Array(C), gw = new Float32Array(W), gb = new Float32Array(W);
const ids = Int32Array.from({ length: C }, (_, i) => i % 50), emb = randn(r, 50 * W), gEmb = new Float32Array(50 * W);
const loss = new Float32Array(C), gLoss = new Float32Array(C).fill(1);
const m = new Float32Array(W * W), vv = new Float32Array(W * W), targets = ids.map((i) => i % W), lseC = lse.subarray(0, C);
const gxC = gq.subarray(0, C * W);
const round = (step: number) => {
  nb!.gemm({ batch: 1, m: C, n: W, k: W, transA: false, transB: true, a: x, aOffset: 0, lda: W, strideA: 0, b: w, bOffset: 0, ldb: W, strideB: 0,
    c: y, cOffset: 0, ldc: W, strideC: 0, alpha: 1, beta: 0, bias, activation: 'gelu' });
  const att = { batch: B, heads: H, tq: T, tk: T, headDim: D, q, k, v, out, scale: 0.35, causal: true, lse };
  nb!.attention(att);
  nb!.attention({ ...att, probs });
  nb!.attentionBackward({ ...att, gOut: q, gq, gk, gv });
  nb!.softmax(x, C, W, y, step % 2 === 0);
  nb!.layerNorm(x, bias, bias, C, W, 1e-5, y, mean, rstd);
  nb!.layerNormBackward(x, bias, mean, rstd, y, C, W, gxC, gw, gb);
  nb!.rmsNorm(x, bias, C, W, 1e-6, y, rstd);
  nb!.activationBackward('geluNew', x, y, gk);
  nb!.embedding(emb, 50, W, ids, y);
  nb!.embeddingBackward(y, ids, W, -1, gEmb);
  nb!.crossEntropy(x, C, W, targets, -100, 0, loss, lseC);
  nb!.crossEntropyBackward(x, lseC, C, W, targets, -100, 0, gLoss, gv);
  nb!.adamw(w, gEmb.subarray(0, W * W), m, vv, { lr: 1e-4, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: step + 1, decoupled: true, maximize: false });
};
let calls = 0;
const counted = () => { round(calls); calls += 14; };
for (let i = 0; i < 1000; i++) round(i); // warm up: scratch buffers reach their size, code is compiled
gc();
const before = process.memoryUsage();
calls = 0;
for (let i = 0; i < 10000; i++) counted();
gc();
const after = process.memoryUsage();
console.log(JSON.stringify({ rss: after.rss - before.rss, external: after.external - before.external, heapTotal: after.heapTotal - before.heapTotal, calls }));
