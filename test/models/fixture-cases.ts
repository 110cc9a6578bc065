/** Running the forward cases of ../shared/fixtures/models against Kotoba models. */
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { noGrad, Tensor } from '../../src/index.js';
import { assertClose, FIXTURES, fromFixture, loadCases, type FixtureArray } from '../helpers/fixtures.js';

export const modelFolder = (name: string) => resolve(FIXTURES, 'models', name);

export function camel(snake: string): string {
  return snake.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Fixture inputs and kwargs as forward() options (snake_case -> camelCase, arrays -> tensors). */
export function forwardInputs(c: any): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.inputs ?? {})) out[camel(k)] = convert(v);
  for (const [k, v] of Object.entries(c.kwargs ?? {})) out[camel(k)] = v;
  return out;
}

function convert(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(convert);
  if (v && typeof v === 'object' && 'shape' in v) return fromFixture(v as FixtureArray);
  return v;
}

export function tolerance(c: any, output: string): { atol: number; rtol: number } {
  const atol = typeof c.tolerance.atol === 'number' ? c.tolerance.atol : c.tolerance.atol[output];
  assert.ok(typeof atol === 'number', `${c.name}: no tolerance for ${output}`);
  return { atol, rtol: c.tolerance.rtol };
}

/** Compares one expected output (a tensor, a list of tensors, a nested list, or a number). */
export function compareOutput(actual: unknown, expected: unknown, tol: { atol: number; rtol: number }, what: string): void {
  if (typeof expected === 'number') {
    assert.ok(actual instanceof Tensor, `${what}: missing`);
    assertClose((actual as Tensor).item(), expected, tol, what);
  } else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: expected a list, got ${typeof actual}`);
    assert.equal((actual as unknown[]).length, expected.length, `${what}: list length`);
    expected.forEach((e, i) => compareOutput((actual as unknown[])[i], e, tol, `${what}[${i}]`));
  } else {
    assert.ok(actual instanceof Tensor, `${what}: missing`);
    assertClose(actual as Tensor, expected as FixtureArray, tol, what);
  }
}

/** Runs a forward case on `model` and compares every expected output. */
export function checkForwardCase(model: { forward(inputs: any): any }, c: any): void {
  const out = noGrad(() => model.forward(forwardInputs(c)));
  for (const [name, expected] of Object.entries(c.expected)) {
    compareOutput(out[camel(name)], expected, tolerance(c, name), `${c.name}.${name}`);
  }
}

export { loadCases };
