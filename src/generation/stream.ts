/**
 * generateStream(model, inputIds, options): the tokens of greedy search or sampling as they are
 * generated, as an async iterator of items { index, tokenId, text, logprob?, topLogprobs?,
 * finishReason } (one per generated token and row). `text` is the new text of the row, never
 * half a character; with stopStrings the stop string and anything after it are never shown,
 * and text that could be the start of a stop string waits until it is known not to be.
 *
 * Between steps the iterator yields to the event loop, so an AbortSignal (options.signal) can
 * stop generation there; the rows still running then end with an item whose finishReason is
 * 'abort' (tokenId null). Breaking out of the for-await loop stops generation too.
 */
import { OptionError } from '../errors.js';
import type { GenerationOptions } from './configuration.js';
import type { TokenLogprob } from './logprobs.js';
import type { GenerativeModel } from './model-io.js';
import { prepareGeneration } from './prepare.js';
import { sampleSearch } from './sample-search.js';
import type { FinishReason } from './stopping/criteria.js';
import type { GenerateInput } from './ids.js';
import { StopTextFilter } from './stop-text.js';
import { TextDeltaDecoder } from './text-delta.js';

export interface StreamItem {
  /** The row: prompt i's sequence j is row i * numReturnSequences + j. */
  index: number;
  /** The generated token (null on the final item of an aborted row). */
  tokenId: number | null;
  /** New text of this row ('' when nothing new can be shown yet). */
  text: string;
  /** With outputLogprobs / topLogprobs. */
  logprob?: number;
  topLogprobs?: TokenLogprob[];
  /** Set on the row's last item. */
  finishReason: FinishReason | null;
}

export interface GenerateStreamOptions extends GenerationOptions {
  /** Skip special tokens (such as eos) in the text (default true). */
  skipSpecialTokens?: boolean;
}

const nextTick = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function* generateStream(
  model: GenerativeModel,
  inputIds: GenerateInput,
  options: GenerateStreamOptions = {},
): AsyncGenerator<StreamItem, void, void> {
  const p = prepareGeneration(model, inputIds, options);
  if (p.config.numBeams > 1) throw new OptionError('generateStream: numBeams must be 1 (beam search only knows its result at the end); use generate()');
  const tokenizer = p.config.tokenizer ?? null;
  const n = p.rows.length;
  const decoders = tokenizer ? Array.from({ length: n }, () => new TextDeltaDecoder(tokenizer, options.skipSpecialTokens ?? true)) : null;
  const stopStrings = p.config.stopStrings === null ? [] : typeof p.config.stopStrings === 'string' ? [p.config.stopStrings] : p.config.stopStrings;
  const filters = Array.from({ length: n }, () => new StopTextFilter(stopStrings));
  const done = new Array<boolean>(n).fill(false);
  const steps = sampleSearch(p);
  for (;;) {
    const next = steps.next();
    if (next.done) {
      // rows cut short by the abort signal
      for (let r = 0; r < n; r++) {
        if (done[r] || next.value.finishReasons[r] !== 'abort') continue;
        yield { index: r, tokenId: null, text: filters[r].end(decoders?.[r].flush() ?? ''), finishReason: 'abort' };
      }
      return;
    }
    const e = next.value;
    for (let r = 0; r < n; r++) {
      if (!e.active[r] || done[r]) continue;
      let text = decoders?.[r].push(e.tokens[r]) ?? '';
      let finishReason = e.finished[r];
      if (finishReason !== null) text += decoders?.[r].flush() ?? '';
      const filtered = filters[r].push(text);
      if (filtered.stopped) finishReason = 'stop';
      text = filtered.text;
      if (finishReason !== null && !filtered.stopped) text += filters[r].end('');
      const item: StreamItem = { index: r, tokenId: e.tokens[r], text, finishReason };
      if (e.logprobs) item.logprob = e.logprobs[r];
      if (e.topLogprobs && p.config.topLogprobs > 0) item.topLogprobs = e.topLogprobs[r];
      if (finishReason !== null) done[r] = true;
      yield item;
    }
    if (done.every(Boolean)) return;
    await nextTick();
  }
}
