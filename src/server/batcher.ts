/**
 * Batches the generations a worker receives: generations that arrive together (in the same
 * turn of the event loop) and sample alike (same temperature and top_p, no seed) run as the
 * rows of one generateStream call, left-padded to a common length. Each row keeps its own
 * max_tokens, stop sequences, penalties, logit_bias and client (row-controls.ts); a row that
 * ends early leaves the others running. A seeded generation runs alone, so its result does not
 * depend on its neighbours.
 *
 * At most `maxRunning` batches run side by side (one step each in turn: generateStream yields
 * between steps), so a long generation does not block a short one; generations arriving while
 * that many run wait, and start together as one batch when a batch finishes. Under load this
 * gathers the arrivals into full batches instead of many batches of one.
 */
import { generateStream, type GenerativeModel, type StreamItem } from '../generation/index.js';
import { StopTextFilter } from '../generation/stop-text.js';
import type { CompletionChunk, CompletionParams, CompletionResult, FinishReason, TokenLogprob } from './engine.js';
import type { LoadedModel } from './model-loader.js';
import { PenaltyProcessor, RowClosed, RowMaxTokens } from './row-controls.js';

export interface GenerationJob {
  /** The prompt's ids (at least one). */
  ids: number[];
  /** Tokens to generate (>= 1), already checked against the context. */
  maxTokens: number;
  params: CompletionParams;
  /** Stop sequences (the request's, plus the chat template's). */
  stops: string[];
  onChunk: (chunk: CompletionChunk) => void;
  signal: AbortSignal;
  resolve: (result: Omit<CompletionResult, 'promptTokens' | 'prompt'>) => void;
  reject: (err: unknown) => void;
}

/** One row's progress. */
class Row {
  readonly filter: StopTextFilter;
  text = '';
  readonly tokens: TokenLogprob[] = [];
  generated = 0;
  closed = false;

  constructor(readonly job: GenerationJob) {
    this.filter = new StopTextFilter(job.stops);
  }
}

export class Batcher {
  private pending: GenerationJob[] = [];
  private flushScheduled = false;
  private running = 0;
  /** Numbers seeded generations, each its own group. */
  private seeded = 0;
  private readonly specialIds: Set<number>;

  constructor(private readonly loaded: LoadedModel, private readonly maxBatch = 8, private readonly maxRunning = 2) {
    this.specialIds = new Set(loaded.tokenizer.allSpecialIds);
  }

