/**
 * One forward pass with outputAttentions and outputHiddenStates, and the model's outputs sorted
 * into what the explorer shows: attention sets (self; or T5's encoder, decoder and cross),
 * hidden-state stacks, and the logits of the head.
 */
import type { PreTrainedModel, Seq2SeqLMOutput } from '../models/index.js';
import { noGrad, type Tensor } from '../tensor/index.js';
import type { AttentionSet, HiddenStateStats, ModelFamily } from './types.js';

export interface RawAttentions {
  kind: AttentionSet['kind'];
  title: string;
  causal: boolean;
  queries: AttentionSet['queries'];
  keys: AttentionSet['keys'];
  tensors: Tensor[];
}

export interface RawHidden {
  stack: HiddenStateStats['stack'];
  tokens: HiddenStateStats['tokens'];
  tensors: Tensor[];
}

export interface RawOutputs {
  /** The head's logits [1, length, vocab or labels], or null for a bare model. */
  logits: Tensor | null;
  attentions: RawAttentions[];
  hidden: RawHidden[];
}

type AnyForward = (inputs: Record<string, unknown>) => Record<string, unknown>;

function call(model: PreTrainedModel, inputs: Record<string, unknown>): Record<string, unknown> {
  const forward = (model.forward as AnyForward).bind(model);
  return noGrad(() => forward({ ...inputs, outputAttentions: true, outputHiddenStates: true }));
}

/** BERT (bidirectional) or GPT-2 (causal): one self-attention set over the input. */
function encoderOrDecoderOnly(model: PreTrainedModel, family: ModelFamily, ids: number[]): RawOutputs {
  const out = call(model, { inputIds: [ids] });
  const logits = (out['logits'] ?? out['predictionLogits'] ?? null) as Tensor | null;
  const causal = family === 'gpt2';
  return {
    logits,
    attentions: [{
      kind: 'self', causal, queries: 'input', keys: 'input',
      title: causal ? 'self-attention (causal: each token sees only earlier tokens)' : 'self-attention (bidirectional)',
      tensors: out['attentions'] as Tensor[],
    }],
    hidden: [{ stack: 'model', tokens: 'input', tensors: out['hiddenStates'] as Tensor[] }],
  };
}

/** T5: encoder self-, decoder (causal) self- and cross-attention; encoder and decoder states. */
function encoderDecoder(model: PreTrainedModel, ids: number[], decoderIds: number[]): RawOutputs {
  const out = call(model, { inputIds: [ids], decoderInputIds: [decoderIds] }) as unknown as Seq2SeqLMOutput;
  return {
    logits: out.logits ?? null,
    attentions: [
      { kind: 'encoder', title: 'encoder self-attention (bidirectional)', causal: false, queries: 'input', keys: 'input', tensors: out.encoderAttentions ?? [] },
      { kind: 'decoder', title: 'decoder self-attention (causal)', causal: true, queries: 'output', keys: 'output', tensors: out.decoderAttentions ?? [] },
      { kind: 'cross', title: 'cross-attention (decoder reads the encoder)', causal: false, queries: 'output', keys: 'input', tensors: out.crossAttentions ?? [] },
    ],
    hidden: [
      { stack: 'encoder', tokens: 'input', tensors: out.encoderHiddenStates ?? [] },
      { stack: 'decoder', tokens: 'output', tensors: out.decoderHiddenStates ?? [] },
    ],
  };
}

export function runForward(model: PreTrainedModel, family: ModelFamily, ids: number[], decoderIds: number[] | null): RawOutputs {
  if (family === 't5') return encoderDecoder(model, ids, decoderIds ?? []);
  return encoderOrDecoderOnly(model, family, ids);
}

/**
 * T5's output for `ids`: greedy decoding from the decoder start token until eos or
 * `maxNewTokens`, encoding once. Returns the decoder ids, start token first.
 */
export function greedyDecoderIds(model: PreTrainedModel, ids: number[], startId: number, eosId: number | null, maxNewTokens: number): number[] {
  const forward = (model.forward as AnyForward).bind(model);
  const decoderIds = [startId];
  noGrad(() => {
    const encoder = (model as unknown as { encoder: { forward(i: Record<string, unknown>): unknown } }).encoder;
    const encoderOutputs = encoder.forward({ inputIds: [ids] });
    for (let step = 0; step < maxNewTokens; step++) {
      const logits = forward({ encoderOutputs, decoderInputIds: [decoderIds] })['logits'] as Tensor;
      const [, length, vocab] = logits.shape;
      const row = (logits.contiguousData() as Float32Array).subarray((length - 1) * vocab, length * vocab);
      let best = 0;
      for (let i = 1; i < vocab; i++) if (row[i] > row[best]) best = i;
      decoderIds.push(best);
      if (best === eosId) break;
    }
  });
  return decoderIds;
}
