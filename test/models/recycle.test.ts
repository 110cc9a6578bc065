// Models recycle their layers' intermediates without gradients (tensor/recycle.ts). Shapes here
// are large enough for recycling to happen (the fixtures' tiny models stay under its threshold):
// every output must equal the one computed with recycling off, bit for bit, and must still equal
// it after later forward passes have reused the memory around it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setRecycling } from '../../src/tensor/recycle.js';
import {
  BertConfig, BertModel, Generator, GPT2Config, GPT2LMHeadModel, manualSeed, noGrad, randint,
  T5Config, T5ForConditionalGeneration, Tensor, cat, tensor,
} from '../../src/index.js';

/** Every tensor in a model output, by path, as plain numbers (a snapshot that later passes cannot change). */
function snapshot(value: unknown, path = 'out', into = new Map<string, number[]>()): Map<string, number[]> {
  if (value instanceof Tensor) into.set(path, Array.from(value.contiguousData()));
  else if (Array.isArray(value)) value.forEach((v, i) => snapshot(v, `${path}[${i}]`, into));
  else if (value && typeof value === 'object' && value.constructor === Object) {
    for (const [k, v] of Object.entries(value)) snapshot(v, `${path}.${k}`, into);
  }
  return into;
}

function assertSame(actual: Map<string, number[]>, expected: Map<string, number[]>, what: string): void {
  assert.deepEqual([...actual.keys()], [...expected.keys()], `${what}: the same outputs`);
  for (const [path, values] of expected) {
    const got = actual.get(path)!;
    const bad = values.findIndex((v, i) => !Object.is(v, got[i]));
    assert.equal(bad, -1, `${what}: ${path}[${bad}] is ${got[bad]}, expected ${values[bad]}`);
  }
}

/** Without gradients, recycling off then on (twice more, other inputs in between): identical outputs that stay so. */
function checkModel(name: string, forward: (inputs: object) => object, inputs: object, other: object): void {
  setRecycling(false);
  const reference = snapshot(noGrad(() => forward(inputs)));
  setRecycling(true);
  const first = noGrad(() => forward(inputs));
  const firstValues = snapshot(first);
  noGrad(() => forward(other));
  noGrad(() => forward(inputs));
  assertSame(firstValues, reference, `${name}, recycled`);
  assertSame(snapshot(first), reference, `${name}, kept outputs after two more passes`);
}

const padded = (batch: number, length: number, pad: number) =>
  tensor(Array.from({ length: batch }, (_, b) => Array.from({ length }, (_, t) => (b === 1 && t >= length - pad ? 0 : 1))), { dtype: 'int32' });

test('BERT: recycled layers give the same hidden states, attentions and pooler output', () => {
  manualSeed(1);
  const model = new BertModel(new BertConfig({ vocab_size: 100, hidden_size: 64, num_hidden_layers: 3, num_attention_heads: 4, intermediate_size: 256 })).eval();
  const inputs = { inputIds: randint(0, 100, [2, 48]), attentionMask: padded(2, 48, 9), outputHiddenStates: true, outputAttentions: true };
  checkModel('BERT', (i) => model.forward(i as never), inputs, { inputIds: randint(0, 100, [2, 48]) });
  checkModel('BERT, last hidden state only', (i) => model.forward(i as never), { inputIds: inputs.inputIds }, { inputIds: randint(0, 100, [2, 48]) });
});

test('GPT-2: recycled blocks give the same logits and hidden states; a cache filled without gradients decodes the same', () => {
  manualSeed(2);
  const config = new GPT2Config({ vocab_size: 300, n_embd: 64, n_layer: 3, n_head: 4, n_positions: 128 });
  const model = new GPT2LMHeadModel(config, { generator: new Generator(2) }).eval();
  const ids = randint(0, 300, [2, 40]);
  checkModel('GPT-2', (i) => model.forward(i as never), { inputIds: ids, attentionMask: padded(2, 40, 5), outputHiddenStates: true }, { inputIds: randint(0, 300, [2, 40]) });
  // the prefix fills the cache inside recycled blocks; the cache must hold exactly the keys and values
  const steps = randint(0, 300, [2, 3]);
  const full = snapshot(model.forward({ inputIds: cat([ids, steps], 1) }).logits.narrow(1, 40, 3));
  const cached = noGrad(() => {
    let out = model.forward({ inputIds: ids, useCache: true });
    const logits: Tensor[] = [];
    for (let t = 0; t < 3; t++) {
      out = model.forward({ inputIds: steps.narrow(1, t, 1), pastKeyValues: out.pastKeyValues, useCache: true });
      logits.push(out.logits);
    }
    return cat(logits, 1);
  });
  const [a, b] = [snapshot(cached).get('out')!, full.get('out')!];
  const worst = Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  assert.ok(worst < 1e-5, `cached decoding differs from the full forward by ${worst}`);
});

test('T5: recycled encoder and decoder blocks give the same logits, cross-attentions and encoder states', () => {
  manualSeed(3);
  const model = new T5ForConditionalGeneration(new T5Config({
    vocab_size: 120, d_model: 64, d_kv: 16, d_ff: 256, num_layers: 2, num_decoder_layers: 2, num_heads: 4,
    feed_forward_proj: 'gated-gelu', tie_word_embeddings: false, decoder_start_token_id: 0, pad_token_id: 0, eos_token_id: 1,
  })).eval();
  const inputs = {
    inputIds: randint(2, 120, [2, 72]), attentionMask: padded(2, 72, 11), decoderInputIds: randint(2, 120, [2, 70]),
    labels: randint(2, 120, [2, 70]), outputHiddenStates: true, outputAttentions: true,
  };
  checkModel('T5', (i) => model.forward(i as never), inputs, { inputIds: randint(2, 120, [2, 72]), decoderInputIds: randint(2, 120, [2, 70]) });
});
