/**
 * generate(model, inputIds, options): transformers' GenerationMixin.generate for Kotoba's
 * decoder-only (GPT-2) and encoder-decoder (T5) models. Greedy search when numBeams is 1 and
 * doSample false, multinomial sampling with doSample, beam search (or beam sampling) with
 * numBeams > 1. Returns the sequences tensor, or with returnDictInGenerate the GenerateOutput.
 */
import { Tensor } from '../tensor/index.js';
import { beamSearch } from './beam-search.js';
import type { GenerationOptions } from './configuration.js';
import { rowsToTensor, type GenerateInput } from './ids.js';
import type { TokenLogprob } from './logprobs.js';
import type { GenerativeModel } from './model-io.js';
import type { GenerateOutput } from './output.js';
import { prepareGeneration, type PreparedGeneration } from './prepare.js';
import { sampleSearch } from './sample-search.js';


export function generate(model: GenerativeModel, inputIds: GenerateInput, options: GenerationOptions & { returnDictInGenerate: true }): GenerateOutput;
export function generate(model: GenerativeModel, inputIds: GenerateInput, options?: GenerationOptions): Tensor;
export function generate(model: GenerativeModel, inputIds: GenerateInput, options: GenerationOptions = {}): Tensor | GenerateOutput {
  const p = prepareGeneration(model, inputIds, { ...options, returnDictInGenerate: options.returnDictInGenerate ?? false });
  const out = p.config.numBeams > 1 ? runBeams(p) : runSampling(p);
  return p.config.returnDictInGenerate ? out : out.sequences;
}

function runSampling(p: PreparedGeneration): GenerateOutput {
  const { config } = p;
  const scores: Tensor[] = [];
  const logits: Tensor[] = [];
  const n = p.rows.length;
  const tokenLogprobs: number[][] = Array.from({ length: n }, () => []);
  const topLogprobs: TokenLogprob[][][] = Array.from({ length: n }, () => []);
  const steps = sampleSearch(p);
  let next = steps.next();
  while (!next.done) {
    const e = next.value;
    if (config.outputScores) scores.push(e.scores);
    if (config.outputLogits) logits.push(e.logits);
    if (e.logprobs) {
      for (let r = 0; r < n; r++) {
        if (!e.active[r]) continue;
        tokenLogprobs[r].push(e.logprobs[r]);
        topLogprobs[r].push(e.topLogprobs![r]);
      }
    }
    next = steps.next();
  }
  const result = next.value;
  return {
    sequences: rowsToTensor(result.rows),
    sequencesScores: null,
    scores: config.outputScores ? scores : null,
    logits: config.outputLogits ? logits : null,
    finishReasons: result.finishReasons,
    tokenLogprobs: config.outputLogprobs ? tokenLogprobs : null,
    topLogprobs: config.outputLogprobs && config.topLogprobs > 0 ? topLogprobs : null,
    pastKeyValues: result.cache,
  };
}

function runBeams(p: PreparedGeneration): GenerateOutput {
  const { config } = p;
  const result = beamSearch(p);
  return {
    sequences: rowsToTensor(result.rows),
    sequencesScores: Tensor.fromArray(Float32Array.from(result.sequencesScores), [result.sequencesScores.length]),
    scores: config.outputScores ? result.scores : null,
    logits: config.outputLogits ? result.logits : null,
    finishReasons: result.finishReasons,
    tokenLogprobs: null,
    topLogprobs: null,
    pastKeyValues: null,
  };
}
