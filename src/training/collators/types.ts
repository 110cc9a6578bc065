import type { Generator, Tensor } from '../../tensor/index.js';
import type { Example } from '../data/example.js';

/** A batch: model inputs by forward() argument name (inputIds, attentionMask, labels, ...). */
export type Batch = Record<string, Tensor>;

/**
 * Turns a list of examples into one padded batch. Random collators (masking, span corruption)
 * draw from the generator they are given, which the Trainer owns and checkpoints.
 */
export interface Collator {
  collate(examples: readonly Example[], generator: Generator): Batch;
}
