/**
 * The one interface between the HTTP layer and model work. The HTTP layer validates requests,
 * shapes OpenAI responses and schedules; an Engine loads one model folder and runs it. The
 * server's engine runs in a worker thread (worker-pool.ts); tests may pass an in-process one.
 * Everything crossing this interface is plain data (structured-clone safe).
 */

/** What a model can do: decoders and encoder-decoders generate; encoders embed. */
export type ModelKind = 'causal-lm' | 'seq2seq' | 'encoder';

export interface ModelInfo {
  kind: ModelKind;
  /** The architecture class, e.g. GPT2LMHeadModel. */
  architecture: string;
  vocabSize: number;
  /** Longest prompt + completion the model takes (n_positions / max_position_embeddings). */
  contextLength: number;
  /** Whether the tokenizer has its own chat template (else the plain template of chat-template.ts). */
  hasChatTemplate: boolean;
  /** Hidden size: the length of an embedding. */
  hiddenSize: number;
}

export interface ChatMessage {
  role: string;
  content: string;
  name?: string;
}

/** One generation: a completion of one prompt. */
export interface CompletionParams {
  /** Text, token ids, or chat messages (rendered by the engine with the model's template). */
  prompt: string | number[] | { messages: ChatMessage[] };
  /** null: until the context is full. */
  maxTokens: number | null;
  temperature: number;
  topP: number;
  /** Generation stops before any of these; the text returned never contains them. */
  stop: string[];
  presencePenalty: number;
  frequencyPenalty: number;
  /** token id -> bias added to its logit (-100 bans, +100 forces). */
  logitBias: Record<number, number>;
  seed: number | null;
  /** How many alternatives per token to report (0: only the chosen token's logprob). */
  topLogprobs: number;
  /** Send the prompt first: one chunk with prompt: true (completions' echo). */
  echo: boolean;
  /** With echo: also score the prompt's tokens (its first token has logprob null). */
  promptLogprobs: boolean;
}

export interface TokenLogprob {
  token: string;
  /** null only for a prompt's first token (nothing precedes it). */
  logprob: number | null;
  /** The most likely tokens at that position, best first (topLogprobs of them). */
  top: { token: string; logprob: number }[];
}

/** A piece of generated text and the tokens that produced it. */
export interface CompletionChunk {
  text: string;
  tokens: TokenLogprob[];
  /** This chunk is the echoed prompt, not generated text. */
  prompt?: boolean;
}

export type FinishReason = 'stop' | 'length';

export interface CompletionResult {
  text: string;
  finishReason: FinishReason;
  promptTokens: number;
  completionTokens: number;
  /** The generated tokens with their logprobs (text of each token, in order). */
  tokens: TokenLogprob[];
  /** With echo: the prompt as text, and with promptLogprobs its tokens. */
  prompt?: CompletionChunk;
}

export interface EmbeddingResult {
  embeddings: Float32Array[];
  promptTokens: number;
}

export interface Engine {
  load(folder: string): Promise<ModelInfo>;
  /**
   * Generates one completion, calling onChunk with text as it is produced (stop sequences held
   * back until they cannot match). Resolves when done; an aborted signal ends generation early
   * and rejects with an AbortError.
   */
  complete(params: CompletionParams, onChunk: (chunk: CompletionChunk) => void, signal: AbortSignal): Promise<CompletionResult>;
  /** Pooled sentence embeddings (encoder models), one per input. */
  embed(inputs: (string | number[])[], signal: AbortSignal): Promise<EmbeddingResult>;
  close(): Promise<void>;
}
