/** A scripted decoder-only "model" and a byte-level tokenizer, for tests that need exact control. */
import { Tensor } from '../../src/index.js';

/** Emits script[i] as the i-th generated token of every row (then eos), with a clear margin. */
export function scriptedModel(script: readonly number[], options: { vocab?: number; eos?: number; context?: number } = {}) {
  const vocab = options.vocab ?? 260;
  const eos = options.eos ?? 259;
  let promptLength = -1;
  return {
    config: { isEncoderDecoder: false, vocabSize: vocab, nPositions: options.context ?? 512, eosTokenId: eos, padTokenId: 0, bosTokenId: eos },
    calls: 0,
    forward(inputs: { inputIds: Tensor }) {
      this.calls++;
      const [batch, length] = inputs.inputIds.shape;
      if (promptLength < 0) promptLength = length;
      const step = length - promptLength;
      const data = new Float32Array(batch * length * vocab);
      for (let b = 0; b < batch; b++) {
        const target = step < script.length ? script[step] : eos;
        for (let t = 0; t < length; t++) {
          const row = (b * length + t) * vocab;
          for (let v = 0; v < vocab; v++) data[row + v] = -((v * 7919) % 13) / 10;
          data[row + target] = 5;
        }
      }
      return { logits: Tensor.fromArray(data, [batch, length, vocab]) };
    },
    reset() { promptLength = -1; this.calls = 0; },
  };
}

/** Token i < 256 is byte i; 256+ are special tokens with a name. */
export const byteTokenizer = {
  decode(ids: ArrayLike<number>, options: { skipSpecialTokens?: boolean } = {}): string {
    const out: string[] = [];
    let bytes: number[] = [];
    const flush = () => { out.push(new TextDecoder().decode(Uint8Array.from(bytes))); bytes = []; };
    for (const id of Array.from(ids)) {
      if (id < 256) bytes.push(id);
      else { flush(); if (!options.skipSpecialTokens) out.push(`<s${id}>`); }
    }
    flush();
    return out.join('');
  },
};

export const utf8 = (s: string) => Array.from(new TextEncoder().encode(s));
