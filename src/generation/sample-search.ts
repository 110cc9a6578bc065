/**
 * Greedy search and multinomial sampling: transformers' GenerationMixin._sample, one step per
 * iteration of a generator so that generate() can run it to the end and generateStream() can
 * hand out each step's tokens as they come.
 *
 * Each step: forward the not-yet-cached positions, take the last position's logits, run the
 * logits processors, pick a token per row (argmax, or a draw when doSample), put pad in rows that
 * already finished (only when an eos is set, as transformers does), append, ask the stopping
 * criteria. The loop ends when every row has finished or the abort signal fired.
 */
import type { KeyValueCache } from '../nn/index.js';
import { noGrad, type Tensor } from '../tensor/index.js';
import { eosIds } from './configuration.js';
import { rowsToTensor } from './ids.js';
import { stepLogprobs, type TokenLogprob } from './logprobs.js';
import { forwardStep } from './model-io.js';
import type { PreparedGeneration } from './prepare.js';
import { greedyTokens, sampleTokens } from './sampling.js';
import { stepInputs } from './step-inputs.js';
import { applyCriteria, type FinishReason } from './stopping/criteria.js';

export interface StepEvent {
  /** The token appended to each row (pad for rows that had already finished). */
  tokens: number[];
  /** Rows still running when the step began (their token is a real one). */
  active: boolean[];
  /** For each row that finished with this step, why; null for the others. */
  finished: (FinishReason | null)[];
  /** With outputLogprobs: the chosen tokens' log-probabilities, and the top alternatives. */
  logprobs: number[] | null;
  topLogprobs: TokenLogprob[][] | null;
  /** The processed scores [rows, vocab] and the raw logits of the step. */
  scores: Tensor;
  logits: Tensor;
}

export interface SearchResult {
  rows: number[][];
  finishReasons: FinishReason[];
  cache: KeyValueCache | null;
}

export function* sampleSearch(p: PreparedGeneration): Generator<StepEvent, SearchResult, void> {
  const { config } = p;
  const rows = p.rows;
  const masks = p.masks;
  const n = rows.length;
  let cache: KeyValueCache | null = config.pastKeyValues ?? null;
  const reasons: (FinishReason | null)[] = new Array(n).fill(null);
  const padFinished = eosIds(config).length > 0 && config.padTokenId !== null;
  while (reasons.some((r) => r === null)) {
    if (config.signal?.aborted) {
      for (let r = 0; r < n; r++) if (reasons[r] === null) reasons[r] = 'abort';
      break;
    }
    const step = noGrad(() => forwardStep(p.model, stepInputs(p, rows, masks, cache, config.useCache)));
    cache = step.cache;
    const scores = noGrad(() => p.processors.process(rowsToTensor(rows), step.logits));
    const tokens = config.doSample ? sampleTokens(scores, p.generator) : greedyTokens(scores);
    const active = reasons.map((r) => r === null);
    if (padFinished) for (let r = 0; r < n; r++) if (!active[r]) tokens[r] = config.padTokenId as number;
    const lp = config.outputLogprobs ? stepLogprobs(step.logits, tokens, config.topLogprobs) : null;
    for (let r = 0; r < n; r++) {
      rows[r].push(tokens[r]);
      if (masks.length > 0) masks[r].push(1);
    }
    const stops = applyCriteria(p.criteria, rowsToTensor(rows), scores);
    const finished = stops.map((s, r) => (active[r] && s !== null ? s : null));
    finished.forEach((f, r) => { if (f !== null) reasons[r] = f; });
    yield { tokens, active, finished, logprobs: lp?.chosen ?? null, topLogprobs: lp?.top ?? null, scores, logits: step.logits };
  }
  return { rows, finishReasons: reasons as FinishReason[], cache };
}
