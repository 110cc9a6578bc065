/**
 * Memory reuse inside a forward pass without gradients.
 *
 * A layer's intermediate results (its projections, attention output, feed-forward activations)
 * are dead once the layer returns, but JavaScript frees their typed arrays only when V8's
 * collector gets to them. BERT-base allocates ~66 MB of them per 128-token forward, and that
 * much new ArrayBuffer memory makes V8 collect again and again ("external memory pressure"):
 * on two threads, 30 forwards cost 65 young-generation collections and 6 full ones.
 *
 * `recycling(fn)` runs fn; afterwards the arrays fn allocated (through allocateUninitialized)
 * that its result does not reach go to a free list, and the next allocation of the same dtype
 * and length takes one from there instead of making a new array. With each layer of a model run
 * this way, layer 2 onwards reuse layer 1's memory: the same 30 forwards then cost 4 and 2
 * collections. The free list belongs to the outermost open scope and is dropped when it closes,
 * so nothing is held once the forward pass returns.
 *
 * Only what fn returns survives: every typed array reachable from its result (through tensors,
 * arrays and objects, a key/value cache included) is kept, and handed to the enclosing scope,
 * which decides in turn. So a scope may only wrap code that stores nothing it allocates anywhere
 * else: a model's layers, whose caches copy into memory of their own (nn/kv-cache.ts). With
 * gradients on, autograd saves intermediates for the backward pass, and nothing is recycled.
 * KOTOBA_POISON_UNINITIALIZED=1 (set by the test runner) fills every recycled array with NaN at
 * once, so that anything still reading one shows it in its results.
 */
import type { AnyArray, DType } from '../backend/types.js';
import { OptionError } from '../errors.js';
import { isGradEnabled } from './autograd.js';

/** Set by the test runner: memory a kernel must overwrite is filled with NaN (-1 for ids). */
export const poisonUninitialized = process.env.KOTOBA_POISON_UNINITIALIZED === '1';

/** Arrays smaller than this are not worth tracking (their cost is the object, not the memory). */
const RECYCLE_MIN_LENGTH = 4096;

/** KOTOBA_RECYCLE=0 turns recycling off (to rule it out when a result looks wrong). */
let enabled = process.env.KOTOBA_RECYCLE !== '0';

/** Turns recycling on or off for later scopes (tests compare the two); returns the previous setting. */
export function setRecycling(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/** The arrays allocated inside each open scope, innermost last. */
const scopes: AnyArray[][] = [];
/** Arrays free for reuse, by sizeKey; exists while a scope is open. */
let free: Map<number, AnyArray[]> | null = null;

/** One number for dtype and length: the length, negated for int32 (a Map lookup on a number, not a new string). */
const sizeKey = (dtype: DType, length: number) => (dtype === 'int32' ? -length : length);
const dtypeOf = (array: AnyArray): DType => (array instanceof Int32Array ? 'int32' : 'float32');

/** A free array of this dtype and length when a scope is open and one is free, else null. */
export function takeRecycled(dtype: DType, length: number): AnyArray | null {
  if (!free || length < RECYCLE_MIN_LENGTH) return null;
  return free.get(sizeKey(dtype, length))?.pop() ?? null;
}

/** Records an array allocated for a tensor, so the innermost open scope can recycle it. */
export function noteAllocated(array: AnyArray): void {
  if (scopes.length > 0 && array.length >= RECYCLE_MIN_LENGTH) scopes[scopes.length - 1].push(array);
}

/** Adds every ArrayBuffer reachable from value (typed arrays, and arrays or objects holding them) to found. */
function collectBuffers(value: unknown, found: Set<ArrayBufferLike>, seen: Set<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    found.add(value.buffer);
    return;
  }
  for (const v of Object.values(value)) collectBuffers(v, found, seen);
}

/**
 * Runs fn. Without gradients, the arrays fn allocated that its result does not reach are then
 * reused by later allocations inside the outermost scope. If fn throws, nothing is recycled.
 */
export function recycling<T>(fn: () => T): T {
  if (!enabled || isGradEnabled()) return fn();
  const outermost = scopes.length === 0;
  if (outermost) free = new Map();
  scopes.push([]);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    const allocated = scopes.pop()!;
    if (outermost) free = null;
    else scopes[scopes.length - 1].push(...allocated);
    throw error;
  }
  const allocated = scopes.pop()!;
  if (outermost) free = null;
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    // the promise's code may still use what fn allocated: recycle nothing, and say so
    if (!outermost) scopes[scopes.length - 1].push(...allocated);
    throw new OptionError('recycling(fn): fn returned a promise; only synchronous code can be scoped (its arrays would be reused while the promise still runs)');
  }
  if (outermost) return result;
  const kept = new Set<ArrayBufferLike>();
  collectBuffers(result, kept, new Set());
  const parent = scopes[scopes.length - 1];
  for (const array of allocated) {
    if (kept.has(array.buffer)) {
      parent.push(array);
      continue;
    }
    const dtype = dtypeOf(array);
    if (poisonUninitialized) array.fill(dtype === 'int32' ? -1 : NaN);
    const key = sizeKey(dtype, array.length);
    const list = free!.get(key);
    if (list) list.push(array);
    else free!.set(key, [array]);
  }
  return result;
}
