/**
 * Multinomial (softmax) logistic regression with L2 regularisation on sparse features, trained by
 * full-batch L-BFGS (Liu & Nocedal 1989; two-loop recursion, Nocedal & Wright 2006, Alg. 7.4,
 * with a backtracking Armijo line search). The objective, as scikit-learn's
 * LogisticRegression(C) minimises it, divided by the number of examples N:
 *
 *   J(W, b) = (1/N) sum_i -log softmax(W x_i + b)[y_i]  +  (1 / (2 C N)) ||W||^2
 *
 * (the bias b is not regularised). Its gradient:
 *   dJ/dW_k = (1/N) sum_i (p_ik - [y_i = k]) x_i + W_k / (C N),   dJ/db_k = (1/N) sum_i (p_ik - [y_i = k]).
 * Everything is float64. Parameters are one flat vector, feature-major (the K class weights of
 * one feature are adjacent, so a sparse example touches few cache lines): weight (f, k) at
 * f*K + k, bias k at F*K + k.
 */
import type { SparseVector } from './tfidf.js';

export interface LogisticRegressionOptions {
  /** Inverse regularisation strength (scikit-learn's C; default 1). */
  c?: number;
  /** L-BFGS iterations at most (default 200). */
  maxIterations?: number;
  /** Stop when the gradient's max-norm falls below this (default 1e-4, scikit-learn's tol for the same averaged objective). */
  tolerance?: number;
  /** Past steps kept by L-BFGS (default 10). */
  memory?: number;
}

/** The objective and its gradient at params (gradient written into grad). */
export function logisticLoss(params: Float64Array, grad: Float64Array, x: readonly SparseVector[], y: readonly number[], classes: number, features: number, c: number): number {
  const n = x.length;
  const K = classes;
  const biasAt = features * K;
  grad.fill(0);
  let loss = 0;
  const logits = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    const { indices, values } = x[i];
    for (let k = 0; k < K; k++) logits[k] = params[biasAt + k];
    for (let j = 0; j < indices.length; j++) {
      const base = indices[j] * K;
      const v = values[j];
      for (let k = 0; k < K; k++) logits[k] += params[base + k] * v;
    }
    let max = -Infinity;
    for (let k = 0; k < K; k++) if (logits[k] > max) max = logits[k];
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(logits[k] - max);
    const logZ = max + Math.log(sum);
    loss += logZ - logits[y[i]];
    // logits now holds the residuals (p_ik - [y_i = k]) / N
    for (let k = 0; k < K; k++) {
      logits[k] = (Math.exp(logits[k] - logZ) - (k === y[i] ? 1 : 0)) / n;
      grad[biasAt + k] += logits[k];
    }
    for (let j = 0; j < indices.length; j++) {
      const base = indices[j] * K;
      const v = values[j];
      for (let k = 0; k < K; k++) grad[base + k] += logits[k] * v;
    }
  }
  loss /= n;
  const lambda = 1 / (c * n);
  for (let p = 0; p < biasAt; p++) {
    const w = params[p];
    loss += 0.5 * lambda * w * w;
    grad[p] += lambda * w;
  }
  return loss;
}

const dot = (a: Float64Array, b: Float64Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

/** Minimises f by L-BFGS from x0 (modified in place). Returns the final value and iterations. */
export function lbfgs(f: (x: Float64Array, grad: Float64Array) => number, x: Float64Array, options: { maxIterations: number; tolerance: number; memory: number }): { value: number; iterations: number } {
  const n = x.length;
  let grad = new Float64Array(n);
  let value = f(x, grad);
  const sHist: Float64Array[] = [];
  const yHist: Float64Array[] = [];
  const rhoHist: number[] = [];
  const direction = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gradNew = new Float64Array(n);
  let iterations = 0;
  for (; iterations < options.maxIterations; iterations++) {
    let gmax = 0;
    for (let i = 0; i < n; i++) gmax = Math.max(gmax, Math.abs(grad[i]));
    if (gmax < options.tolerance) break;
    // two-loop recursion: direction = -H grad
    direction.set(grad);
    const alpha: number[] = new Array(sHist.length);
    for (let m = sHist.length - 1; m >= 0; m--) {
      alpha[m] = rhoHist[m] * dot(sHist[m], direction);
      const ym = yHist[m];
      for (let i = 0; i < n; i++) direction[i] -= alpha[m] * ym[i];
    }
    if (sHist.length > 0) {
      const last = sHist.length - 1;
      const gamma = dot(sHist[last], yHist[last]) / dot(yHist[last], yHist[last]);
      for (let i = 0; i < n; i++) direction[i] *= gamma;
    }
    for (let m = 0; m < sHist.length; m++) {
      const beta = rhoHist[m] * dot(yHist[m], direction);
      const sm = sHist[m];
      for (let i = 0; i < n; i++) direction[i] += sm[i] * (alpha[m] - beta);
    }
    for (let i = 0; i < n; i++) direction[i] = -direction[i];
    let slope = dot(grad, direction);
    if (slope >= 0) {
      // not a descent direction: restart from steepest descent
      sHist.length = yHist.length = rhoHist.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -grad[i];
      slope = dot(grad, direction);
    }
    // backtracking line search (Armijo condition, c1 = 1e-4)
    let step = sHist.length === 0 ? Math.min(1, 1 / Math.sqrt(-slope)) : 1;
    let valueNew = Infinity;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * direction[i];
      valueNew = f(xNew, gradNew);
      if (valueNew <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(valueNew < value)) break; // no progress possible
    const s = new Float64Array(n);
    const yv = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      yv[i] = gradNew[i] - grad[i];
    }
    const sy = dot(s, yv);
    if (sy > 1e-12) {
      sHist.push(s);
      yHist.push(yv);
      rhoHist.push(1 / sy);
      if (sHist.length > options.memory) {
        sHist.shift();
        yHist.shift();
        rhoHist.shift();
      }
    }
    x.set(xNew);
    [grad, gradNew] = [gradNew, grad];
    const converged = Math.abs(value - valueNew) <= 1e-9 * Math.max(1, Math.abs(value));
    value = valueNew;
    if (converged) {
      iterations++;
      break;
    }
  }
  return { value, iterations };
}

export class LogisticRegression {
  params = new Float64Array(0);
  classes = 0;
  features = 0;
  iterations = 0;

  /** Trains from zero, or from `init` (a previous solution: a warm start along a path of C). */
  fit(x: readonly SparseVector[], y: readonly number[], classes: number, features: number, options: LogisticRegressionOptions & { init?: Float64Array } = {}): this {
    this.classes = classes;
    this.features = features;
    this.params = options.init ? Float64Array.from(options.init) : new Float64Array(classes * (features + 1));
    const c = options.c ?? 1;
    const result = lbfgs((p, g) => logisticLoss(p, g, x, y, classes, features, c), this.params, {
      maxIterations: options.maxIterations ?? 200,
      tolerance: options.tolerance ?? 1e-4,
      memory: options.memory ?? 10,
    });
    this.iterations = result.iterations;
    return this;
  }

  /** Class scores (logits) of one example. */
  scores(v: SparseVector): Float64Array {
    const K = this.classes;
    const out = this.params.slice(this.features * K, this.features * K + K);
    for (let j = 0; j < v.indices.length; j++) {
      for (let k = 0; k < K; k++) out[k] += this.params[v.indices[j] * K + k] * v.values[j];
    }
    return out;
  }

  predict(v: SparseVector): number {
    const s = this.scores(v);
    let best = 0;
    for (let k = 1; k < s.length; k++) if (s[k] > s[best]) best = k;
    return best;
  }
}
