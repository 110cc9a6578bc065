/**
 * What the explorer computes about one input: the shapes shared by the library function
 * (inspectModel), the HTTP API (/explorer/api/*) and the page. Plain JSON-ready data only (this
 * file holds types and nothing else, so the browser code can import it too).
 *
 * Matrices are nested arrays: attention weights are [layer][head][query][key], per-token values
 * [layer][token]. "input" tokens are what the user typed (the encoder's side for T5); "output"
 * tokens are T5's decoder sequence.
 */

/** The model family and head, as far as the explorer cares. */
export type ModelFamily = 'bert' | 'gpt2' | 't5';
export type ModelTask = 'fill-mask' | 'classification' | 'causal-lm' | 'seq2seq' | 'base';

export interface ModelSummary {
  name: string;
  /** The class name (e.g. BertForMaskedLM). */
  architecture: string;
  family: ModelFamily;
  task: ModelTask;
  layers: number;
  /** Decoder layers (T5 only; may differ from the encoder's). */
  decoderLayers?: number;
  heads: number;
  hiddenSize: number;
  vocabSize: number;
  /** The longest input the model takes (absolute position embeddings), or a sanity limit. */
  maxLength: number;
  /** The tokenizer's mask token, when the model fills masks. */
  maskToken?: string;
}

export interface TokenInfo {
  id: number;
  /** The vocabulary entry as stored (e.g. "Ġcat", "##s", "▁the"). */
  piece: string;
  /** The id decoded on its own (e.g. " cat"). */
  text: string;
  /** Added by the tokenizer or a special token ([CLS], [SEP], </s>, <|endoftext|>, pad). */
  special: boolean;
  /** [start, end) UTF-16 offsets into the input text; null for added tokens and for ids given directly. */
  offset: [number, number] | null;
}

export type TokenSide = 'input' | 'output';

/** One family of attention maps: BERT/GPT self-attention, or one of T5's three. */
export interface AttentionSet {
  kind: 'self' | 'encoder' | 'decoder' | 'cross';
  /** A human label: "self-attention (bidirectional)", "cross-attention", ... */
  title: string;
  /** True when a query only sees keys at or before its own position. */
  causal: boolean;
  /** Which token list the rows (queries) and columns (keys) belong to. */
  queries: TokenSide;
  keys: TokenSide;
  /** [layer][head][query][key]; every row sums to 1. */
  weights: number[][][][];
}

/** Per-layer statistics of one stack's hidden states (entry 0 is the embedding output). */
export interface HiddenStateStats {
  stack: 'encoder' | 'decoder' | 'model';
  tokens: TokenSide;
  /** [layer][token]: the L2 norm of the token's hidden state. */
  norms: number[][];
  /** [layer][token]: cosine similarity to the same token one layer down; null for layer 0. */
  cosineToPrevious: (number | null)[][];
}

export interface TokenProbability {
  id: number;
  token: string;
  /** The id decoded on its own. */
  text: string;
  prob: number;
}

/** The nearest vocabulary tokens of each layer's state through the output embedding. */
export interface LogitLens {
  stack: 'model' | 'decoder';
  tokens: TokenSide;
  /** [layer][position][rank] */
  top: TokenProbability[][][];
}

export type Predictions =
  | { kind: 'next-token'; temperature: number; top: TokenProbability[] }
  | { kind: 'fill-mask'; masks: { position: number; candidates: TokenProbability[] }[] }
  | { kind: 'classification'; labels: { label: string; prob: number }[] }
  | { kind: 'seq2seq'; outputText: string; temperature: number; next: TokenProbability[] }
  | { kind: 'none'; reason: string };

export interface Inspection {
  model: ModelSummary;
  text: string;
  tokens: TokenInfo[];
  /** T5's decoder tokens (the start token first). */
  outputTokens?: TokenInfo[];
  /** True when the input was cut to the model's maximum length. */
  truncated: boolean;
  attentions: AttentionSet[];
  hiddenStates: HiddenStateStats[];
  logitLens?: LogitLens;
  predictions: Predictions;
}

/** One step of generation: the token chosen and the inspection of the sequence with it appended. */
export interface GenerationStep {
  chosen: TokenProbability;
  /** True when the chosen token ends the sequence (eos). */
  finished: boolean;
  inspection: Inspection;
}
