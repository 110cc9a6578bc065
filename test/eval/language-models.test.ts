/** The byte n-gram LM, bits per byte of a causal LM, and the xz baseline. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { KneserNeyByteLM } from '../../src/eval/char-ngram-lm.js';
import { causalLmBits, chunkForScoring } from '../../src/eval/lm-bits.js';
import { xzBitsPerByte } from '../../src/eval/xz.js';
import type { GPT2LMHeadModel } from '../../src/models/index.js';
import { zeros, type Tensor } from '../../src/tensor/index.js';
import type { PreTrainedTokenizer } from '../../src/tokenizers/index.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);
const bytes = (s: string) => Buffer.from(s, 'utf8');

test('Kneser-Ney: the probabilities over the 256 bytes sum to 1 in seen, partly seen and unseen contexts', () => {
  const lm = new KneserNeyByteLM(5).fit(['the cat sat on the mat', 'the dog ate the hat', 'thee and thou', 'ünïcödé'].map(bytes));
  for (const context of ['the ', 'th', 'e ha', 'zzzz', '', 'xx t', 'ünï']) {
    let sum = 0;
    for (let w = 0; w < 256; w++) {
      const p = lm.probability(bytes(context), w);
      assert.ok(p > 0);
      sum += p;
    }
    close(sum, 1, 1e-12);
  }
  // a seen continuation is likelier than an unseen one
  assert.ok(lm.probability(bytes('the '), 'c'.charCodeAt(0)) > lm.probability(bytes('the '), 'q'.charCodeAt(0)));
});

test('Kneser-Ney order 1 by hand', () => {
  // order 1: raw byte counts of "aab": a 2, b 1 (N = 3, 2 types); n1 = 1 (b), n2 = 1 (a): D = 1/(1 + 2) = 1/3
  //   P(a) = (2 - 1/3)/3 + (1/3 * 2/3) * 1/256,  P(b) = (1 - 1/3)/3 + (2/9) / 256,  P(z) = (2/9) / 256
  const lm = new KneserNeyByteLM(1).fit([bytes('aab')]);
  close(lm.probability([], 97), 5 / 9 + 2 / 9 / 256);
  close(lm.probability([], 98), 2 / 9 + 2 / 9 / 256);
  close(lm.probability([], 122), 2 / 9 / 256);
});

test('an untrained byte LM is uniform: 8 bits per byte', () => {
  const lm = new KneserNeyByteLM(5).fit([]);
  const doc = bytes('any text at all, ünïcödé');
  close(lm.bits(doc) / doc.length, 8, 1e-12);
});

test('chunks for scoring predict every token after the first exactly once', () => {
  assert.deepEqual(chunkForScoring([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 4), [[0, 1, 2, 3], [3, 4, 5, 6], [6, 7, 8, 9]]);
  assert.deepEqual(chunkForScoring([0, 1, 2, 3, 4], 4), [[0, 1, 2, 3], [3, 4]]);
  assert.deepEqual(chunkForScoring([0, 1], 4), [[0, 1]]);
});

test('causal LM bits per byte: a uniform model over 256 byte tokens gives 8, across chunked documents', () => {
  // a stand-in model whose logits are all zero (uniform over 256 ids), with a 4-position window,
  // and a tokenizer mapping each UTF-8 byte to one id: every byte costs log2(256) = 8 bits
  const seen: number[][] = [];
  const model = {
    config: { nPositions: 4 },
    forward: ({ inputIds }: { inputIds: Tensor }) => {
      seen.push([...inputIds.shape]);
      return { logits: zeros([inputIds.shape[0], inputIds.shape[1], 256]) };
    },
  } as unknown as GPT2LMHeadModel;
  const tokenizer = { bosTokenId: 0, eosTokenId: 0, encode: (t: string) => [...bytes(t)] } as unknown as PreTrainedTokenizer;
  const docs = ['short', 'a somewhat longer document', 'ünï'];
  const r = causalLmBits(model, tokenizer, docs, { batchSize: 2 });
  const total = docs.reduce((s, d) => s + bytes(d).length, 0);
  assert.equal(r.bytes, total);
  assert.equal(r.tokens, total);
  close(r.bitsPerByte, 8, 1e-5);
  assert.ok(seen.every(([, length]) => length <= 4));
});

test('xz -9 bits per byte of a tiny text', (t) => {
  const text = 'the quick brown fox jumps over the lazy dog\n'.repeat(20);
  const r = xzBitsPerByte(text);
  if (r.bitsPerByte === null) {
    t.skip(`xz not available: ${'why' in r ? r.why : ''}`);
    return;
  }
  assert.ok('compressedBytes' in r);
  assert.equal(r.rawBytes, bytes(text).length);
  close(r.bitsPerByte, (r.compressedBytes * 8) / r.rawBytes);
  // measured independently: the same command's output length
  const direct = spawnSync('xz', ['-9', '-c'], { input: bytes(text) });
  assert.equal(r.compressedBytes, direct.stdout.length);
  // repetitive text compresses well below 8 bits per byte
  assert.ok(r.bitsPerByte < 2);
});
