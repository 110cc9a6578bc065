/**
 * Sentence embeddings from an encoder (BERT): the inputs of every embedding request that arrives
 * in the same turn of the event loop run together, in padded batches of up to maxRows inputs,
 * yielding to the event loop between batches (so a request with thousands of inputs neither
 * holds up other work for long nor keeps running after its client left). Pooling is the
 * mean of the last hidden states over the real (unpadded) tokens, [CLS] and [SEP] included as
 * sentence-transformers does, or the [CLS] state when the folder's 1_Pooling/config.json says so.
 */
import { noGrad, Tensor } from '../tensor/index.js';
import type { EmbeddingResult } from './engine.js';
import { invalid } from './errors.js';
import type { LoadedModel } from './model-loader.js';

interface EmbedJob {
  rows: number[][];
  vectors: Float32Array[];
  signal: AbortSignal;
  resolve: (r: EmbeddingResult) => void;
  reject: (err: unknown) => void;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class Embedder {
  private pending: EmbedJob[] = [];
  private scheduled = false;

  constructor(private readonly loaded: LoadedModel, private readonly maxRows = 64) {}

  embed(inputs: (string | number[])[], signal: AbortSignal): Promise<EmbeddingResult> {
    const { tokenizer, info } = this.loaded;
    const rows = inputs.map((x) => (typeof x === 'string' ? tokenizer.encode(x) : x));
    rows.forEach((r, i) => {
      if (r.length > info.contextLength) {
        throw invalid('input', `Input ${i} has ${r.length} tokens; this model's maximum context length is ${info.contextLength} tokens. Please reduce the length of the input.`, 'context_length_exceeded');
      }
    });
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, vectors: [], signal, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const jobs = this.pending;
    this.pending = [];
    // the rows of every job, in order; a batch may hold rows of several jobs
    const work = jobs.flatMap((job) => job.rows.map((row) => ({ job, row })));
    for (let at = 0; at < work.length; at += this.maxRows) {
      const batch = work.slice(at, at + this.maxRows).filter((w) => !w.job.signal.aborted);
      if (batch.length > 0) {
        try {
          this.forward(batch.map((w) => w.row)).forEach((v, i) => batch[i].job.vectors.push(v));
        } catch (err) {
          for (const w of batch) w.job.reject(err);
        }
      }
      if (at + this.maxRows < work.length) await nextTurn();
    }
    for (const job of jobs) {
      if (job.signal.aborted) job.reject(job.signal.reason);
      else if (job.vectors.length === job.rows.length) job.resolve({ embeddings: job.vectors, promptTokens: job.rows.reduce((s, r) => s + r.length, 0) });
    }
  }

  /** Right-padded batch -> last hidden states -> one pooled vector per row. */
  private forward(rows: number[][]): Float32Array[] {
    const width = Math.max(...rows.map((r) => r.length));
    const pad = this.loaded.tokenizer.padTokenId ?? 0;
    const ids = new Int32Array(rows.length * width).fill(pad);
    const mask = new Int32Array(rows.length * width);
    rows.forEach((r, i) => {
      ids.set(r, i * width);
      mask.fill(1, i * width, i * width + r.length);
    });
    const hidden = noGrad(() => (this.loaded.model.forward({
      inputIds: Tensor.fromArray(ids, [rows.length, width]),
      attentionMask: Tensor.fromArray(mask, [rows.length, width]),
    }) as { lastHiddenState: Tensor }).lastHiddenState);
    const size = hidden.shape[2];
    const data = hidden.contiguousData() as Float32Array;
    return rows.map((r, i) => {
      const out = new Float32Array(size);
      const count = this.loaded.pooling === 'cls' ? 1 : r.length;
      for (let t = 0; t < count; t++) {
        const base = (i * width + t) * size;
        for (let k = 0; k < size; k++) out[k] += data[base + k];
      }
      for (let k = 0; k < size; k++) out[k] /= count;
      return out;
    });
  }
}
