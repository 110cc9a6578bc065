/** generateStream: tokens and text deltas as they come, never half a character; stop strings; abort. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generate, generateStream, TextDeltaDecoder, type StreamItem } from '../../src/generation/index.js';
import { byteTokenizer, scriptedModel, utf8 } from './fake.js';
import { fixtureModel, rowsOf } from './helpers.js';

async function collect(it: AsyncIterable<StreamItem>): Promise<StreamItem[]> {
  const out: StreamItem[] = [];
  for await (const item of it) out.push(item);
  return out;
}

test('text deltas never split a multi-byte character, and add up to the decoded text', async () => {
  const text = 'héllo 日本語 🎌!';
  const model = scriptedModel(utf8(text));
  const items = await collect(generateStream(model, [[65]], { tokenizer: byteTokenizer, maxNewTokens: 40 }));
  for (const it of items) assert.ok(!it.text.includes('\uFFFD'), `delta ${JSON.stringify(it.text)}`);
  assert.equal(items.map((i) => i.text).join(''), text);
  assert.equal(items.length, utf8(text).length + 1, 'one item per token, the eos included');
  assert.equal(items[items.length - 1].tokenId, 259);
  assert.equal(items[items.length - 1].finishReason, 'stop');
  assert.ok(items.slice(0, -1).every((i) => i.finishReason === null));
  // the 4-byte emoji: three tokens with no text, then the whole character
  const emoji = items.findIndex((i) => i.text === '🎌');
  assert.deepEqual(items.slice(emoji - 3, emoji).map((i) => i.text), ['', '', '']);
});

test('the stream gives the tokens of generate(), and a length finish', async () => {
  const model = await fixtureModel('gpt2-tiny');
  const prompt = [[29, 27, 22, 24, 40, 81, 7]];
  const tokens = rowsOf(generate(model, prompt, { maxNewTokens: 6 }))[0].slice(7);
  const items = await collect(generateStream(model, prompt, { maxNewTokens: 6, outputLogprobs: true }));
  assert.deepEqual(items.map((i) => i.tokenId), tokens);
  assert.equal(items[5].finishReason, 'length');
  assert.ok(items.every((i) => typeof i.logprob === 'number' && i.logprob <= 0));
});

test('stop strings: generation stops, the stop string is never shown, nor a prefix of it that came true', async () => {
  const model = scriptedModel(utf8('abc</s>def'));
  const items = await collect(generateStream(model, [[65]], { tokenizer: byteTokenizer, maxNewTokens: 20, stopStrings: ['</s>'] }));
  assert.equal(items.map((i) => i.text).join(''), 'abc');
  assert.equal(items[items.length - 1].finishReason, 'stop');
  assert.equal(items.length, 7, 'stops at the token that completes the stop string');
  // generate() keeps the stop string's tokens in the sequence, as transformers does
  model.reset();
  const out = generate(model, [[65]], { tokenizer: byteTokenizer, maxNewTokens: 20, stopStrings: '</s>', returnDictInGenerate: true });
  assert.equal(byteTokenizer.decode(rowsOf(out.sequences)[0].slice(1)), 'abc</s>');
  assert.deepEqual(out.finishReasons, ['stop']);
  // a prefix that does not come true is shown after all
  model.reset();
  const scripted = scriptedModel(utf8('a</b'));
  const more = await collect(generateStream(scripted, [[65]], { tokenizer: byteTokenizer, maxNewTokens: 4, stopStrings: ['</s>'] }));
  assert.equal(more.map((i) => i.text).join(''), 'a</b');
  assert.equal(more[more.length - 1].finishReason, 'length');
});

test('an abort signal stops generation between steps', async () => {
  const model = scriptedModel(utf8('abcdefghijklmnop'));
  const controller = new AbortController();
  const items: StreamItem[] = [];
  for await (const it of generateStream(model, [[65]], { tokenizer: byteTokenizer, maxNewTokens: 16, signal: controller.signal })) {
    items.push(it);
    if (items.length === 3) controller.abort();
  }
  assert.equal(items.length, 4);
  assert.deepEqual(items[3], { index: 0, tokenId: null, text: '', finishReason: 'abort' });
  assert.equal(items.slice(0, 3).map((i) => i.text).join(''), 'abc');
  assert.equal(model.calls, 3, 'no forward pass after the abort');
});

test('beam search cannot stream', async () => {
  const model = await fixtureModel('gpt2-tiny');
  await assert.rejects(collect(generateStream(model, [[1, 2]], { numBeams: 2 })), /numBeams must be 1/);
});

test('TextDeltaDecoder holds back incomplete characters and flushes at the end', () => {
  const d = new TextDeltaDecoder(byteTokenizer);
  const bytes = utf8('é');
  assert.equal(d.push(bytes[0]), '');
  assert.equal(d.push(bytes[1]), 'é');
  assert.equal(d.push(0xe6), '');
  assert.equal(d.flush(), '\uFFFD');
});

test('text deltas of the fixture GPT-2 and T5 tokenizers add up to decode(), long texts included', async () => {
  const { AutoTokenizer } = await import('../../src/index.js');
  const { FIXTURES } = await import('../helpers/fixtures.js');
  const text = 'Kotoba means 言葉 — words.  Ünïcödé 🎌 ok\n'.repeat(12);
  for (const name of ['gpt2', 't5-unigram']) {
    const tok = await AutoTokenizer.fromFolder(`${FIXTURES}/tokenizers/${name}`);
    const ids = tok.encode(text, { addSpecialTokens: false });
    const d = new TextDeltaDecoder(tok);
    const parts = ids.map((i: number) => d.push(i));
    parts.push(d.flush());
    assert.ok(parts.every((p: string) => !p.includes('\uFFFD')), name);
    assert.equal(parts.join(''), tok.decode(ids, { skipSpecialTokens: true }), name);
    assert.ok(ids.length > 200, 'long enough to move the decoding window');
  }
});
