/**
 * Every native kernel against the TypeScript reference (the oracle) on random shapes: odd sizes,
 * sizes that are not multiples of the vector width, size 1 and sizes past the GEMM's cache blocks.
 * This file runs on the ISA the addon picks (or KOTOBA_ISA); isa.test.ts reruns it on every
 * other ISA this CPU can run.
 *
 * Tolerances: the reference accumulates in float64, the native kernels in float32 in another
 * order. A float32 sum of n terms errs by at most about n * u * (sum of |terms|) (u = 2^-24), so
 * each check allows 4 * (n + 8) * u times a bound on the terms' magnitudes, n being the kernel's
 * reduction length; transcendental functions add a few ulps (polynomial + argument rounding).
 * Index or masking bugs give errors of the order of the values themselves, far above these.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nativeBackend, referenceBackend } from '../../src/backend/index.js';
import { isRowMajor } from '../../src/backend/native.js';
import type { ActivationOp, AttentionArgs, Backend, GemmArgs, StridedView, UnaryOp } from '../../src/backend/types.js';
import { U, assertClose, maxAbs, pick, randn, rng } from './util.js';

const native = nativeBackend();
const ref = referenceBackend;
const skip = native ? false : 'the native addon did not load';
const isa = native?.isa ?? 'none';
const nb = native as Backend;

const tolN = (n: number, scale: number) => 4 * (n + 8) * U * scale;

function abs(x: Float32Array): Float32Array {
  return x.map(Math.abs);
}

describe(`native kernels match the reference (${isa})`, { skip }, () => {
  it('assign: strided source into slices of a larger destination (rows copied whole when the last dim is contiguous)', () => {
    const r = rng(11);
    for (const [shape, inner] of [[[3, 5, 40], 40], [[2, 1, 17], 17], [[4, 33], 33], [[2, 3, 4, 16], 16], [[5, 7], 7], [[64], 64]] as Array<[number[], number]>) {
      const n = shape.reduce((a, b) => a * b, 1);
      // the destination: every other row of a bigger array, offset by 3 (a slice's gradient)
      const dstShape = shape;
      const dstStrides = dstShape.map((_, d) => 2 * dstShape.slice(d + 1).reduce((a, b) => a * b, 1)).map((s, d) => (d === dstShape.length - 1 ? 1 : s));
      const size = 3 + dstShape.reduce((acc, s, d) => acc + (s - 1) * dstStrides[d], 0) + 1;
      for (const transposedSource of [false, true]) {
        const values = randn(r, n);
        // the source either row-major, or the same values stored transposed in the last two dims
        let src: StridedView<Float32Array> = { data: values, offset: 0, shape, strides: shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1)) };
        if (transposedSource && shape.length >= 2) {
          const nd = shape.length, [rows, cols] = [shape[nd - 2], shape[nd - 1]];
          const t = new Float32Array(n);
          for (let o = 0; o < n / (rows * cols); o++)
            for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[o * rows * cols + j * rows + i] = values[o * rows * cols + i * cols + j];
          const strides = [...src.strides];
          strides[nd - 2] = 1;
          strides[nd - 1] = rows;
          src = { data: t, offset: 0, shape, strides };
        }
        const want = randn(rng(5), size), got = Float32Array.from(want);
        ref.assign(src, { data: want, offset: 3, shape: dstShape, strides: dstStrides });
        nb.assign(src, { data: got, offset: 3, shape: dstShape, strides: dstStrides });
        assert.deepEqual(got, want, `assign ${shape} (inner ${inner}) transposed source ${transposedSource}`);
        const srcI: StridedView<Int32Array> = { ...src, data: Int32Array.from(src.data, (v) => Math.round(v * 1000)) };
        const wantI = new Int32Array(size), gotI = new Int32Array(size);
        ref.assign(srcI, { data: wantI, offset: 3, shape: dstShape, strides: dstStrides });
        nb.assign(srcI, { data: gotI, offset: 3, shape: dstShape, strides: dstStrides });
        assert.deepEqual(gotI, wantI, `assign int32 ${shape}`);
      }
    }
  });

  it('sum over the outer dims of a row-major array (a bias gradient: the ones-row product path)', () => {
    const r = rng(31);
    for (const [outer, inner] of [[[300], [70]], [[5, 7], [40]], [[2, 1, 9], [3, 16]], [[1], [64]], [[3], [8]]] as Array<[number[], number[]]>) {
      const rows = outer.reduce((a, b) => a * b, 1), cols = inner.reduce((a, b) => a * b, 1);
      const data = randn(r, rows * cols + 2);
      // the kernel's view: kept (inner) dims first, reduced (outer) dims last, as reduce.ts orders them
      const strides = [...inner.map((_, d) => inner.slice(d + 1).reduce((a, b) => a * b, 1)),
        ...outer.map((_, d) => cols * outer.slice(d + 1).reduce((a, b) => a * b, 1))];
      const view: StridedView<Float32Array> = { data, offset: 2, shape: [...inner, ...outer], strides };
      const want = new Float32Array(cols), got = new Float32Array(cols).fill(Number.NaN);
      ref.reduce('sum', view, inner.length, want);
      nb.reduce('sum', view, inner.length, got);
      assertClose(got, want, (i) => tolN(rows, rows * 4), `sum of ${outer} rows of ${inner}`);
    }
  });

  it('gemm with a prepacked B equals gemm packing B itself (column strips, row bands, short inputs packed as one block, panel edges, 1-3 threads)', async () => {
    const { setNumThreads } = await import('../../src/backend/native.js');
    const r = rng(21);
    const before = nb.threads;
    try {
      for (const threads of [1, 2, 3]) {
        setNumThreads(threads);
        for (const [m, n, k] of [[2, 17, 5], [7, 300, 70], [101, 250, 600], [128, 768, 300], [300, 33, 520], [40, 3100, 40], [260, 6200, 20], [5, 16, 1]]) {
          for (const transB of [false, true]) {
            const a = randn(r, m * k), b = randn(r, k * n), bias = randn(r, n);
            const ldb = transB ? k : n;
            const packed = nb.packB({ b, bOffset: 0, ldb, k, n, transB });
            assert.ok(packed, 'the native backend packs');
            const base: GemmArgs = {
              batch: 1, m, n, k, transA: false, transB, a, aOffset: 0, lda: k, strideA: 0, b, bOffset: 0, ldb, strideB: 0,
              c: new Float32Array(m * n), cOffset: 0, ldc: n, strideC: 0, alpha: 1, beta: 0, bias, activation: 'gelu',
            };
            const want = new Float32Array(m * n), got = new Float32Array(m * n).fill(Number.NaN);
            nb.gemm({ ...base, c: want });
            nb.gemm({ ...base, c: got, packedB: packed! });
            // the same blocks in the same order: the same float32 sums
            assertClose(got, want, (i) => 4 * U * (Math.abs(want[i]) + 1), `packed gemm ${m}x${n}x${k} transB ${transB} threads ${threads}`);
          }
        }
      }
      // a packed array too short for the shape is refused, not read past its end
      const b = randn(r, 64 * 64);
      const packed = nb.packB({ b, bOffset: 0, ldb: 64, k: 64, n: 64, transB: false })!;
      assert.throws(() => nb.gemm({
        batch: 1, m: 8, n: 64, k: 64, transA: false, transB: false, a: randn(r, 8 * 64), aOffset: 0, lda: 64, strideA: 0,
        b, bOffset: 0, ldb: 64, strideB: 0, c: new Float32Array(8 * 64), cOffset: 0, ldc: 64, strideC: 0, alpha: 1, beta: 0,
        packedB: packed.subarray(0, 100),
      }), /packed B/);
    } finally {
      setNumThreads(before);
    }
  });

  it('gemm: transposes, strides, batches, broadcast, alpha/beta, bias, activations', () => {
    const r = rng(1);
    const sizes = [1, 2, 3, 7, 8, 15, 16, 17, 31, 33, 48, 63, 65, 97, 130];
    const cases: Array<[number, number, number]> = [[300, 520, 270], [145, 33, 520], [7, 700, 300], [1, 1, 1], [1, 768, 64],
      [1, 3072, 768], [1, 50, 1000], [1, 1, 77]];
    for (let c = 0; c < 60; c++) cases.push([pick(r, sizes), pick(r, sizes), pick(r, sizes)]);
    cases.push([0, 5, 3], [4, 5, 0]);
    for (const [m, n, k] of cases) {
      const transA = r() < 0.5, transB = r() < 0.5;
      const batch = m * n * k > 1e6 ? 1 : pick(r, [1, 1, 2, 3]);
      const padA = pick(r, [0, 0, 3]), padB = pick(r, [0, 0, 5]), padC = pick(r, [0, 0, 2]);
      const lda = (transA ? m : k) + padA, ldb = (transB ? k : n) + padB, ldc = n + padC;
      const aRows = transA ? k : m, bRows = transB ? n : k;
      const strideA = batch > 1 && r() < 0.3 ? 0 : aRows * lda, strideB = batch > 1 && r() < 0.3 ? 0 : bRows * ldb;
      const strideC = m * ldc;
      const aOffset = pick(r, [0, 1, 7]), bOffset = pick(r, [0, 2]), cOffset = pick(r, [0, 3]);
      const a = randn(r, aOffset + Math.max(1, strideA * (batch - 1) + aRows * lda));
      const b = randn(r, bOffset + Math.max(1, strideB * (batch - 1) + bRows * ldb));
      const c0 = randn(r, cOffset + batch * strideC);
      const beta = pick(r, [0, 0, 1, 0.5]);
      if (beta === 0) for (let i = 0; i < c0.length; i += 13) c0[i] = NaN; // beta 0 ignores C, even NaN
      const alpha = pick(r, [1, 1, 0.125, -2]);
      const bias = r() < 0.4 ? randn(r, n) : undefined;
      const activation = bias ? pick(r, [undefined, 'relu', 'gelu', 'geluNew'] as const) : undefined;
      const args = (cc: Float32Array, aa = a, bb = b, al = alpha, be = beta, bi = bias, act = activation): GemmArgs => ({
        batch, m, n, k, transA, transB, a: aa, aOffset, lda, strideA, b: bb, bOffset, ldb, strideB,
        c: cc, cOffset, ldc, strideC, alpha: al, beta: be, bias: bi, activation: act,
      });
      const want = c0.slice(), got = c0.slice(), bound = abs(c0).map((x) => (Number.isNaN(x) ? 0 : x));
      ref.gemm(args(want));
      nb.gemm(args(got));
      // the bound on |terms|: |alpha| |A| |B| + |beta C| + |bias|
      ref.gemm(args(bound, abs(a), abs(b), Math.abs(alpha), Math.abs(beta), bias && abs(bias), undefined));
      assertClose(got, want, (i) => 1.2 * tolN(k, bound[i]) + 8 * U * Math.abs(want[i]),
        `gemm ${batch}x${m}x${n}x${k} tA=${transA} tB=${transB} beta=${beta} act=${activation}`);
    }
  });

  it('activations forward (unary) and backward', () => {
    const r = rng(2);
    for (const op of ['relu', 'gelu', 'geluNew', 'silu', 'sigmoid', 'tanh'] as const) {
      for (const n of [1, 7, 8, 17, 100, 4099, 70001]) {
        const x = randn(r, n + 3, 3);
        x[0] = 0; if (n > 5) { x[1] = -12; x[2] = 12; x[3] = 1e-4; x[4] = -1e-3; }
        const view: StridedView<Float32Array> = { data: x, offset: 3, shape: [n], strides: [1] };
        const want = new Float32Array(n), got = new Float32Array(n);
        ref.unary(op as UnaryOp, view, want);
        nb.unary(op as UnaryOp, view, got);
        // a few ulps for the polynomial, plus argument rounding growing with x^2 (exp(-x^2/2) in gelu)
        const tol = (i: number) => 64 * U * (1 + x[i + 3] ** 2) * (Math.abs(want[i]) + 0.01 * (1 + Math.abs(x[i + 3])));
        assertClose(got, want, tol, `${op} n=${n}`);
        const xs = x.subarray(3), gy = randn(r, n);
        const gw = new Float32Array(n), gg = new Float32Array(n);
        ref.activationBackward(op as ActivationOp, xs, gy, gw);
        nb.activationBackward(op as ActivationOp, xs, gy, gg);
        assertClose(gg, gw, (i) => 64 * U * (1 + xs[i] ** 2) * (Math.abs(gw[i]) + 0.5 * Math.abs(gy[i])), `${op}' n=${n}`);
      }
      // every lane within 2.5 of 0: the GELUs' central polynomials (wider inputs above mostly take the other path)
      const central = Float32Array.from({ length: 4096 }, (_, i) => (i === 0 ? 2.5 : i === 1 ? -2.5 : 5 * r() - 2.5));
      const view: StridedView<Float32Array> = { data: central, offset: 0, shape: [central.length], strides: [1] };
      const want = new Float32Array(central.length), got = new Float32Array(central.length);
      ref.unary(op as UnaryOp, view, want);
      nb.unary(op as UnaryOp, view, got);
      assertClose(got, want, (i) => 64 * U * (1 + central[i] ** 2) * (Math.abs(want[i]) + 0.01 * (1 + Math.abs(central[i]))), `${op} within 2.5`);
      // every lane within 6, most vectors with one past 2.5: the exact GELU's central and tail polynomials, lane by lane
      const near = Float32Array.from({ length: 4096 }, (_, i) => (i === 0 ? 6 : i === 1 ? -6 : i === 2 ? 2.5 : i === 3 ? -2.5 : 12 * r() - 6));
      const nearView: StridedView<Float32Array> = { data: near, offset: 0, shape: [near.length], strides: [1] };
      const wantNear = new Float32Array(near.length), gotNear = new Float32Array(near.length);
      ref.unary(op as UnaryOp, nearView, wantNear);
      nb.unary(op as UnaryOp, nearView, gotNear);
      assertClose(gotNear, wantNear, (i) => 64 * U * (1 + near[i] ** 2) * (Math.abs(wantNear[i]) + 0.01 * (1 + Math.abs(near[i]))), `${op} within 6`);
      // the GELUs' polynomials hold the factor after x to ~2e-7 absolute: within 1e-6 plus rounding
      if (op === 'gelu' || op === 'geluNew') assertClose(gotNear, wantNear, (i) => 8 * U * Math.abs(wantNear[i]) + 1e-6, `${op} within 6, absolute`);
      const gyNear = randn(r, near.length), gwNear = new Float32Array(near.length), ggNear = new Float32Array(near.length);
      ref.activationBackward(op as ActivationOp, near, gyNear, gwNear);
      nb.activationBackward(op as ActivationOp, near, gyNear, ggNear);
      assertClose(ggNear, gwNear, (i) => 64 * U * (1 + near[i] ** 2) * (Math.abs(gwNear[i]) + 0.5 * Math.abs(gyNear[i])), `${op}' within 6`);
    }
  });

  it('strided binary ops, where, unary math, copies and reductions (broadcast, transposed, sliced views)', () => {
    const r = rng(10);
    // views of one 4-d shape: contiguous, transposed (last two dims swapped), broadcast (stride 0), offset
    const views = (shape: number[], data: Float32Array, kind: number): StridedView<Float32Array> => {
      const [A, B, C, D] = shape;
      if (kind === 0) return { data, offset: 0, shape, strides: [B * C * D, C * D, D, 1] };
      if (kind === 1) return { data, offset: 0, shape, strides: [B * C * D, C * D, 1, C] };
      if (kind === 2) return { data, offset: 0, shape, strides: [0, C * D, D, 1] };  // expanded over dim 0
      return { data, offset: 5, shape, strides: [B * C * D, C * D, D, 1] };
    };
    const binOps = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
    const unOps = ['neg', 'exp', 'log', 'sqrt', 'rsqrt', 'tanh', 'erf', 'abs', 'sigmoid', 'sin', 'cos', 'relu', 'gelu', 'geluNew',
      'silu', 'sign', 'powScalar', 'clamp', 'affine'] as const;
    for (const shape of [[1, 1, 1, 1], [2, 3, 5, 7], [3, 1, 17, 9], [2, 4, 33, 65]]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const mk = (kind: number) => {
        const d = randn(r, n + 5, 2);
        d[1] = NaN; d[2] = 0; d[3] = -0; d[4] = Infinity;
        if (kind === 0) d.subarray(0, 5).set([1, 1, 1, 1, 1]);
        return views(shape, d, kind);
      };
      for (const [ka, kb] of [[0, 0], [1, 2], [3, 1], [2, 3]]) {
        const a = mk(ka), b = mk(kb);
        for (const op of binOps) {
          const want = new Float32Array(n), got = new Float32Array(n);
          ref.binary(op, a, b, want);
          nb.binary(op, a, b, got);
          assertClose(got, want, () => 0, `binary ${op} ${shape} kinds ${ka},${kb}`); // float ops round the same: exact
          if (['eq', 'ne', 'lt', 'le', 'gt', 'ge'].includes(op)) { // int32 0/1 masks
            const wi = new Int32Array(n), gi = new Int32Array(n);
            ref.binary(op, a, b, wi);
            nb.binary(op, a, b, gi);
            assert.deepEqual(gi, wi, `binary ${op} into int32`);
          }
        }
        const cond = mk(ka), want = new Float32Array(n), got = new Float32Array(n);
        for (let i = 0; i < cond.data.length; i++) cond.data[i] = cond.data[i] > 0 ? 1 : 0;
        ref.where(cond, a, b, want);
        nb.where(cond, a, b, got);
        assertClose(got, want, () => 0, `where ${shape}`);
        const icond: StridedView<Int32Array> = { ...cond, data: Int32Array.from(cond.data, (v) => v * 7) };
        ref.where(icond, a, b, want);
        nb.where(icond, a, b, got);
        assertClose(got, want, () => 0, `where (int32 mask) ${shape}`);
      }
      for (const kind of [0, 1, 2, 3]) {
        const x = mk(kind);
        for (const op of unOps) {
          const want = new Float32Array(n), got = new Float32Array(n);
          ref.unary(op, x, want, op === 'clamp' ? -0.5 : 3, op === 'clamp' ? 0.7 : -1.5);
          nb.unary(op, x, got, op === 'clamp' ? -0.5 : 3, op === 'clamp' ? 0.7 : -1.5);
          // computed in double as the reference does (contiguous activations: the SIMD polynomials)
          // (chosen by the backend's own test, isRowMajor: a [1,1,1,1] view of any kind is contiguous)
          const simd = isRowMajor(x) && ['relu', 'gelu', 'geluNew', 'silu', 'sigmoid', 'tanh'].includes(op);
          assertClose(got, want, (i) => (simd ? 64 * U * (1 + 16) * (Math.abs(want[i]) + 0.01) : 2 * U * Math.abs(want[i]) + 1e-45), `unary ${op} ${shape} kind ${kind}`);
        }
        const cw = new Float32Array(n + 2), cg = new Float32Array(n + 2);
        ref.copy(x, cw, 2);
        nb.copy(x, cg, 2);
        assert.deepEqual(cg, cw, `copy ${shape} kind ${kind}`);
        const xi: StridedView<Int32Array> = { ...x, data: Int32Array.from(x.data, (v) => (Number.isFinite(v) ? Math.round(v * 100) : 7)) };
        const iw = new Int32Array(n), ig = new Int32Array(n);
        ref.copy(xi, iw, 0);
        nb.copy(xi, ig, 0);
        assert.deepEqual(ig, iw, `copy int32 ${shape} kind ${kind}`);
        for (let kept = 0; kept <= 4; kept++) {
          const outN = shape.slice(0, kept).reduce((a, b) => a * b, 1);
          for (const op of ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'] as const) {
            const isArg = op === 'argmax' || op === 'argmin';
            const want = isArg ? new Int32Array(outN) : new Float32Array(outN), got = isArg ? new Int32Array(outN) : new Float32Array(outN);
            const xv = op === 'prod' ? { ...x, data: x.data.map((v) => 1 + v / 64) } : x;
            ref.reduce(op, xv, kept, want);
            nb.reduce(op, xv, kept, got);
            assertClose(got, want, () => 0, `reduce ${op} kept=${kept} ${shape} kind ${kind}`); // same order, both in double
          }
        }
      }
    }
    // one shape large enough (> 2^17 elements) to be split over the threads
    {
      const shape = [2, 8, 100, 90], n = 2 * 8 * 100 * 90;
      const a = views(shape, randn(r, n + 5), 1), b = views(shape, randn(r, n + 5), 2);
      for (const op of ['add', 'div', 'maximum', 'lt'] as const) {
        const want = new Float32Array(n), got = new Float32Array(n);
        ref.binary(op, a, b, want);
        nb.binary(op, a, b, got);
        assertClose(got, want, () => 0, `binary ${op} ${shape} (threads)`);
      }
      const want = new Float32Array(n), got = new Float32Array(n);
      ref.unary('sin', a, want);
      nb.unary('sin', a, got);
      assertClose(got, want, (i) => 2 * U * Math.abs(want[i]) + 1e-45, `unary sin ${shape} (threads)`);
      const cw = new Float32Array(n), cg = new Float32Array(n);
      ref.copy(a, cw, 0);
      nb.copy(a, cg, 0);
      assert.deepEqual(cg, cw, `copy ${shape} (threads)`);
    }
    const empty: StridedView<Float32Array> = { data: new Float32Array(0), offset: 0, shape: [2, 0], strides: [0, 1] };
    assert.throws(() => nb.reduce('max', empty, 1, new Float32Array(2)), /cannot reduce an empty dimension/);
  });

  it('softmax and logSoftmax, forward and backward', () => {
    const r = rng(3);
    for (const [rows, cols] of [[1, 1], [3, 7], [5, 16], [2, 17], [64, 1000], [1, 50257], [300, 33]]) {
      const x = randn(r, rows * cols, 3);
      if (cols > 4) { x[1] = -Infinity; x[2] = -3.4e38; }
      for (const log of [false, true]) {
        const want = new Float32Array(rows * cols), got = new Float32Array(rows * cols);
        ref.softmax(x, rows, cols, want, log);
        nb.softmax(x, rows, cols, got, log);
        // exp's argument x - max rounds by u |x - max| (<= ~40 here); the sum errs by cols * u
        const tol = log ? (i: number) => tolN(cols, 40 + Math.abs(want[i])) : (i: number) => tolN(cols + 40, Math.abs(want[i])) + 1e-30;
        assertClose(got, want, tol, `softmax log=${log} ${rows}x${cols}`);
        const gy = randn(r, rows * cols);
        const gw = new Float32Array(rows * cols), gg = new Float32Array(rows * cols);
        ref.softmaxBackward(want, gy, rows, cols, gw, log);
        nb.softmaxBackward(want, gy, rows, cols, gg, log);
        const gmax = maxAbs(gy);
        assertClose(gg, gw, (i) => tolN(cols + 40, Math.abs(gw[i]) + gmax * (log ? 1 : Math.abs(want[i]))), `softmaxBackward log=${log} ${rows}x${cols}`);
      }
    }
  });

  it('layerNorm and rmsNorm, forward and backward, with and without affine', () => {
    const r = rng(4);
    // [300, 200] is large enough to spread rows (and the weight-gradient sums) over the threads
    for (const [rows, cols] of [[1, 1], [1, 7], [3, 17], [8, 768], [129, 65], [512, 33], [300, 200]]) {
      for (const affine of [true, false]) {
        const x = randn(r, rows * cols, 2).map((v) => v + 1.5);
        const w = affine ? randn(r, cols) : null, b = affine ? randn(r, cols) : null;
        const eps = 1e-5;
        const o = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
        const mean = [new Float32Array(rows), new Float32Array(rows)], rstd = [new Float32Array(rows), new Float32Array(rows)];
        ref.layerNorm(x, w, b, rows, cols, eps, o[0], mean[0], rstd[0]);
        nb.layerNorm(x, w, b, rows, cols, eps, o[1], mean[1], rstd[1]);
        const wmax = w ? maxAbs(w) : 1, bmax = b ? maxAbs(b) : 0;
        assertClose(o[1], o[0], () => tolN(cols, 8 * wmax + bmax), `layerNorm ${rows}x${cols}`);
        const xmax = maxAbs(x);
        assertClose(mean[1], mean[0], () => tolN(cols, xmax), 'layerNorm mean');
        assertClose(rstd[1], rstd[0], (i) => tolN(cols, rstd[0][i]), 'layerNorm rstd');
        const gy = randn(r, rows * cols);
        const gx = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
        const gw = [new Float32Array(cols), new Float32Array(cols)], gb = [new Float32Array(cols), new Float32Array(cols)];
        ref.layerNormBackward(x, w, mean[0], rstd[0], gy, rows, cols, gx[0], affine ? gw[0] : null, affine ? gb[0] : null);
        nb.layerNormBackward(x, w, mean[0], rstd[0], gy, rows, cols, gx[1], affine ? gw[1] : null, affine ? gb[1] : null);
        const gmax = maxAbs(gy);
        const rsmax = maxAbs(rstd[0]);
        assertClose(gx[1], gx[0], () => tolN(cols, 16 * rsmax * gmax * wmax), `layerNormBackward gx ${rows}x${cols}`);
        if (affine) {
          assertClose(gw[1], gw[0], () => tolN(rows, rows * gmax * 8), 'layerNormBackward gWeight');
          assertClose(gb[1], gb[0], () => tolN(rows, rows * gmax), 'layerNormBackward gBias');
        }
        // rmsNorm
        const ro = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
        const rr = [new Float32Array(rows), new Float32Array(rows)];
        ref.rmsNorm(x, w, rows, cols, eps, ro[0], rr[0]);
        nb.rmsNorm(x, w, rows, cols, eps, ro[1], rr[1]);
        assertClose(ro[1], ro[0], () => tolN(cols, 8 * wmax), `rmsNorm ${rows}x${cols}`);
        assertClose(rr[1], rr[0], (i) => tolN(cols, rr[0][i]), 'rmsNorm rstd');
        const rg = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
        const rgw = [new Float32Array(cols), new Float32Array(cols)];
        ref.rmsNormBackward(x, w, rr[0], gy, rows, cols, rg[0], affine ? rgw[0] : null);
        nb.rmsNormBackward(x, w, rr[0], gy, rows, cols, rg[1], affine ? rgw[1] : null);
        const rrmax = maxAbs(rr[0]);
        assertClose(rg[1], rg[0], () => tolN(cols, 16 * rrmax * gmax * wmax), `rmsNormBackward ${rows}x${cols}`);
        if (affine) assertClose(rgw[1], rgw[0], () => tolN(rows, rows * gmax * 8), 'rmsNormBackward gWeight');
      }
    }
  });

  it('crossEntropy forward and backward, with ignoreIndex and label smoothing; bad targets throw', () => {
    const r = rng(5);
    for (const [rows, cols] of [[1, 1], [3, 5], [7, 17], [64, 1000], [4, 50257]]) {
      for (const smoothing of [0, 0.1]) {
        const x = randn(r, rows * cols, 4);
        const t = Int32Array.from({ length: rows }, () => Math.floor(r() * cols));
        if (rows > 2) t[1] = -100;
        const loss = [new Float32Array(rows), new Float32Array(rows)], lse = [new Float32Array(rows), new Float32Array(rows)];
        ref.crossEntropy(x, rows, cols, t, -100, smoothing, loss[0], lse[0]);
        nb.crossEntropy(x, rows, cols, t, -100, smoothing, loss[1], lse[1]);
        const xm = maxAbs(x);
        assertClose(lse[1], lse[0], () => tolN(cols, 2 * xm + 1), `crossEntropy lse ${rows}x${cols}`);
        assertClose(loss[1], loss[0], () => tolN(cols, 4 * xm + 1), `crossEntropy loss ${rows}x${cols}`);
        const g = randn(r, rows);
        const gx = [new Float32Array(rows * cols), new Float32Array(rows * cols)];
        ref.crossEntropyBackward(x, lse[0], rows, cols, t, -100, smoothing, g, gx[0]);
        nb.crossEntropyBackward(x, lse[0], rows, cols, t, -100, smoothing, g, gx[1]);
        const gm = maxAbs(g);
        assertClose(gx[1], gx[0], (i) => tolN(cols + 2 * xm, Math.abs(gx[0][i]) + gm * (smoothing + 1e-6)), `crossEntropyBackward ${rows}x${cols}`);
      }
    }
    const x = new Float32Array(6);
    assert.throws(() => nb.crossEntropy(x, 2, 3, Int32Array.from([0, 3]), -100, 0, new Float32Array(2), new Float32Array(2)),
      /target 3 at row 1 is outside \[0, 3\)/);
  });

  it('embedding gather and scatter-add (exact); bad ids throw', () => {
    const r = rng(6);
    for (const [vocab, dim, n] of [[1, 1, 1], [10, 7, 5], [1000, 64, 300], [50, 768, 513]]) {
      const w = randn(r, vocab * dim);
      const ids = Int32Array.from({ length: n }, () => Math.floor(r() * vocab));
      const o = [new Float32Array(n * dim), new Float32Array(n * dim)];
      ref.embedding(w, vocab, dim, ids, o[0]);
      nb.embedding(w, vocab, dim, ids, o[1]);
      assert.deepEqual(o[1], o[0]);
      const gy = randn(r, n * dim);
      const gw = [randn(r, vocab * dim), new Float32Array(vocab * dim)];
      gw[1].set(gw[0]);
      ref.embeddingBackward(gy, ids, dim, ids[0], gw[0]);
      nb.embeddingBackward(gy, ids, dim, ids[0], gw[1]);
      assert.deepEqual(gw[1], gw[0]); // the same float32 additions in the same order
    }
    assert.throws(() => nb.embedding(new Float32Array(4), 2, 2, Int32Array.from([1, 2]), new Float32Array(4)),
      /id 2 at position 1 is outside the vocabulary \[0, 2\)/);
  });

  it('dropout mask: the same draws, mask and final generator state (exact)', () => {
    const r = rng(12);
    for (const n of [0, 1, 7, 1000, 100003]) {
      for (const threshold of [0, 1, 429496730, 2147483648, 4294967295, 4294967296]) {
        const state = Uint32Array.from({ length: 4 }, () => Math.floor(r() * 4294967296));
        const s = [state.slice(), state.slice()];
        const o = [new Float32Array(n), new Float32Array(n).fill(NaN)];
        ref.dropoutMask(s[0], o[0], threshold, 1.25);
        nb.dropoutMask(s[1], o[1], threshold, 1.25);
        assert.deepEqual(o[1], o[0], `n ${n} threshold ${threshold}`);
        assert.deepEqual(s[1], s[0]);
        if (n > 0) assert.notDeepEqual(s[0], state); // the state moved on
      }
    }
  });

  it('normal fill: the same draws and final state; values equal but for a rare last float bit', () => {
    const r = rng(13);
    let total = 0, differing = 0;
    for (const n of [0, 1, 2, 7, 1000, 100003]) {
      for (const spare of [NaN, -0.75]) {
        const state = Uint32Array.from({ length: 4 }, () => Math.floor(r() * 4294967296));
        const s = [state.slice(), state.slice()];
        const o = [new Float32Array(n), new Float32Array(n).fill(NaN)];
        const left = [ref.normalFill(s[0], o[0], 0.5, 0.02, spare), nb.normalFill(s[1], o[1], 0.5, 0.02, spare)];
        assert.deepEqual(s[1], s[0], `n ${n}: the state moved on by the same draws`);
        // the C library's log/cos/sin and V8's may differ in a double's last bit, which rarely
        // survives the rounding to float
        assertClose(o[1], o[0], (i) => 2 * U * Math.abs(o[0][i]), `normalFill n=${n}`);
        for (let i = 0; i < n; i++) differing += o[1][i] === o[0][i] ? 0 : 1;
        total += n;
        if (Number.isNaN(left[0])) assert.ok(Number.isNaN(left[1]), `n ${n}: no spare left on either`);
        else assert.ok(Math.abs(left[1] - left[0]) <= 1e-15 * Math.abs(left[0]), `n ${n}: the spare ${left[1]} vs ${left[0]}`);
      }
    }
    assert.ok(differing <= total * 1e-4, `${differing} of ${total} values differ`);
  });

  it('adamw: AdamW and Adam with L2, maximize', () => {
    const r = rng(7);
    for (const n of [1, 7, 33, 100003]) {
      for (const [decoupled, maximize, step] of [[true, false, 1], [false, false, 10], [true, true, 1000]] as const) {
        const p = randn(r, n), g = randn(r, n), m = randn(r, n, 0.1), v = randn(r, n, 0.1).map((x) => x * x);
        const s = [p.slice(), m.slice(), v.slice()], t = [p.slice(), m.slice(), v.slice()];
        const args = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step, decoupled, maximize };
        ref.adamw(s[0], g, s[1], s[2], args);
        nb.adamw(t[0], g, t[1], t[2], args);
        assertClose(t[1], s[1], (i) => 16 * U * (Math.abs(s[1][i]) + Math.abs(g[i])), 'adamw expAvg');
        assertClose(t[2], s[2], (i) => 16 * U * (Math.abs(s[2][i]) + g[i] * g[i]), 'adamw expAvgSq');
        // a few roundings of the old value and of the step (whose size is |new - old|); the step's
        // numerator, the new expAvg, may cancel: its error is ~u (|beta1 m| + |(1 - beta1) g|)
        const stepSize = args.lr / (1 - args.beta1 ** step), bc2 = 1 - args.beta2 ** step;
        const tolP = (i: number) => 16 * U * (Math.abs(p[i]) + 2 * Math.abs(s[0][i] - p[i]) +
          stepSize * (Math.abs(args.beta1 * m[i]) + Math.abs((1 - args.beta1) * g[i]) + args.weightDecay * Math.abs(p[i])) /
          (Math.sqrt(s[2][i] / bc2) + args.eps));
        assertClose(t[0], s[0], tolP, `adamw param n=${n}`);
      }
    }
  });

  it('attention forward and backward: causal, padding mask, position bias, strided q/k/v, probabilities', () => {
    const r = rng(8);
    type Case = { B: number; H: number; tq: number; tk: number; D: number; causal: boolean; mask: boolean; bias: boolean; probs: boolean; layout: 'bhtd' | 'bthd' };
    const cases: Case[] = [
      { B: 1, H: 1, tq: 1, tk: 1, D: 1, causal: false, mask: false, bias: false, probs: false, layout: 'bhtd' },
      { B: 2, H: 3, tq: 65, tk: 65, D: 17, causal: true, mask: true, bias: false, probs: false, layout: 'bthd' },
      { B: 1, H: 2, tq: 300, tk: 300, D: 64, causal: true, mask: false, bias: false, probs: false, layout: 'bhtd' },
      { B: 2, H: 2, tq: 130, tk: 257, D: 8, causal: false, mask: true, bias: true, probs: true, layout: 'bthd' },
      { B: 1, H: 4, tq: 1, tk: 37, D: 64, causal: true, mask: false, bias: false, probs: false, layout: 'bhtd' },
      { B: 1, H: 2, tq: 70, tk: 20, D: 16, causal: true, mask: false, bias: true, probs: true, layout: 'bhtd' },
      { B: 3, H: 2, tq: 33, tk: 520, D: 32, causal: false, mask: true, bias: true, probs: false, layout: 'bthd' },
    ];
    for (const c of cases) {
      const { B, H, tq, tk, D } = c;
      const view = (t: number, data: Float32Array): StridedView<Float32Array> => c.layout === 'bhtd'
        ? { data, offset: 0, shape: [B, H, t, D], strides: [H * t * D, t * D, D, 1] }
        : { data, offset: 0, shape: [B, H, t, D], strides: [t * H * D, D, H * D, 1] }; // [B, t, H, D] permuted
      const q = view(tq, randn(r, B * H * tq * D)), k = view(tk, randn(r, B * H * tk * D)), v = view(tk, randn(r, B * H * tk * D));
      // padding mask [B, 1, 1, tk] expanded: the last keys of batch 1+ hidden (key 0 always visible)
      let mask: StridedView<Float32Array> | undefined;
      if (c.mask) {
        const m = new Float32Array(B * tk);
        for (let b = 1; b < B; b++) for (let j = tk - 1 - b * 3; j < tk && j > 0; j++) m[b * tk + j] = b % 2 ? -Infinity : -3.4028234663852886e38;
        mask = { data: m, offset: 0, shape: [B, H, tq, tk], strides: [tk, 0, 0, 1] };
      }
      const bias = c.bias ? { data: randn(r, H * tq * tk), offset: 0, shape: [B, H, tq, tk], strides: [0, tq * tk, tk, 1] } : undefined;
      const scale = 1 / Math.sqrt(D);
      const mk = () => ({
        out: view(tq, new Float32Array(B * H * tq * D)), lse: new Float32Array(B * H * tq),
        probs: c.probs ? new Float32Array(B * H * tq * tk) : undefined,
      });
      const [w, g] = [mk(), mk()];
      const args = (o: ReturnType<typeof mk>): AttentionArgs => ({
        batch: B, heads: H, tq, tk, headDim: D, q, k, v, out: o.out, scale, causal: c.causal, mask, bias, probs: o.probs, lse: o.lse,
      });
      ref.attention(args(w));
      nb.attention(args(g));
      const name = `attention ${JSON.stringify(c)}`;
      const n = tk + D;
      const tolOut = tolN(n, 4 * maxAbs(v.data));
      assertClose(g.out.data, w.out.data, () => tolOut, `${name} out`);
      assertClose(g.lse, w.lse, (i) => tolN(n, 8 + Math.abs(w.lse[i])), `${name} lse`);
      if (c.probs) assertClose(g.probs!, w.probs!, () => tolN(n, 4), `${name} probs`);
      // backward
      const gOut = view(tq, randn(r, B * H * tq * D));
      const grads = () => ({ gq: new Float32Array(B * H * tq * D), gk: new Float32Array(B * H * tk * D), gv: new Float32Array(B * H * tk * D),
        gBias: c.bias ? new Float32Array(H * tq * tk) : undefined });
      const [gw, gg] = [grads(), grads()];
      ref.attentionBackward({ ...args(w), gOut, ...gw });
      nb.attentionBackward({ ...args(w), gOut, ...gg });
      const nb2 = tq + tk + D;
      for (const key of ['gv', 'gq', 'gk', 'gBias'] as const) {
        const want = gw[key], got = gg[key];
        if (!want || !got) continue;
        const tol = tolN(nb2, 4 * maxAbs(want));
        assertClose(got, want, () => tol, `${name} ${key}`);
      }
    }
  });
});
