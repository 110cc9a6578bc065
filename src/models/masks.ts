/** Attention masks as the models use them. */
import { paddingMaskToAdditive } from '../nn/index.js';
import type { Tensor } from '../tensor/index.js';

/**
 * The additive mask [batch, 1, 1, keyLength] for a 1/0 padding mask, or null when nothing is
 * padded (adding zeros changes nothing, so the kernel is spared the mask).
 */
export function additiveMaskOrNull(attentionMask: Tensor): Tensor | null {
  const values = attentionMask.contiguousData();
  for (let i = 0; i < values.length; i++) if (values[i] === 0) return paddingMaskToAdditive(attentionMask);
  return null;
}
