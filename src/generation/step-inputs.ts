/**
 * The inputs of one decoding step, as transformers' prepare_inputs_for_generation builds them.
 * With a cache only the positions not cached yet are fed; without one, the whole sequence.
 * Decoder-only models get position ids from the padding mask, so a left-padded prompt's first
 * real token is position 0: position_ids = cumsum(mask) - 1, with padding positions set to 1.
 */
import { Tensor } from '../tensor/index.js';
import { rowsToTensor } from './ids.js';
import type { DecoderStepInputs } from './model-io.js';
import type { PreparedGeneration } from './prepare.js';
import type { KeyValueCache } from '../nn/index.js';

/** Position ids [rows, count] of the last `count` positions of each mask row. */
export function positionIdsFromMask(masks: readonly (readonly number[])[], count: number): Tensor {
  const data = new Int32Array(masks.length * count);
  masks.forEach((m, r) => {
    let seen = 0;
    const start = m.length - count;
    for (let j = 0; j < m.length; j++) {
      seen += m[j];
      if (j >= start) data[r * count + j - start] = m[j] === 0 ? 1 : seen - 1;
    }
  });
  return Tensor.fromArray(data, [masks.length, count]);
}

export function stepInputs(p: PreparedGeneration, rows: readonly (readonly number[])[], masks: readonly (readonly number[])[], cache: KeyValueCache | null, useCache: boolean): DecoderStepInputs {
  const length = rows[0].length;
  const cached = cache ? cache.length : 0;
  const count = useCache ? length - cached : length;
  const ids = rowsToTensor(count === length ? rows : rows.map((r) => r.slice(length - count)));
  if (p.isEncoderDecoder) {
    return { ids, attentionMask: p.encoderMask!, encoderHiddenStates: p.encoderHiddenStates!, cache, useCache };
  }
  return { ids, attentionMask: rowsToTensor(masks), positionIds: positionIdsFromMask(masks, count), cache, useCache };
}
