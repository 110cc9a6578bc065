/**
 * GPT-2 checkpoints as GGUF for llama.cpp / ollama: Hugging Face state-dict keys and config.json
 * fields mapped to llama.cpp's GPT-2 tensor names and metadata keys (llama.cpp's
 * convert_hf_to_gguf.py does the same for Python users):
 *
 *   wte -> token_embd, wpe -> position_embd, ln_f -> output_norm, lm_head -> output (only when
 *   untied; llama.cpp reuses token_embd otherwise), h.N.ln_1 -> blk.N.attn_norm,
 *   h.N.attn.c_attn -> blk.N.attn_qkv, h.N.attn.c_proj -> blk.N.attn_output,
 *   h.N.ln_2 -> blk.N.ffn_norm, h.N.mlp.c_fc -> blk.N.ffn_up, h.N.mlp.c_proj -> blk.N.ffn_down.
 *
 * GPT-2's Conv1D weights are stored [in, out]; ggml multiplies by weights laid out [out, in]
 * (ne = [in, out]), so those four are transposed. With F16, matrices are stored as float16
 * and vectors (norms, biases) stay float32, as llama.cpp's converter does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { FileFormatError } from '../errors.js';
import type { GgmlType, GgufMetadataValue, GgufTensor } from './gguf.js';

export interface StateDictTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export interface BpeVocab {
  /** Token strings by id (byte-level BPE symbols, e.g. "Ġthe"). */
  tokens: string[];
  /** "left right" pairs in priority order. */
  merges: string[];
  /** Ids of special (control) tokens. */
  special: Set<number>;
}

export interface Gpt2GgufOptions {
  /** Storage type of the matrices (default F32). */
  type?: GgmlType;
  name?: string;
  vocab?: BpeVocab | null;
}

const CONV1D = /^h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$/;
const RENAMES: [RegExp, string][] = [
  [/^wte\.weight$/, 'token_embd.weight'],
  [/^wpe\.weight$/, 'position_embd.weight'],
  [/^ln_f\.(weight|bias)$/, 'output_norm.$1'],
  [/^h\.(\d+)\.ln_1\.(weight|bias)$/, 'blk.$1.attn_norm.$2'],
  [/^h\.(\d+)\.attn\.c_attn\.(weight|bias)$/, 'blk.$1.attn_qkv.$2'],
  [/^h\.(\d+)\.attn\.c_proj\.(weight|bias)$/, 'blk.$1.attn_output.$2'],
  [/^h\.(\d+)\.ln_2\.(weight|bias)$/, 'blk.$1.ffn_norm.$2'],
  [/^h\.(\d+)\.mlp\.c_fc\.(weight|bias)$/, 'blk.$1.ffn_up.$2'],
  [/^h\.(\d+)\.mlp\.c_proj\.(weight|bias)$/, 'blk.$1.ffn_down.$2'],
];

