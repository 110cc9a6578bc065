/** Tiny models, a tiny tokenizer and temp folders for the training tests. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { Dropout, Embedding, Generator, Linear, Module, Tensor, crossEntropy } from '../../src/index.js';
import { PreTrainedTokenizer, bertFromVocab } from '../../src/tokenizers/index.js';
import type { Batch } from '../../src/index.js';

export function tempDir(prefix = 'kotoba-train-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Writes a file (gzipped when the name ends in .gz) into dir; returns its path. */
export function writeData(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(Buffer.from(text)) : text);
  return path;
}

export const WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'good', 'bad', 'movie', 'great', 'awful', 'is', 'was', 'a', 'fun', 'boring', 'play', '##ing', '##ed', 'and', 'not', '.', ','];

/** A WordPiece tokenizer over a 29-token vocabulary ([PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3, [MASK]=4). */
export function tinyTokenizer(): PreTrainedTokenizer {
  const vocab = new Map(['[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', ...WORDS].map((t, i) => [t, i] as [string, number]));
  return new PreTrainedTokenizer(bertFromVocab(vocab), {
    pad_token: '[PAD]', unk_token: '[UNK]', cls_token: '[CLS]', sep_token: '[SEP]', mask_token: '[MASK]', model_max_length: 64,
  });
}

/** Mean-pooled embeddings -> dropout -> linear: a classifier with a loss, as a model head would be. */
export class TinyClassifier extends Module {
  embed: Embedding;
  dropout: Dropout;
  head: Linear;

  constructor(vocab: number, classes: number, seed = 1, dropout = 0.1) {
    super();
    const generator = new Generator(seed);
    this.embed = new Embedding(vocab, 8, { generator });
    this.dropout = new Dropout(dropout);
    this.head = new Linear(8, classes, { generator });
  }

  override forward(batch: Batch): { loss?: Tensor; logits: Tensor } {
    const mask = batch.attentionMask.float().unsqueeze(-1);
    const pooled = this.embed.forward(batch.inputIds).mul(mask).sum(1).div(mask.sum(1));
    const logits = this.head.forward(this.dropout.forward(pooled));
    return { logits, ...(batch.labels ? { loss: crossEntropy(logits, batch.labels) } : {}) };
  }
}

/** Embedding -> linear over the vocabulary; causal (shifted) or masked (unshifted) LM loss. */
export class TinyLM extends Module {
  embed: Embedding;
  dropout: Dropout;
  head: Linear;

  constructor(readonly vocab: number, readonly causal = true, seed = 1) {
    super();
    const generator = new Generator(seed);
    this.embed = new Embedding(vocab, 8, { generator });
    this.dropout = new Dropout(0.1);
    this.head = new Linear(8, vocab, { generator });
  }

  override forward(batch: Batch): { loss: Tensor; logits: Tensor } {
    const logits = this.head.forward(this.dropout.forward(this.embed.forward(batch.inputIds)));
    const [b, l] = batch.inputIds.shape;
    const pred = this.causal ? logits.narrow(1, 0, l - 1) : logits;
    const target = this.causal ? batch.labels.narrow(1, 1, l - 1) : batch.labels;
    return { logits, loss: crossEntropy(pred.reshape([-1, this.vocab]), target.contiguous().reshape([-1])) };
  }
}

/** A labelled sentiment-like toy set: "good/great/fun" texts are positive. */
export function toySentiment(n: number, seed = 3): { text: string; label: string }[] {
  const g = new Generator(seed);
  const pos = ['good', 'great', 'fun'];
  const neg = ['bad', 'awful', 'boring'];
  const fill = ['the', 'movie', 'was', 'is', 'a', 'cat', 'dog', 'and'];
  const out: { text: string; label: string }[] = [];
  for (let i = 0; i < n; i++) {
    const positive = g.random() < 0.5;
    const words = Array.from({ length: 3 + g.randint(0, 4) }, () => fill[g.randint(0, fill.length)]);
    words.splice(g.randint(0, words.length + 1), 0, (positive ? pos : neg)[g.randint(0, 3)]);
    out.push({ text: words.join(' '), label: positive ? 'positive' : 'negative' });
  }
  return out;
}
