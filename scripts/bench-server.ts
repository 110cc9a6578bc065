/**
 * Server benchmark (part of `npm run bench`; alone: node dist/scripts/bench-server.js [model-folder]).
 *
 * Requests/s and p50/p95 latency of non-streaming completions at 1, 8 and 32 concurrent clients,
 * and time to first token of streaming completions, against a local server on 127.0.0.1. The
 * peer is the library itself: the same generations run in a plain process with LocalEngine (no
 * HTTP, no worker thread; a child process, sharing nothing with the server), alternated with the
 * server runs, so the ratio shows what serving costs and what batching gains.
 *
 * Without a folder the model is a small random GPT-2 (4 layers, 256 wide, context 256) saved by
 * Kotoba into a temporary folder with a 101-token byte-level tokenizer.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GPT2Config, GPT2LMHeadModel, Generator } from '../src/index.js';
import { LocalEngine, startServer, type CompletionParams } from '../src/server/index.js';
import { gpt2TokenizerFiles } from '../test/server/model-folders.js';

const MAX_TOKENS = 32;
const PROMPT = 'Once upon a time';

function smallModel(): { folder: string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), 'kotoba-bench-server-'));
  const folder = join(root, 'gpt2-small-random');
  const config = new GPT2Config({ vocab_size: 101, n_positions: 256, n_embd: 256, n_layer: 4, n_head: 4, bos_token_id: 100, eos_token_id: 100 });
  new GPT2LMHeadModel(config, { generator: new Generator(0) }).savePretrained(folder, { files: gpt2TokenizerFiles() });
  return { folder, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Stats { rps: number; p50: number; p95: number; tokPerS: number }

/** `clients` loops, each sending requests one after another until `total` have been sent. */
async function load(clients: number, total: number, one: () => Promise<number>): Promise<Stats> {
  const latencies: number[] = [];
  let tokens = 0;
  let sent = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, async () => {
    while (sent < total) {
      sent++;
      const t0 = performance.now();
      const generated = await one(); // (not `tokens += await one()`: that reads `tokens` before the await)
      tokens += generated;
      latencies.push(performance.now() - t0);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), tokPerS: tokens / seconds };
}

const PARAMS: CompletionParams = {
  prompt: PROMPT, maxTokens: MAX_TOKENS, temperature: 0.6, topP: 1, stop: [], presencePenalty: 0, frequencyPenalty: 0,
  logitBias: {}, seed: null, topLogprobs: 0, echo: false, promptLogprobs: false,
};

/** Child mode (--local folder clients total): the in-process peer; prints its Stats as JSON. */
async function localRun(folder: string, clients: number, total: number): Promise<void> {
  const engine = new LocalEngine();
  await engine.load(folder);
  const one = async (): Promise<number> => (await engine.complete(PARAMS, () => {}, new AbortController().signal)).completionTokens;
  await load(4, 8, one); // the same warm-up as the server gets (JIT, caches)
  console.log(JSON.stringify(await load(clients, total, one)));
}

/** Runs the peer in a child process; asynchronously, so the server's event loop stays responsive meanwhile. */
async function inProcess(folder: string, clients: number, total: number): Promise<Stats> {
  const { stdout } = await promisify(execFile)(process.execPath, [fileURLToPath(import.meta.url), '--local', folder, String(clients), String(total)], { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').pop()!) as Stats;
}

async function main(): Promise<void> {
  const given = process.argv[2];
  const model = given ? { folder: given, cleanup: () => {} } : smallModel();
  const server = await startServer({ models: [{ name: 'm', folder: model.folder }], port: 0, maxQueued: 1000 });
  await server.loaded;
  const url = `${server.url}/v1/completions`;
  const body = JSON.stringify({ model: 'm', prompt: PROMPT, max_tokens: MAX_TOKENS, temperature: 0.6 });
  const viaHttp = async (): Promise<number> => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const json = await res.json() as { usage: { completion_tokens: number } };
    if (res.status !== 200) throw new Error(JSON.stringify(json));
    return json.usage.completion_tokens;
  };

  try {
    await load(4, 8, viaHttp); // warm-up
    console.log(`model: ${given ?? 'random GPT-2, 4 layers x 256, vocab 101'}; prompt ${JSON.stringify(PROMPT)}, max_tokens ${MAX_TOKENS}, temperature 0.6`);
    console.log('\n| clients | where | requests/s | p50 ms | p95 ms | tokens/s | server / in-process (req/s) |');
    console.log('|---|---|---|---|---|---|---|');
    for (const clients of [1, 8, 32]) {
      const total = Math.max(8, clients * 2);
      // A B A B: the host's speed drifts, so each side is measured twice, alternating, and averaged
      const runs: { http: Stats[]; local: Stats[] } = { http: [], local: [] };
      for (let round = 0; round < 2; round++) {
        runs.http.push(await load(clients, total, viaHttp));
        runs.local.push(await inProcess(model.folder, clients, total));
      }
      const mean = (xs: Stats[], k: keyof Stats) => xs.reduce((s, x) => s + x[k], 0) / xs.length;
      for (const [where, xs] of [['server (HTTP)', runs.http], ['in-process', runs.local]] as const) {
        const ratio = where === 'server (HTTP)' ? (mean(runs.http, 'rps') / mean(runs.local, 'rps')).toFixed(2) : '';
        console.log(`| ${clients} | ${where} | ${mean(xs, 'rps').toFixed(1)} | ${mean(xs, 'p50').toFixed(0)} | ${mean(xs, 'p95').toFixed(0)} | ${mean(xs, 'tokPerS').toFixed(0)} | ${ratio} |`);
      }
    }

    // time to first token: streaming requests, first content chunk
    console.log('\n| streaming clients | TTFT p50 ms | TTFT p95 ms | full stream p50 ms |');
    console.log('|---|---|---|---|');
    for (const clients of [1, 8]) {
      const ttft: number[] = [];
      const full: number[] = [];
      await load(clients, Math.max(12, clients * 2), async () => {
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', prompt: PROMPT, max_tokens: MAX_TOKENS, stream: true }) });
        const reader = res.body!.getReader();
        const decoder = new TextDecoder();
        let first = true;
        let text = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          text += decoder.decode(value, { stream: true });
          if (first && /"text":"[^"]/.test(text)) { ttft.push(performance.now() - t0); first = false; }
        }
        full.push(performance.now() - t0);
        return 0;
      });
      ttft.sort((a, b) => a - b);
      full.sort((a, b) => a - b);
      console.log(`| ${clients} | ${percentile(ttft, 50).toFixed(1)} | ${percentile(ttft, 95).toFixed(1)} | ${percentile(full, 50).toFixed(0)} |`);
    }
  } finally {
    await server.close();
    model.cleanup();
  }
}

if (process.argv[2] === '--local') await localRun(process.argv[3], Number(process.argv[4]), Number(process.argv[5]));
else await main();
