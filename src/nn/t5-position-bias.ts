/**
 * T5's relative position bias (Raffel et al., 2020, section 2.1; Shaw et al., 2018). Instead of
 * adding position embeddings to the input, T5 adds a learned scalar per head to each attention
 * score, looked up by the (bucketed) distance between the key and the query. Small distances get
 * a bucket each; larger ones share logarithmically wider buckets up to `maxDistance`.
 *
 * The encoder's buckets are bidirectional (keys before and after the query are told apart); the
 * decoder's are causal (only keys at or before the query matter). The bias is computed in each
 * stack's first block and shared by every block of the stack.
 */
import { embedding, Tensor } from '../tensor/index.js';

export interface BucketOptions {
  bidirectional: boolean;
  numBuckets: number;
  maxDistance: number;
}

const f32 = Math.fround;

/**
 * The bucket of `relativePosition` = memory (key) position - query position, as transformers'
 * T5Attention._relative_position_bucket computes it in float32 on the CPU.
 */
export function relativePositionBucket(relativePosition: number, options: BucketOptions): number {
  let numBuckets = options.numBuckets;
  let offset = 0;
  let distance: number;
  if (options.bidirectional) {
    numBuckets = Math.floor(numBuckets / 2);
    offset = relativePosition > 0 ? numBuckets : 0;
    distance = Math.abs(relativePosition);
  } else {
    distance = Math.max(-relativePosition, 0);
  }
  const maxExact = Math.floor(numBuckets / 2);
  if (distance < maxExact) return offset + distance;
  // log-spaced buckets, float32 arithmetic step by step like torch
  const ratio = f32(Math.log(f32(distance / maxExact)));
  const scaled = f32(f32(ratio / f32(Math.log(options.maxDistance / maxExact))) * (numBuckets - maxExact));
  const large = maxExact + Math.trunc(scaled);
  return offset + Math.min(large, numBuckets - 1);
}

/**
 * The bias [1, heads, queryLength, keyLength] for queries at positions queryOffset ..
 * queryOffset + queryLength - 1 (the offset is the cached past length when decoding step by
 * step) and keys at 0 .. keyLength - 1. `table` is the learned [numBuckets, heads] embedding.
 */
export function relativePositionBias(table: Tensor, queryLength: number, keyLength: number, queryOffset: number, options: BucketOptions): Tensor {
  const buckets = new Int32Array(queryLength * keyLength);
  for (let i = 0; i < queryLength; i++) {
    for (let j = 0; j < keyLength; j++) buckets[i * keyLength + j] = relativePositionBucket(j - (i + queryOffset), options);
  }
  const values = embedding(Tensor.fromArray(buckets, [queryLength, keyLength]), table); // [q, k, heads]
  return values.permute([2, 0, 1]).unsqueeze(0);
}
