/** GGUF export: llama.cpp's GPT-2 names and metadata, Conv1D weights transposed, a valid file layout. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportModel } from '../../src/cli/export.js';
import { readGgufHeader, writeGguf } from '../../src/hub/gguf.js';
import { readStateDict } from '../../src/index.js';
import { modelFolder } from './helpers.js';

test('kotoba export --format gguf writes gpt2-tiny the way llama.cpp reads GPT-2', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-gguf-'));
  try {
    const path = await exportModel(modelFolder('gpt2-tiny'), { format: 'gguf', output: join(dir, 'tiny.gguf') });
    const { version, metadata, tensors, dataOffset } = readGgufHeader(path);
    assert.equal(version, 3);
    assert.equal(metadata.get('general.architecture'), 'gpt2');
    assert.equal(metadata.get('gpt2.context_length'), 64);
    assert.equal(metadata.get('gpt2.embedding_length'), 32);
    assert.equal(metadata.get('gpt2.feed_forward_length'), 128);
    assert.equal(metadata.get('gpt2.block_count'), 2);
    assert.equal(metadata.get('gpt2.attention.head_count'), 4);
    assert.ok(Math.abs((metadata.get('gpt2.attention.layer_norm_epsilon') as number) - 1e-5) < 1e-9);
    assert.equal((metadata.get('tokenizer.ggml.tokens') as string[]).length, 101);
    assert.equal(metadata.get('tokenizer.ggml.eos_token_id'), 100);
    const byName = new Map(tensors.map((t) => [t.name, t]));
    for (const name of ['token_embd.weight', 'position_embd.weight', 'output_norm.weight', 'output_norm.bias',
      'blk.1.attn_norm.weight', 'blk.1.attn_qkv.weight', 'blk.1.attn_qkv.bias', 'blk.1.attn_output.weight',
      'blk.1.ffn_norm.bias', 'blk.1.ffn_up.weight', 'blk.1.ffn_down.weight']) assert.ok(byName.has(name), name);
    assert.ok(!byName.has('output.weight'), 'tied lm_head is not stored');
    assert.deepEqual(byName.get('blk.0.attn_qkv.weight')!.shape, [96, 32], 'c_attn [in, out] becomes [out, in]');
    assert.deepEqual(byName.get('blk.0.ffn_down.weight')!.shape, [32, 128]);
    assert.deepEqual(byName.get('token_embd.weight')!.shape, [101, 32]);
    for (const t of tensors) assert.equal(t.offset % 32, 0, `${t.name} is aligned`);
    assert.equal(dataOffset % 32, 0);
    // the data: qkv weight [o][i] equals the checkpoint's c_attn [i][o]
    const bytes = readFileSync(path);
    const qkv = byName.get('blk.0.attn_qkv.weight')!;
    const stored = new Float32Array(bytes.buffer.slice(bytes.byteOffset + dataOffset + qkv.offset, bytes.byteOffset + dataOffset + qkv.offset + 96 * 32 * 4));
    const source = readStateDict(modelFolder('gpt2-tiny')).tensors.get('transformer.h.0.attn.c_attn.weight')!.data;
    for (const [o, i] of [[0, 0], [5, 7], [95, 31], [40, 3]]) assert.equal(stored[o * 32 + i], source[i * 96 + o]);
    const last = tensors[tensors.length - 1];
    assert.ok(statSync(path).size >= dataOffset + last.offset + last.shape.reduce((a, b) => a * b, 1) * 4);
    const f16 = await exportModel(modelFolder('gpt2-tiny'), { format: 'gguf', output: join(dir, 'tiny.f16.gguf'), dtype: 'f16' });
    const h16 = readGgufHeader(f16);
    assert.equal(h16.metadata.get('general.file_type'), 1);
    assert.equal(h16.tensors.find((t) => t.name === 'blk.0.attn_qkv.weight')!.type, 1, 'matrices are F16');
    assert.equal(h16.tensors.find((t) => t.name === 'blk.0.attn_qkv.bias')!.type, 0, 'vectors stay F32');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('GGUF writer: metadata of every kind round-trips; bad input is a clear error and leaves no file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kotoba-gguf-'));
  try {
    const path = join(dir, 'x.gguf');
    writeGguf(path, {
      metadata: new Map([
        ['a.u8', { type: 'uint8', value: 7 }], ['a.i32', { type: 'int32', value: -3 }], ['a.f64', { type: 'float64', value: 0.1 }],
        ['a.bool', { type: 'bool', value: true }], ['a.u64', { type: 'uint64', value: 2n ** 40n }], ['a.str', { type: 'string', value: '言葉' }],
        ['a.arr', { type: 'array', itemType: 'string', value: ['x', 'yz'] }],
      ] as any),
      tensors: [{ name: 't', shape: [2, 3], type: 'F32', data: Float32Array.from([1, 2, 3, 4, 5, 6]) }],
    });
    const h = readGgufHeader(path);
    assert.deepEqual(Object.fromEntries(h.metadata), { 'a.u8': 7, 'a.i32': -3, 'a.f64': 0.1, 'a.bool': true, 'a.u64': 2 ** 40, 'a.str': '言葉', 'a.arr': ['x', 'yz'] });
    assert.deepEqual(h.tensors, [{ name: 't', shape: [2, 3], type: 0, offset: 0 }]);
    const bad = join(dir, 'bad.gguf');
    assert.throws(() => writeGguf(bad, { metadata: new Map(), tensors: [{ name: 't', shape: [2, 2], type: 'F32', data: new Float32Array(3) }] }), /shape \[2, 2\] but 3 values/);
    assert.throws(() => statSync(bad));
    await assert.rejects(exportModel(modelFolder('t5-tiny-v1_0'), { format: 'gguf', output: bad }), /supports GPT-2 checkpoints/);
    await assert.rejects(exportModel(modelFolder('gpt2-tiny'), { format: 'onnx', output: bad }), /--format must be "gguf"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
