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
 * collections. The free list belongs to the outermost open scope. When that scope closes, what
 * it allocated and its result does not reach joins the list too, and the list is kept for the
 * next outermost scope, so the next forward pass reuses this one's memory rather than making
 * new arrays (new ArrayBuffer memory is what starts V8's full collections: on two threads,
 * BERT-base at 128 tokens ran one every ~9 forwards, ~20 ms of marking each). What is kept is
 * bounded: only sizes the latest outermost scope asked for or freed stay, and all of it is
 * dropped after RELEASE_AFTER_MS without a scope opening, so an idle process holds nothing.
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
  releaseKept();
  return previous;
}

/** The arrays allocated inside each open scope, innermost last. */
const scopes: AnyArray[][] = [];
/** Arrays free for reuse, by sizeKey; exists while a scope is open. */
let free: Map<number, AnyArray[]> | null = null;
/** The sizes the current outermost scope asked for or freed: the only ones kept after it. */
let sizesUsed = new Set<number>();
/** The free list between outermost scopes, until the release timer drops it. */
let kept: Map<number, AnyArray[]> | null = null;
let releaseTimer: ReturnType<typeof setTimeout> | null = null;
/** How long the free list outlives the last outermost scope. */
const RELEASE_AFTER_MS = 2000;

/** One number for dtype and length: the length, negated for int32 (a Map lookup on a number, not a new string). */
const sizeKey = (dtype: DType, length: number) => (dtype === 'int32' ? -length : length);
const dtypeOf = (array: AnyArray): DType => (array instanceof Int32Array ? 'int32' : 'float32');

/** A free array of this dtype and length when a scope is open and one is free, else null. */
export function takeRecycled(dtype: DType, length: number): AnyArray | null {
  if (!free || length < RECYCLE_MIN_LENGTH) return null;
  const key = sizeKey(dtype, length);
  sizesUsed.add(key);
  return free.get(key)?.pop() ?? null;
}

/** Drops the free list kept between outermost scopes. */
function releaseKept(): void {
  kept = null;
  if (releaseTimer) clearTimeout(releaseTimer);
  releaseTimer = null;
}

/** Opens the outermost scope's free list: the one kept from the last outermost scope, if any. */
function openFreeList(): void {
  free = kept ?? new Map();
  sizesUsed = new Set();
  releaseKept();
}

/** Closes the outermost scope's free list: keeps the sizes it used, for the next outermost scope, for a while. */
function closeFreeList(): void {
  const list = free!;
  free = null;
  for (const key of list.keys()) if (!sizesUsed.has(key)) list.delete(key);
  if (list.size === 0) return;
  kept = list;
  releaseTimer = setTimeout(releaseKept, RELEASE_AFTER_MS);
  releaseTimer.unref?.();
}

/** Puts the arrays of `allocated` that `result` does not reach on the free list; hands the others to `keep`. */
function recycleUnreached(allocated: AnyArray[], result: unknown, keep: ((array: AnyArray) => void) | null): void {
  const reached = new Set<ArrayBufferLike>();
  collectBuffers(result, reached, new Set());
  for (const array of allocated) {
    if (reached.has(array.buffer)) {
      keep?.(array);
      continue;
    }
    const dtype = dtypeOf(array);
    if (poisonUninitialized) array.fill(dtype === 'int32' ? -1 : NaN);
    const key = sizeKey(dtype, array.length);
    sizesUsed.add(key);
    const list = free!.get(key);
    if (list) list.push(array);
    else free!.set(key, [array]);
  }
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
  if (outermost) openFreeList();
  scopes.push([]);
  let result: T;
  try {
    result = fn();
  } catch (error) {
    const allocated = scopes.pop()!;
    if (outermost) {
      free = null;
      releaseKept();
    } else {
      scopes[scopes.length - 1].push(...allocated);
    }
    throw error;
  }
  const allocated = scopes.pop()!;
  if (typeof (result as { then?: unknown } | null)?.then === 'function') {
    // the promise's code may still use what fn allocated: recycle nothing, and say so
    if (outermost) free = null;
    else scopes[scopes.length - 1].push(...allocated);
    throw new OptionError('recycling(fn): fn returned a promise; only synchronous code can be scoped (its arrays would be reused while the promise still runs)');
  }
  if (outermost) {
    recycleUnreached(allocated, result, null);
    closeFreeList();
    return result;
  }
  const parent = scopes[scopes.length - 1];
  recycleUnreached(allocated, result, (array) => parent.push(array));
  return result;
}
