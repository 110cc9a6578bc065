/**
 * StopStringCriteria: stops a row when its text ends with a stop string, with the semantics of
 * transformers' StopStringCriteria: the stop string must end inside the last token (which may
 * run past it, e.g. "stop" matches tokens ["st", "opper"]) and may start in earlier tokens
 * (or inside one: ["la", "stop"]); a stop string followed by further tokens does not match.
 *
 * Transformers precomputes token-level tables from the vocabulary; Kotoba decodes the last few
 * tokens instead, which gives the same answers for any tokenizer with a decode().
 */
import { OptionError } from '../../errors.js';
import type { Tensor } from '../../tensor/index.js';
import type { TokenizerLike } from '../configuration.js';
import { rowIds } from '../logits/processor.js';
import type { StoppingCriterion } from './criteria.js';

export class StopStringCriteria implements StoppingCriterion {
  readonly reason = 'stop' as const;
  readonly stopStrings: string[];
  private readonly window: number;

  constructor(readonly tokenizer: TokenizerLike, stopStrings: string | readonly string[]) {
    const list = typeof stopStrings === 'string' ? [stopStrings] : [...stopStrings];
    if (list.length === 0 || list.some((s) => typeof s !== 'string' || s.length === 0)) {
      throw new OptionError(`stopStrings must be a non-empty string or a list of them, got ${JSON.stringify(stopStrings)}`);
    }
    this.stopStrings = list;
    // a character takes at most 4 byte-level tokens; one more for a token overhanging the start
    this.window = 4 * Math.max(...list.map((s) => s.length)) + 2;
  }

  isDone(inputIds: Tensor): boolean[] {
    return Array.from({ length: inputIds.shape[0] }, (_, r) => this.rowMatches(rowIds(inputIds, r)));
  }

  /** Whether some stop string ends within the text of the last token of ids. */
  rowMatches(ids: ArrayLike<number>): boolean {
    if (ids.length === 0) return false;
    const tail = Array.from(ids).slice(-this.window);
    const text = this.tokenizer.decode(tail, { skipSpecialTokens: false });
    const before = this.tokenizer.decode(tail.slice(0, -1), { skipSpecialTokens: false });
    let common = 0;
    while (common < before.length && common < text.length && before[common] === text[common]) common++;
    return this.stopStrings.some((s) => {
      const at = text.lastIndexOf(s);
      return at >= 0 && at + s.length > common;
    });
  }
}
