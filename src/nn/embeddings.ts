/**
 * Learned absolute position embeddings (BERT, GPT-2; Devlin et al., 2019, section 3): position p
 * gets a learned vector added to its token's embedding, and BERT adds a third, the segment
 * ("token type") embedding, telling sentence A from sentence B.
 */
import { arange, zeros, type Tensor } from '../tensor/index.js';

/** Position ids [1, length]: pastLength, pastLength + 1, ... (broadcast over the batch). */
export function defaultPositionIds(length: number, pastLength = 0): Tensor {
  return arange(pastLength, pastLength + length).view([1, length]);
}

/** Token type ids [batch, length] of zeros: every token in segment A. */
export function defaultTokenTypeIds(batch: number, length: number): Tensor {
  return zeros([batch, length], { dtype: 'int32' });
}
