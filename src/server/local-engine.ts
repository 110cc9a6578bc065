/**
 * The Engine that really runs a model (in a worker thread, see worker.ts): tokenizes prompts,
 * checks them against the context, hands generations to the Batcher and embeddings to the
 * Embedder. Errors a request causes are ApiErrors (400 with OpenAI's codes).
 */
import { noGrad, logSoftmax, topk, Tensor } from '../tensor/index.js';
import { Batcher } from './batcher.js';
import { PLAIN_TEMPLATE_STOPS, renderPlainChat } from './chat-template.js';
import { Embedder } from './embedder.js';
import type { ChatMessage, CompletionChunk, CompletionParams, CompletionResult, EmbeddingResult, Engine, ModelInfo, TokenLogprob } from './engine.js';
import { invalid } from './errors.js';
import { loadModelFolder, type LoadedModel } from './model-loader.js';

/** Seq2seq models have no context limit on their output: this caps a completion without max_tokens. */
const SEQ2SEQ_DEFAULT_MAX_TOKENS = 256;

type ChatTemplating = { applyChatTemplate?: (messages: ChatMessage[], options: object) => unknown };

export class LocalEngine implements Engine {
  private loaded: LoadedModel | null = null;
  private batcher: Batcher | null = null;
  private embedder: Embedder | null = null;

  /** maxBatch: rows per batch; maxRunning: batches side by side (see batcher.ts). */
  constructor(private readonly maxBatch = 16, private readonly maxRunning = 2) {}

  async load(folder: string): Promise<ModelInfo> {
    this.loaded = await loadModelFolder(folder);
    this.batcher = new Batcher(this.loaded, this.maxBatch, this.maxRunning);
    this.embedder = new Embedder(this.loaded, this.maxBatch * 4);
    return this.loaded.info;
  }

  private get model(): LoadedModel {
    if (!this.loaded) throw new Error('LocalEngine: load() a model first');
    return this.loaded;
  }

  /** The prompt's text (for echo), its ids and the stop sequences its template adds. */
  private prompt(p: CompletionParams): { text: string; ids: number[]; stops: string[]; param: string } {
    const { tokenizer, startTokenId } = this.model;
    if (Array.isArray(p.prompt)) return { text: tokenizer.decode(p.prompt), ids: p.prompt, stops: [], param: 'prompt' };
    if (typeof p.prompt === 'string') {
      const ids = p.prompt === '' ? [] : tokenizer.encode(p.prompt);
      return { text: p.prompt, ids: ids.length === 0 && startTokenId !== null ? [startTokenId] : ids, stops: [], param: 'prompt' };
    }
    const templating = tokenizer as unknown as ChatTemplating;
    if (this.model.info.hasChatTemplate && typeof templating.applyChatTemplate === 'function') {
      const text = String(templating.applyChatTemplate(p.prompt.messages, { tokenize: false, addGenerationPrompt: true }));
      return { text, ids: tokenizer.encode(text, { addSpecialTokens: false }), stops: [], param: 'messages' };
    }
    const text = renderPlainChat(p.prompt.messages);
    return { text, ids: tokenizer.encode(text), stops: PLAIN_TEMPLATE_STOPS, param: 'messages' };
  }

  /** max_tokens made final: for decoders the prompt and the completion must fit the context (OpenAI's wording). */
  private maxTokens(p: CompletionParams, promptTokens: number, param: string): number {
    const { info } = this.model;
    if (promptTokens === 0) throw invalid(param, 'The prompt is empty, and this model has no start token to begin from.', 'invalid_value');
    // a decoder needs room for at least one new token, unless none is asked for (echo scoring)
    const tooLong = info.kind === 'causal-lm' && p.maxTokens !== 0 ? promptTokens >= info.contextLength : promptTokens > info.contextLength;
    if (tooLong) {
      throw invalid(param, `This model's maximum context length is ${info.contextLength} tokens, however your prompt has ${promptTokens} tokens. Please reduce the length of the prompt.`, 'context_length_exceeded');
    }
    if (info.kind !== 'causal-lm') return p.maxTokens ?? SEQ2SEQ_DEFAULT_MAX_TOKENS;
    const room = info.contextLength - promptTokens;
    if (p.maxTokens === null) return room;
    if (p.maxTokens > room) {
      throw invalid(param, `This model's maximum context length is ${info.contextLength} tokens, however you requested ${promptTokens + p.maxTokens} tokens (${promptTokens} in your prompt; ${p.maxTokens} for the completion). Please reduce your prompt; or completion length.`, 'context_length_exceeded');
    }
    return p.maxTokens;
  }

  async complete(p: CompletionParams, onChunk: (chunk: CompletionChunk) => void, signal: AbortSignal): Promise<CompletionResult> {
    const prompt = this.prompt(p);
    const maxTokens = this.maxTokens(p, prompt.ids.length, prompt.param);
    let echoed: CompletionChunk | undefined;
    if (p.echo) {
      echoed = { text: prompt.text, tokens: p.promptLogprobs ? this.promptLogprobs(prompt.ids, p.topLogprobs) : [], prompt: true };
      onChunk(echoed);
    }
    const base = { promptTokens: prompt.ids.length, ...(echoed ? { prompt: echoed } : {}) };
    if (maxTokens === 0) return { ...base, text: '', finishReason: 'length', completionTokens: 0, tokens: [] };
    const result = await new Promise<Omit<CompletionResult, 'promptTokens' | 'prompt'>>((resolve, reject) => {
      this.batcher!.submit({ ids: prompt.ids, maxTokens, params: p, stops: [...p.stop, ...prompt.stops], onChunk, signal, resolve, reject });
    });
    return { ...base, ...result };
  }

  /**
   * Logprobs of the prompt's own tokens (echo with logprobs): one forward pass; token i is
   * scored by the distribution after tokens 0..i-1, and the first token has none.
   */
  private promptLogprobs(ids: number[], top: number): TokenLogprob[] {
    const { model, tokenizer, info } = this.model;
    const text = (id: number): string => tokenizer.decode([id]);
    const out: TokenLogprob[] = ids.map((id) => ({ token: text(id), logprob: null, top: [] }));
    if (info.kind !== 'causal-lm' || ids.length < 2) return out;
    noGrad(() => {
      const logits = (model.forward({ inputIds: Tensor.fromArray(Int32Array.from(ids), [1, ids.length]) }) as { logits: Tensor }).logits;
      const vocab = logits.shape[2];
      const logp = logSoftmax(logits.reshape([ids.length, vocab]), -1);
      const data = logp.contiguousData() as Float32Array;
      const best = top > 0 ? topk(logp, top, -1) : null;
      const values = best?.values.contiguousData() as Float32Array | undefined;
      const indices = best?.indices.contiguousData() as Int32Array | undefined;
      for (let i = 1; i < ids.length; i++) {
        out[i].logprob = data[(i - 1) * vocab + ids[i]];
        if (values && indices) out[i].top = Array.from({ length: top }, (_, j) => ({ token: text(indices[(i - 1) * top + j]), logprob: values[(i - 1) * top + j] }));
      }
    });
    return out;
  }

  async embed(inputs: (string | number[])[], signal: AbortSignal): Promise<EmbeddingResult> {
    return this.embedder!.embed(inputs, signal);
  }

  async close(): Promise<void> {
    this.loaded = null;
  }
}
