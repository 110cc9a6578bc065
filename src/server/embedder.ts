/**
 * Sentence embeddings from an encoder (BERT): the inputs of every embedding request that arrives
 * in the same turn of the event loop run as one padded batch through the model. Pooling is the
 * mean of the last hidden states over the real (unpadded) tokens, [CLS] and [SEP] included as
 * sentence-transformers does, or the [CLS] state when the folder's 1_Pooling/config.json says so.
 */
import { noGrad, Tensor } from '../tensor/index.js';
import type { EmbeddingResult } from './engine.js';
import { invalid } from './errors.js';
import type { LoadedModel } from './model-loader.js';

interface EmbedJob {
  rows: number[][];
  signal: AbortSignal;
  resolve: (r: EmbeddingResult) => void;
  reject: (err: unknown) => void;
}

export class Embedder {
  private pending: EmbedJob[] = [];
  private scheduled = false;

  constructor(private readonly loaded: LoadedModel, private readonly maxRows = 32) {}

  embed(inputs: (string | number[])[], signal: AbortSignal): Promise<EmbeddingResult> {
    const { tokenizer, info } = this.loaded;
    const rows = inputs.map((x) => (typeof x === 'string' ? tokenizer.encode(x) : x));
    rows.forEach((r, i) => {
      if (r.length > info.contextLength) {
        throw invalid('input', `Input ${i} has ${r.length} tokens; this model's maximum context length is ${info.contextLength} tokens. Please reduce the length of the input.`, 'context_length_exceeded');
      }
    });
    return new Promise((resolve, reject) => {
      this.pending.push({ rows, signal, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const jobs = this.pending.filter((j) => {
      if (j.signal.aborted) j.reject(j.signal.reason);
      return !j.signal.aborted;
    });
    this.pending = [];
    // consecutive jobs together, up to maxRows rows (a single larger request runs alone)
    let batch: EmbedJob[] = [];
    let count = 0;
    for (const job of jobs) {
      if (batch.length > 0 && count + job.rows.length > this.maxRows) {
        this.run(batch);
        batch = [];
        count = 0;
      }
      batch.push(job);
      count += job.rows.length;
    }
    if (batch.length > 0) this.run(batch);
  }

  private run(jobs: EmbedJob[]): void {
    try {
      const all = jobs.flatMap((j) => j.rows);
      const vectors = this.forward(all);
      let at = 0;
      for (const job of jobs) {
        const embeddings = vectors.slice(at, at + job.rows.length);
        at += job.rows.length;
        job.resolve({ embeddings, promptTokens: job.rows.reduce((s, r) => s + r.length, 0) });
      }
    } catch (err) {
      for (const job of jobs) job.reject(err);
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
