/** An in-process Engine whose timing the test controls: loading and generation wait for gates. */
import type { CompletionChunk, CompletionParams, CompletionResult, EmbeddingResult, Engine, ModelInfo } from '../../src/server/index.js';

export class Gate {
  private opened = false;
  private waiters: (() => void)[] = [];
  open(): void {
    this.opened = true;
    for (const w of this.waiters.splice(0)) w();
  }
  wait(): Promise<void> {
    return this.opened ? Promise.resolve() : new Promise((resolve) => this.waiters.push(resolve));
  }
}

export const FAKE_INFO: ModelInfo = { kind: 'causal-lm', architecture: 'Fake', vocabSize: 100, contextLength: 1000, hiddenSize: 4, hasChatTemplate: false };

export interface FakeOptions {
  /** Loading finishes when this opens (default: at once). */
  loadGate?: Gate;
  /** Each generation emits its tokens once this opens (default: at once). */
  runGate?: Gate;
  /** Tokens per generation; Infinity: until aborted (one every 5 ms). */
  tokens?: number;
  /** Throw this (a non-API error) from complete(). */
  fail?: Error;
}

export class FakeEngine implements Engine {
  started = 0;
  aborted = 0;

  constructor(private readonly options: FakeOptions = {}) {}

  async load(): Promise<ModelInfo> {
    await this.options.loadGate?.wait();
    return FAKE_INFO;
  }

  async complete(params: CompletionParams, onChunk: (chunk: CompletionChunk) => void, signal: AbortSignal): Promise<CompletionResult> {
    this.started++;
    if (this.options.fail) throw this.options.fail;
    const stop = new Promise<never>((_, reject) => signal.addEventListener('abort', () => { this.aborted++; reject(signal.reason); }, { once: true }));
    stop.catch(() => {});
    await Promise.race([this.options.runGate?.wait(), stop]);
    const total = this.options.tokens ?? 3;
    let text = '';
    for (let i = 0; i < total; i++) {
      await Promise.race([new Promise((r) => setTimeout(r, Number.isFinite(total) ? 0 : 5)), stop]);
      onChunk({ text: 'x', tokens: [{ token: 'x', logprob: -1, top: [] }] });
      text += 'x';
    }
    return { text, finishReason: 'length', promptTokens: 1, completionTokens: total, tokens: [] };
  }

  async embed(inputs: (string | number[])[]): Promise<EmbeddingResult> {
    return { embeddings: inputs.map(() => new Float32Array([1, 0, 0, 0])), promptTokens: inputs.length };
  }

  async close(): Promise<void> {}
}
