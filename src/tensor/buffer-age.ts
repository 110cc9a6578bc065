/**
 * When each typed-array buffer was first wrapped in a tensor's Storage, as a count of Storages
 * made so far. The backward pass uses it to tell a gradient a backward closure has just computed
 * (its memory is new, nobody else holds it) from one that reuses older memory — a saved tensor,
 * a user's constant, a view — which must be copied before being summed into in place.
 */
const firstSeen = new WeakMap<ArrayBufferLike, number>();
let storagesMade = 0;

/** Called by every Storage: stamps its buffer the first time it is seen. */
export function noteBuffer(buffer: ArrayBufferLike): void {
  storagesMade++;
  if (!firstSeen.has(buffer)) firstSeen.set(buffer, storagesMade);
}

/** The current count: buffers stamped after this moment are newer. */
export function bufferClock(): number {
  return storagesMade;
}

/** True when the buffer was first wrapped in a Storage after `clock`. */
export function isNewerThan(buffer: ArrayBufferLike, clock: number): boolean {
  const seen = firstSeen.get(buffer);
  return seen !== undefined && seen > clock;
}