  submit(job: GenerationJob): void {
    this.pending.push(job);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.running >= this.maxRunning) return; // a finishing batch flushes again
    const jobs = this.pending;
    this.pending = [];
    const groups = new Map<string, GenerationJob[][]>();
    for (const job of jobs) {
      if (job.signal.aborted) { job.reject(job.signal.reason); continue; }
      const p = job.params;
      const key = p.seed !== null ? `seed:${this.seeded++}` : p.temperature === 0 ? 'greedy' : `t${p.temperature}:p${p.topP}`;
      const batches = groups.get(key) ?? [];
      groups.set(key, batches);
      const last = batches[batches.length - 1];
      if (last && last.length < this.maxBatch && this.fits([...last, job])) last.push(job);
      else batches.push([job]);
    }
    for (const batch of [...groups.values()].flat()) {
      if (this.running >= this.maxRunning) {
        this.pending.push(...batch); // waits for a running batch to finish
        continue;
      }
      this.running++;
      void this.run(batch).finally(() => {
        this.running--;
        if (this.pending.length > 0) this.flush();
      });
    }
  }

  /** A decoder's rows share a padded prompt: the longest prompt plus the most tokens must fit the context. */
  private fits(jobs: GenerationJob[]): boolean {
    if (this.loaded.info.kind !== 'causal-lm') return true;
    const width = Math.max(...jobs.map((j) => j.ids.length));
    return width + Math.max(...jobs.map((j) => j.maxTokens)) <= this.loaded.info.contextLength;
  }

  private async run(jobs: GenerationJob[]): Promise<void> {
    const { model, tokenizer } = this.loaded;
    const rows = jobs.map((j) => new Row(j));
    const closed = new RowClosed(rows.length);
    const close = (r: number): void => { rows[r].closed = true; closed.closed[r] = true; };
    const listeners = rows.map((row, r) => {
      const onAbort = (): void => { if (!row.closed) { close(r); row.job.reject(row.job.signal.reason); } };
      row.job.signal.addEventListener('abort', onAbort, { once: true });
      return onAbort;
    });
    const pad = tokenizer.padTokenId ?? this.loaded.startTokenId ?? 0;
    const width = Math.max(...jobs.map((j) => j.ids.length));
    const inputIds = jobs.map((j) => [...new Array<number>(width - j.ids.length).fill(pad), ...j.ids]);
    const attentionMask = jobs.map((j) => [...new Array<number>(width - j.ids.length).fill(0), ...new Array<number>(j.ids.length).fill(1)]);
    const first = jobs[0].params;
    const inputLength = this.loaded.info.kind === 'causal-lm' ? width : 1;
    try {
      const stream = generateStream(model as unknown as GenerativeModel, inputIds, {
        attentionMask,
        maxNewTokens: Math.max(...jobs.map((j) => j.maxTokens)),
        // OpenAI's sampling is exactly temperature and top_p: the model folder's defaults are overridden
        doSample: first.temperature > 0,
        temperature: first.temperature > 0 ? first.temperature : 1,
        topP: first.topP > 0 ? first.topP : 1e-9,
        topK: 0, typicalP: 1, repetitionPenalty: 1, noRepeatNgramSize: 0, minLength: 0, minNewTokens: null,
        numBeams: 1, numReturnSequences: 1, badWordsIds: null, forcedBosTokenId: null, forcedEosTokenId: null,
        seed: first.seed,
        tokenizer,
        outputLogprobs: true,
        topLogprobs: Math.max(...jobs.map((j) => j.params.topLogprobs)),
        logitsProcessor: [new PenaltyProcessor(jobs.map((j) => j.params), inputLength)],
        stoppingCriteria: [new RowMaxTokens(jobs.map((j) => j.maxTokens), inputLength), closed],
      });
      for await (const item of stream) {
        const row = rows[item.index];
        if (!row.closed) this.step(row, item, () => close(item.index));
        if (rows.every((x) => x.closed)) break; // ends the generator, and with it the computation
      }
      // rows the stream ended without a finish reason (cannot happen unless aborted)
      rows.forEach((row, r) => { if (!row.closed) this.finish(row, 'length', () => close(r)); });
    } catch (err) {
      rows.forEach((row, r) => { if (!row.closed) { close(r); row.job.reject(err); } });
    } finally {
      rows.forEach((row, r) => row.job.signal.removeEventListener('abort', listeners[r]));
    }
  }

  /** One generated token of a row: its logprob, its text through the stop filter, maybe the end. */
  private step(row: Row, item: StreamItem, close: () => void): void {
    const { tokenizer } = this.loaded;
    const added: TokenLogprob[] = [];
    if (item.tokenId !== null) {
      row.generated++;
      // special tokens (eos) end the text but are not part of it, so they get no logprob entry
      if (!this.specialIds.has(item.tokenId)) {
        added.push({
          token: tokenizer.decode([item.tokenId]),
          logprob: item.logprob ?? null,
          top: (item.topLogprobs ?? []).slice(0, row.job.params.topLogprobs).map((t) => ({ token: tokenizer.decode([t.tokenId]), logprob: t.logprob })),
        });
      }
    }
    const shown = row.filter.push(item.text);
    if (shown.stopped) {
      this.emit(row, shown.text, added);
      this.finish(row, 'stop', close);
    } else if (item.finishReason !== null) {
      this.emit(row, shown.text + row.filter.end(''), added);
      this.finish(row, item.finishReason === 'length' ? 'length' : 'stop', close);
    } else {
      this.emit(row, shown.text, added);
    }
  }

  private emit(row: Row, text: string, tokens: TokenLogprob[]): void {
    row.tokens.push(...tokens);
    if (text === '' && tokens.length === 0) return;
    row.text += text;
    row.job.onChunk({ text, tokens });
  }

  private finish(row: Row, reason: FinishReason, close: () => void): void {
    close();
    row.job.resolve({ text: row.text, finishReason: reason, completionTokens: row.generated, tokens: row.tokens });
  }
}