function transpose(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** GPT-2's byte -> printable character table (bytes that are not printable move to U+0100+). */
function byteSymbols(): string[] {
  const printable = (b: number) => (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
  let next = 256;
  return Array.from({ length: 256 }, (_, b) => String.fromCharCode(printable(b) ? b : next++));
}

/** A stand-in vocabulary for checkpoints without tokenizer files: the 256 bytes, then placeholders. */
export function placeholderVocab(size: number): BpeVocab {
  const bytes = byteSymbols();
  const tokens = Array.from({ length: size }, (_, i) => (i < 256 ? bytes[i] : `<|kotoba_${i}|>`));
  return { tokens, merges: [], special: new Set() };
}

/** Reads a byte-level BPE vocabulary from tokenizer.json, or vocab.json + merges.txt; null when neither is there. */
export function readBpeVocab(files: Readonly<Record<string, string>>): BpeVocab | null {
  const tokens: string[] = [];
  let merges: string[] = [];
  const special = new Set<number>();
  const put = (token: string, id: number) => { tokens[id] = token; };
  if (files['tokenizer.json'] && existsSync(files['tokenizer.json'])) {
    const json = JSON.parse(readFileSync(files['tokenizer.json'], 'utf8'));
    if (json?.model?.type !== 'BPE') return null;
    for (const [token, id] of Object.entries(json.model.vocab as Record<string, number>)) put(token, id);
    merges = (json.model.merges as (string | [string, string])[]).map((m) => (Array.isArray(m) ? m.join(' ') : m));
    for (const t of (json.added_tokens ?? []) as { id: number; content: string; special?: boolean }[]) {
      put(t.content, t.id);
      if (t.special) special.add(t.id);
    }
  } else if (files['vocab.json'] && files['merges.txt']) {
    for (const [token, id] of Object.entries(JSON.parse(readFileSync(files['vocab.json'], 'utf8')) as Record<string, number>)) put(token, id);
    merges = readFileSync(files['merges.txt'], 'utf8').split('\n').filter((l) => l.length > 0 && !l.startsWith('#version'));
  } else {
    return null;
  }
  return { tokens, merges, special };
}

/** The GGUF metadata and tensors of a GPT-2 checkpoint (config.json object + state dict). */
export function gpt2ToGguf(config: Record<string, unknown>, stateDict: ReadonlyMap<string, StateDictTensor>, options: Gpt2GgufOptions = {}): { metadata: Map<string, GgufMetadataValue>; tensors: GgufTensor[] } {
  if (config['model_type'] !== 'gpt2') throw new FileFormatError(`GGUF export supports GPT-2 checkpoints (model_type "gpt2"), got ${JSON.stringify(config['model_type'])}`);
  const num = (key: string, dflt?: number): number => {
    const v = config[key] ?? dflt;
    if (typeof v !== 'number') throw new FileFormatError(`config.json: "${key}" must be a number for GGUF export`);
    return v;
  };
  const nEmbd = num('n_embd', 768);
  const vocabSize = num('vocab_size', 50257);
  const type = options.type ?? 'F32';
  const tensors: GgufTensor[] = [];
  for (const [fullKey, t] of stateDict) {
    const key = fullKey.replace(/^transformer\./, '');
    if (/\.attn\.(masked_)?bias$/.test(key)) continue; // causal-mask buffers of older checkpoints
    if (!(t.data instanceof Float32Array)) throw new FileFormatError(`state dict: "${fullKey}" is not a float tensor`);
    let name: string | null = null;
    if (key === 'lm_head.weight') {
      const wte = stateDict.get('transformer.wte.weight') ?? stateDict.get('wte.weight');
      if (wte && wte.data === t.data) continue; // tied: llama.cpp reuses token_embd
      name = 'output.weight';
    } else {
      for (const [re, to] of RENAMES) if (re.test(key)) { name = key.replace(re, to); break; }
    }
    if (name === null) throw new FileFormatError(`state dict: "${fullKey}" is not a GPT-2 tensor llama.cpp knows`);
    let data = t.data;
    let shape = [...t.shape];
    if (CONV1D.test(key)) {
      data = transpose(t.data, shape[0], shape[1]);
      shape = [shape[1], shape[0]];
    }
    tensors.push({ name, shape, data, type: shape.length >= 2 ? type : 'F32' });
  }
  const vocab = options.vocab ?? placeholderVocab(vocabSize);
  const tokens = Array.from({ length: vocabSize }, (_, i) => vocab.tokens[i] ?? `[PAD${i}]`);
  const metadata = new Map<string, GgufMetadataValue>([
    ['general.architecture', { type: 'string', value: 'gpt2' }],
    ['general.name', { type: 'string', value: options.name ?? 'kotoba-gpt2' }],
    ['general.file_type', { type: 'uint32', value: type === 'F32' ? 0 : 1 }],
    ['gpt2.context_length', { type: 'uint32', value: num('n_positions', 1024) }],
    ['gpt2.embedding_length', { type: 'uint32', value: nEmbd }],
    ['gpt2.feed_forward_length', { type: 'uint32', value: typeof config['n_inner'] === 'number' ? (config['n_inner'] as number) : 4 * nEmbd }],
    ['gpt2.block_count', { type: 'uint32', value: num('n_layer', 12) }],
    ['gpt2.attention.head_count', { type: 'uint32', value: num('n_head', 12) }],
    ['gpt2.attention.layer_norm_epsilon', { type: 'float32', value: num('layer_norm_epsilon', 1e-5) }],
    ['tokenizer.ggml.model', { type: 'string', value: 'gpt2' }],
    ['tokenizer.ggml.tokens', { type: 'array', itemType: 'string', value: tokens }],
    ['tokenizer.ggml.token_type', { type: 'array', itemType: 'int32', value: tokens.map((_, i) => (vocab.special.has(i) ? 3 : 1)) }],
    ['tokenizer.ggml.merges', { type: 'array', itemType: 'string', value: vocab.merges }],
  ]);
  if (options.vocab) metadata.set('tokenizer.ggml.pre', { type: 'string', value: 'gpt-2' });
  for (const [key, field] of [['tokenizer.ggml.bos_token_id', 'bos_token_id'], ['tokenizer.ggml.eos_token_id', 'eos_token_id']] as const) {
    const id = config[field];
    if (typeof id === 'number' && id < vocabSize) metadata.set(key, { type: 'uint32', value: id });
  }
  return { metadata, tensors };
}
