/**
 * Checks analytical gradients against central finite differences.
 *
 * Tensors hold float32, so the function itself runs in float32; everything the check adds is
 * float64: the scalar it differentiates (a fixed random projection of the output, summed in
 * float64), the perturbation actually applied (the difference of the two float32 values, not the
 * nominal step), and the difference quotient. The float32 rounding of the outputs then limits the
 * numerical gradient's accuracy to about 1e-7 * |output| / eps, which sets the default tolerances.
 */
import { KotobaError } from '../errors.js';
import { noGrad } from './autograd.js';
import { Generator } from './random.js';
import { Tensor } from './tensor.js';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-2). */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Check at most this many elements per input, chosen at random (default: all up to 64). */
  maxElements?: number;
  seed?: number;
}

export interface GradcheckResult {
  ok: boolean;
  maxAbsError: number;
  failures: string[];
}

/** Storage index of the flat (row-major) element i of a strided tensor. */
function storageIndex(t: Tensor, i: number): number {
  let p = t.offset;
  for (let d = t.ndim - 1; d >= 0; d--) {
    const size = t.shape[d];
    p += (i % size) * t.strides[d];
    i = Math.floor(i / size);
  }
  return p;
}

/**
 * fn maps the inputs to one tensor; every input with requiresGrad is checked. Inputs may be
 * non-contiguous views (then the view itself is the leaf being checked).
 */
export function gradcheck(fn: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const { eps = 1e-2, atol = 1e-3, rtol = 1e-2, maxElements = 64, seed = 1234 } = options;
  const gen = new Generator(seed);
  for (const t of inputs) t.grad = null;
  const out = fn(...inputs);
  // a projection with values exactly representable in float32, so both sides use the same weights
  const weights = new Float32Array(out.numel());
  for (let i = 0; i < weights.length; i++) weights[i] = Math.fround(gen.random() * 2 - 1);
  if (!out.requiresGrad) throw new KotobaError('gradcheck: the output does not require grad; no input with requiresGrad reaches it');
  out.backward(Tensor.fromArray(weights.slice(), out.shape));

  const project = (): number => {
    const values = noGrad(() => fn(...inputs)).toFlatArray();
    let s = 0;
    for (let i = 0; i < values.length; i++) s += values[i] * weights[i];
    return s;
  };

  const failures: string[] = [];
  let maxAbsError = 0;
  inputs.forEach((input, which) => {
    if (!input.requiresGrad) return;
    const analytical = input.grad ? input.grad.toFlatArray() : new Array(input.numel()).fill(0);
    const n = input.numel();
    const picks = n <= maxElements ? Array.from({ length: n }, (_, i) => i) : Array.from({ length: maxElements }, () => gen.randint(0, n));
    const data = input.data as Float32Array;
    for (const i of picks) {
      const p = storageIndex(input, i);
      const original = data[p];
      data[p] = Math.fround(original + eps);
      const plusX = data[p];
      const plus = project();
      data[p] = Math.fround(original - eps);
      const minusX = data[p];
      const minus = project();
      data[p] = original;
      const numerical = (plus - minus) / (plusX - minusX);
      const err = Math.abs(numerical - analytical[i]);
      maxAbsError = Math.max(maxAbsError, err);
      if (!(err <= atol + rtol * Math.abs(numerical))) {
        failures.push(`input ${which} element ${i}: analytical ${analytical[i]}, numerical ${numerical}`);
      }
    }
  });
  return { ok: failures.length === 0, maxAbsError, failures };
}
