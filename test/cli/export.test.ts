/**
 * `kotoba export --format hf --dtype f16|bf16`: the folder loads, and its weights are the
 * original float32 weights rounded to float16 / bfloat16 (the rounding computed here, round to
 * nearest even, independently of src/hub/half.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutoConfig, AutoModelForCausalLM, AutoTokenizer, openSafetensors, readModelFolder, readSafetensors } from '../../src/index.js';
import { tinyTokenizer } from '../training/helpers.js';
import { kotoba, oneLine, tempDir } from './helpers.js';

/** x rounded to the nearest float16 (ties to even), overflow to ±Infinity. */
function roundToFloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let quantum: number;
  if (a < 2 ** -14) {
    quantum = 2 ** -24; // subnormals
  } else {
    let e = Math.floor(Math.log2(a));
    if (2 ** e > a) e--;
    if (2 ** (e + 1) <= a) e++;
    quantum = 2 ** (e - 10);
  }
  const q = a / quantum;
  let n = Math.floor(q);
  if (q - n > 0.5 || (q - n === 0.5 && n % 2 === 1)) n++;
  const r = n * quantum;
  return Math.sign(x) * (r > 65504 ? Infinity : r);
}

/** x (a float32) rounded to the nearest bfloat16 (ties to even): 8 bits of mantissa. */
function roundToBfloat16(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  const a = Math.abs(x);
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  if (2 ** (e + 1) <= a) e++;
  const quantum = 2 ** (Math.max(e, -126) - 7);
  const q = a / quantum;
  let n = Math.floor(q);
  if (q - n > 0.5 || (q - n === 0.5 && n % 2 === 1)) n++;
  const r = n * quantum;
  return Math.sign(x) * (r > 3.3895313892515355e38 ? Infinity : r);
}

test('the reference roundings on known values', () => {
  assert.equal(roundToFloat16(1 + 2 ** -11), 1); // tie, to even
  assert.equal(roundToFloat16(1 + 3 * 2 ** -11), 1 + 2 ** -9);
  assert.equal(roundToFloat16(65519), 65504);
  assert.equal(roundToFloat16(65520), Infinity);
  assert.equal(roundToFloat16(2 ** -25), 0);
  assert.equal(roundToFloat16(3 * 2 ** -26), 2 ** -24);
  assert.equal(roundToBfloat16(1 + 2 ** -8), 1);
  assert.equal(roundToBfloat16(1 + 3 * 2 ** -8), 1 + 2 ** -6);
  assert.equal(roundToBfloat16(Math.fround(0.1)), 0.10009765625);
});

// a tiny GPT-2 with random float32 weights and a tokenizer
const source = join(tempDir(), 'tiny-gpt2');
const config = AutoConfig.forModel('gpt2', { n_embd: 32, n_layer: 2, n_head: 2, n_positions: 32, vocab_size: 64 });
AutoModelForCausalLM.fromConfig(config).savePretrained(source);
tinyTokenizer().savePretrained(source);
const original = readSafetensors(join(source, 'model.safetensors')).tensors;

for (const [flag, dtype, torchDtype, round] of [['f16', 'F16', 'float16', roundToFloat16], ['bf16', 'BF16', 'bfloat16', roundToBfloat16]] as const) {
  test(`export --format hf --dtype ${flag}: the weights are the original's rounded to ${torchDtype}; the folder loads`, async () => {
    const out = join(tempDir(), `tiny-${flag}`);
    const r = kotoba(['export', source, '--format', 'hf', '--dtype', flag, '-o', out]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, `wrote ${out}\n`);
    assert.equal(JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')).torch_dtype, torchDtype);
    const header = openSafetensors(join(out, 'model.safetensors'));
    const dtypes = new Set([...header.header.tensors.values()].map((t) => t.dtype));
    header.close();
    assert.deepEqual([...dtypes], [dtype]);
    const exported = readSafetensors(join(out, 'model.safetensors')).tensors;
    assert.deepEqual([...exported.keys()].sort(), [...original.keys()].sort());
    let changed = 0;
    for (const [name, t] of original) {
      const e = exported.get(name)!;
      assert.deepEqual(e.shape, t.shape, name);
      for (let i = 0; i < t.data.length; i++) {
        const want = round(t.data[i]);
        if (e.data[i] !== want) assert.fail(`${name}[${i}]: ${t.data[i]} exported as ${e.data[i]}, expected ${want}`);
        if (want !== t.data[i]) changed++;
      }
    }
    assert.ok(changed > 1000, `only ${changed} weights changed by the rounding`);
    const model = await AutoModelForCausalLM.fromPretrained(out);
    assert.equal(model.constructor.name, 'GPT2LMHeadModel');
    const tokenizer = AutoTokenizer.fromFolder(out);
    assert.deepEqual(tokenizer.encode('the cat sat'), tinyTokenizer().encode('the cat sat'));
  });
}

test('export --format hf errors: no output folder, the model folder itself as output', () => {
  assert.match(oneLine(kotoba(['export', source, '--format', 'hf', '--dtype', 'f16'])), /give the output folder with -o\/--output/);
  assert.match(oneLine(kotoba(['export', source, '--format', 'hf', '--dtype', 'f16', '-o', source])), /must differ from the model folder/);
});

test('export --format hf --max-shard-size: shards no larger than the size, the same weights through the index', () => {
  const out = join(tempDir(), 'tiny-sharded');
  const r = kotoba(['export', source, '--format', 'hf', '--max-shard-size', '20kB', '-o', out]);
  assert.equal(r.status, 0, r.stderr);
  const shards = readdirSync(out).filter((f) => /^model-\d{5}-of-\d{5}\.safetensors$/.test(f));
  assert.ok(shards.length > 1, `shards: ${shards.join(', ')}`);
  assert.ok(!existsSync(join(out, 'model.safetensors')));
  // each shard holds at most 20 000 bytes of tensor data unless it is a single tensor over the limit
  for (const s of shards) {
    const tensors = [...readSafetensors(join(out, s)).tensors.values()];
    const bytes = tensors.reduce((a, t) => a + t.data.length * 4, 0);
    assert.ok(bytes <= 20_000 || tensors.length === 1, `${s}: ${bytes} bytes in ${tensors.length} tensors`);
  }
  const loaded = readModelFolder(out).stateDict.tensors;
  assert.deepEqual([...loaded.keys()].sort(), [...original.keys()].sort());
  for (const [name, t] of original) assert.deepEqual([...loaded.get(name)!.data], [...t.data], name);
  assert.match(oneLine(kotoba(['export', source, '--format', 'hf', '--max-shard-size', 'big', '-o', join(tempDir(), 'x')])), /--max-shard-size must be a size such as 10MB/);
});
