/**
 * fill-mask: the most likely tokens for the tokenizer's mask token ([MASK]), as transformers'
 * FillMaskPipeline gives them.
 *
 * - The scores are the softmax of the logits at the mask over the whole vocabulary; with
 *   `targets` only those tokens are kept (their probabilities are not renormalised) and topK is
 *   capped to their number. A target that is not a vocabulary entry is tokenized and its first
 *   token is used instead, with a warning.
 * - Each candidate is { score, token, token_str, sequence }: `sequence` is the input decoded with
 *   the candidate in place of the mask (special tokens skipped when there is one mask; with
 *   several masks the other masks stay, as in transformers), `token_str` the candidate decoded.
 * - One mask -> a list of topK candidates (best first); several masks -> one such list per mask;
 *   a list of texts -> one result per text. A text without the mask token is an error.
 */
import { OptionError } from '../errors.js';
import { noGrad } from '../tensor/index.js';
import { checkTexts, contextLength, encodeText, Pipeline, positiveInt, rows, softmax } from './base.js';

export interface FillMaskOptions {
  /** Candidates per mask (default 5). */
  topK?: number;
  /** Only score these tokens (words of the vocabulary). */
  targets?: string | string[];
  /** Receives the warning about targets that are not vocabulary entries (default console.warn). */
  onWarning?: (message: string) => void;
}

export interface FillMaskResult {
  score: number;
  token: number;
  token_str: string;
  sequence: string;
}

/** One text's result: candidates for its mask, or one list per mask when it has several. */
export type FillMaskOutput = FillMaskResult[] | FillMaskResult[][];

export interface FillMaskPipeline {
  (inputs: string, options?: FillMaskOptions): Promise<FillMaskOutput>;
  (inputs: string[], options?: FillMaskOptions): Promise<FillMaskOutput[]>;
}

export class FillMaskPipeline extends Pipeline<FillMaskOptions> {
  async run(inputs: string | string[], options?: FillMaskOptions): Promise<FillMaskOutput | FillMaskOutput[]> {
    const opts = this.merged(options);
    let topK = positiveInt(opts.topK, `${this.task}: topK`) ?? 5;
    const maskId = this.tokenizer.maskTokenId;
    if (maskId === null) throw new OptionError(`${this.task}: the tokenizer of ${this.modelName} has no mask token, so it cannot fill masks; use a masked-LM model such as kotoba-bert-mini`);
    const targets = opts.targets === undefined ? null : this.targetIds(opts.targets, opts.onWarning ?? ((m) => console.warn(m)));
    if (targets !== null) topK = Math.min(topK, targets.length);
    const { texts, batched } = checkTexts(this.task, inputs);
    const results = texts.map((text, i) => this.fill(text, i, maskId, topK, targets, batched));
    return batched ? results : results[0];
  }

  private fill(text: string, item: number, maskId: number, topK: number, targets: number[] | null, batched: boolean): FillMaskOutput {
    const enc = encodeText(this.tokenizer, text, null, contextLength(this.model, this.tokenizer));
    const positions = enc.ids.flatMap((id, i) => (id === maskId ? [i] : []));
    if (positions.length === 0) {
      throw new OptionError(`${this.task}: no mask token (${this.tokenizer.maskToken}) in the input${batched ? ` ${item}` : ''}; put ${this.tokenizer.maskToken} where a word should be predicted`);
    }
    const logits = noGrad(() => this.model.forward({ inputIds: [enc.ids], tokenTypeIds: [enc.typeIds] }).logits);
    const vocab = logits.shape[2];
    const perToken = rows(logits.contiguousData(), enc.length, vocab);
    const single = positions.length === 1;
    const perMask = positions.map((position) => {
      const probs = softmax(perToken[position]);
      const candidates = targets ?? Array.from({ length: vocab }, (_, id) => id);
      // the topK most likely (ties: the smaller id first, as a stable sort keeps them)
      const best = [...candidates].sort((a, b) => probs[b] - probs[a] || a - b).slice(0, topK);
      return best.map((token) => {
        const ids = enc.ids.slice();
        ids[position] = token;
        const pad = this.tokenizer.padTokenId;
        return {
          score: probs[token],
          token,
          token_str: this.tokenizer.decode([token]),
          sequence: this.tokenizer.decode(ids.filter((id) => id !== pad), { skipSpecialTokens: single }),
        };
      });
    });
    return single ? perMask[0] : perMask;
  }

  /** transformers' get_target_ids: vocabulary entries, else the first token of the target's tokenization. */
  private targetIds(targets: string | string[], warn: (m: string) => void): number[] {
    const list = typeof targets === 'string' ? [targets] : targets;
    if (!Array.isArray(list) || list.some((t) => typeof t !== 'string')) throw new OptionError(`${this.task}: targets must be a string or an array of strings`);
    const vocab = this.tokenizer.getVocab();
    const ids: number[] = [];
    for (const target of list) {
      let id = vocab.get(target);
      if (id === undefined) {
        const tokens = this.tokenizer.encode(target, { addSpecialTokens: false });
        if (tokens.length === 0) {
          warn(`${this.task}: the target ${JSON.stringify(target)} is not in the vocabulary and tokenizes to nothing; ignoring it`);
          continue;
        }
        id = tokens[0];
        warn(`${this.task}: the target ${JSON.stringify(target)} is not in the vocabulary; using its first token ${JSON.stringify(this.tokenizer.convertIdsToTokens(id))}`);
      }
      if (!ids.includes(id)) ids.push(id);
    }
    if (ids.length === 0) throw new OptionError(`${this.task}: targets must name at least one token`);
    return ids;
  }
}
