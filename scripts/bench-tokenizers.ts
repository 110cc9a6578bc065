// Tokenizer throughput, Kotoba side by side with its peers, in one run on the same text, one
// thread: tiktoken (GPT-2, WASM), @huggingface/tokenizers (pure JS) and tokenizers (the Rust
// core through its Node binding). Each (peer, mode) is timed once per round, peers alternating;
// the table shows medians and the ratio to Kotoba.
//
//   node dist/scripts/bench-tokenizers.js [--mb 5] [--rounds 3] [--only gpt2|bert|t5]
//
// Text: the KJV Bible followed by Jane Austen from ../shared/data/corpus/en, cut to --mb MB.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { gunzipSync } from 'node:zlib';
import { Tokenizer as HfJsTokenizer } from '@huggingface/tokenizers';
import { get_encoding } from 'tiktoken';
import tokenizers from 'tokenizers';
import { AutoTokenizer } from '../src/tokenizers/index.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const MB = Number(option('mb', '5'));
const ROUNDS = Number(option('rounds', '3'));
const ONLY = option('only', '');

const corpus = resolve(process.cwd(), '../shared/data/corpus/en');
const fixtures = resolve(process.cwd(), '../shared/fixtures/tokenizers');
const read = (name: string): string => gunzipSync(readFileSync(resolve(corpus, name))).toString('utf8');
const text = (read('bible_kjv.txt.gz') + read('austen.txt.gz')).slice(0, Math.round(MB * 1e6));
const lines = text.split('\n');
const megabytes = Buffer.byteLength(text) / 1e6;

/** A way to encode a text: returns the number of tokens, or throws. */
type Encoder = (text: string) => number | Promise<number>;

interface Peer {
  name: string;
  encode: Encoder;
  /** Run whole-text calls in a worker with a heap limit (a peer that can exhaust memory). */
  isolateWholeText?: { dir: string };
}

function kotoba(dir: string): Peer[] {
  const tok = AutoTokenizer.fromFolder(resolve(fixtures, dir));
  return [
    { name: 'kotoba encode (ids)', encode: (t) => tok.encode(t).length },
    { name: 'kotoba call (full encoding)', encode: (t) => tok.backend.encode(t).length },
  ];
}

function hfJs(dir: string): Peer {
  const json = JSON.parse(readFileSync(resolve(fixtures, dir, 'tokenizer.json'), 'utf8'));
  const config = JSON.parse(readFileSync(resolve(fixtures, dir, 'tokenizer_config.json'), 'utf8'));
  const tok = new HfJsTokenizer(json, config);
  // Its Unigram builds one lattice for the whole text, which exhausts the heap on megabytes.
  const isolate = dir === 't5-unigram' ? { dir } : undefined;
  return { name: '@huggingface/tokenizers (JS)', encode: (t) => tok.encode(t).ids.length, isolateWholeText: isolate };
}

/** Times one whole-text call of @huggingface/tokenizers in a worker limited to 2 GB of heap. */
function timeInWorker(dir: string): Promise<{ seconds: number; tokens: number }> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    import('@huggingface/tokenizers').then(({ Tokenizer }) => {
      const json = JSON.parse(readFileSync(workerData.dir + '/tokenizer.json', 'utf8'));
      const config = JSON.parse(readFileSync(workerData.dir + '/tokenizer_config.json', 'utf8'));
      const tok = new Tokenizer(json, config);
      const t0 = performance.now();
      const tokens = tok.encode(workerData.text).ids.length;
      parentPort.postMessage({ seconds: (performance.now() - t0) / 1000, tokens });
    });`;
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { dir: resolve(fixtures, dir), text }, resourceLimits: { maxOldGenerationSizeMb: 2048 } });
    worker.once('message', (m) => {
      resolvePromise(m);
      void worker.terminate();
    });
    worker.once('error', (e) => reject(e));
    worker.once('exit', (code) => reject(new Error(`worker exited with code ${code} (out of memory)`)));
  });
}

function rust(dir: string): Peer {
  const tok = tokenizers.Tokenizer.fromFile(resolve(fixtures, dir, 'tokenizer.json'));
  return { name: 'tokenizers (Rust, Node binding)', encode: async (t) => (await tok.encode(t)).getIds().length };
}

function tiktoken(): Peer {
  const enc = get_encoding('gpt2');
  return { name: 'tiktoken (WASM)', encode: (t) => enc.encode(t, 'all').length };
}

interface Result {
  mbPerS: number[];
  tokens: number;
  error?: string;
}

async function time(encode: Encoder, mode: 'whole' | 'lines'): Promise<{ seconds: number; tokens: number }> {
  const t0 = performance.now();
  let tokens = 0;
  if (mode === 'whole') tokens = await encode(text);
  else for (const line of lines) tokens += await encode(line);
  return { seconds: (performance.now() - t0) / 1000, tokens };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function benchmark(label: string, peers: Peer[]): Promise<string[]> {
  const rows: string[] = [];
  for (const mode of ['whole', 'lines'] as const) {
    const results = new Map<string, Result>(peers.map((p) => [p.name, { mbPerS: [], tokens: 0 }]));
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? peers : [...peers].reverse();
      for (const peer of order) {
        const r = results.get(peer.name)!;
        if (r.error) continue;
        try {
          const { seconds, tokens } = peer.isolateWholeText && mode === 'whole' ? await timeInWorker(peer.isolateWholeText.dir) : await time(peer.encode, mode);
          r.mbPerS.push(megabytes / seconds);
          r.tokens = tokens;
        } catch (e) {
          r.error = String((e as Error).message ?? e).split('\n')[0].slice(0, 60);
        }
      }
    }
    const ours = median(results.get(peers[0].name)!.mbPerS);
    for (const peer of peers) {
      const r = results.get(peer.name)!;
      if (r.error) {
        rows.push(`| ${label} | ${mode} | ${peer.name} | fails: ${r.error} | | |`);
        continue;
      }
      const mbs = median(r.mbPerS);
      const tokPerS = (r.tokens / (megabytes / mbs)) / 1e6;
      rows.push(`| ${label} | ${mode} | ${peer.name} | ${mbs.toFixed(2)} | ${tokPerS.toFixed(2)} | ${(ours / mbs).toFixed(2)}x |`);
    }
    console.error(rows.slice(-peers.length).join('\n'));
  }
  return rows;
}

const suites: [string, string, () => Peer[]][] = [
  ['gpt2', 'GPT-2 BPE', () => [...kotoba('gpt2'), tiktoken(), hfJs('gpt2'), rust('gpt2')]],
  ['bert', 'BERT WordPiece', () => [...kotoba('bert-base-uncased'), hfJs('bert-base-uncased'), rust('bert-base-uncased')]],
  ['t5', 'T5 Unigram', () => [...kotoba('t5-unigram'), hfJs('t5-unigram'), rust('t5-unigram')]],
];

console.log(`Tokenizer throughput: ${megabytes.toFixed(2)} MB (${lines.length} lines), median of ${ROUNDS} rounds, one thread, Node ${process.version}.`);
console.log('"whole" = one call on the whole text; "lines" = one call per line. Ratio = Kotoba ids path / peer.\n');
console.log('| tokenizer | mode | implementation | MB/s | M tokens/s | Kotoba is |');
console.log('|---|---|---|---|---|---|');
for (const [key, label, peers] of suites) {
  if (ONLY && ONLY !== key) continue;
  for (const row of await benchmark(label, peers())) console.log(row);
}
