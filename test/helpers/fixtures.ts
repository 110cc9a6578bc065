/** Reading the PyTorch-made fixtures in ../shared/fixtures (never copied into the repo). */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Tensor } from '../../src/index.js';

export const FIXTURES = resolve(process.cwd(), '../shared/fixtures');

export interface FixtureArray {
  dtype: 'float32' | 'int64';
  shape: number[];
  data: (number | string)[];
}

export function loadCases(folder: string): { cases: any[]; [k: string]: any } {
  return JSON.parse(readFileSync(resolve(FIXTURES, 'models', folder, 'cases.json'), 'utf8'));
}

function decode(v: number | string): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  return Math.fround(v as number);
}

/** A fixture array as a Tensor (int64 narrowed to int32). */
export function fromFixture(a: FixtureArray): Tensor {
  if (a.dtype === 'int64') return Tensor.fromArray(Int32Array.from(a.data as number[]), a.shape);
  return Tensor.fromArray(Float32Array.from(a.data.map(decode)), a.shape);
}

/** Asserts |actual - expected| <= atol + rtol |expected| elementwise (non-finite values must match). */
export function assertClose(actual: Tensor | number, expected: FixtureArray | number, tol: { atol: number; rtol: number }, what = ''): void {
  const act = typeof actual === 'number' ? [actual] : actual.toFlatArray();
  const exp = typeof expected === 'number' ? [expected] : expected.data.map(decode);
  if (typeof expected !== 'number' && actual instanceof Tensor) {
    assert.deepEqual([...actual.shape], expected.shape, `${what}: shape`);
  }
  assert.equal(act.length, exp.length, `${what}: number of elements`);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < exp.length; i++) {
    const e = exp[i];
    const a = act[i];
    if (!Number.isFinite(e)) {
      assert.ok(Object.is(a, e) || (Number.isNaN(a) && Number.isNaN(e)), `${what}[${i}]: expected ${e}, got ${a}`);
      continue;
    }
    const excess = Math.abs(a - e) - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= worst)) { worst = Number.isNaN(excess) ? Infinity : excess; worstAt = i; }
  }
  assert.ok(worstAt < 0, `${what}: element ${worstAt} is ${act[worstAt]}, expected ${exp[worstAt]} (atol ${tol.atol}, rtol ${tol.rtol})`);
}
