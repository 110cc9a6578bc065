/**
 * Beam search (and beam sampling), following transformers >= 4.50's vectorised
 * GenerationMixin._beam_search. For each prompt:
 *
 * 1. numBeams running hypotheses; their scores start at [0, -1e9, ...] so the first step
 *    expands beam 0 only. Each step adds the processed log_softmax to the running scores
 *    (float32, as torch) and keeps the best `max(2, 1 + #eos) * numBeams` continuations
 *    (sampled without replacement, then sorted, when doSample).
 * 2. A continuation that meets a stopping criterion (eos, maxLength, stop string) and ranks
 *    within the first numBeams becomes a finished hypothesis scored
 *    sum_logprobs / generated_len ** lengthPenalty (generated_len counts the eos); the best
 *    numBeams finished ones are kept.
 * 3. The best numBeams continuations that did not stop keep running; the cache follows them.
 * 4. A prompt stops improving when its best running score, length-normalised, cannot beat its
 *    worst finished one (earlyStopping false), or when it has numBeams finished hypotheses
 *    (true); 'never' assumes the longest possible length. Generation ends when no prompt can
 *    improve, or every continuation stopped (maxLength).
 * 5. The output is the best numReturnSequences finished hypotheses per prompt, as long as the
 *    longest of them; shorter ones are padded with padTokenId.
 */
import type { KeyValueCache } from '../nn/index.js';
import { defaultGenerator, logSoftmax, noGrad, softmax, Tensor } from '../tensor/index.js';
import { eosIds } from './configuration.js';
import { rowsToTensor } from './ids.js';
import { forwardStep } from './model-io.js';
import type { PreparedGeneration } from './prepare.js';
import { topKRow } from './select.js';
import { stepInputs } from './step-inputs.js';
import { applyCriteria, type FinishReason } from './stopping/criteria.js';

const f32 = Math.fround;
const NEG = -1e9;

export interface BeamSearchResult {
  /** numReturnSequences rows per prompt. */
  rows: number[][];
  sequencesScores: number[];
  /** Why each returned hypothesis ended ('stop': eos or stop string; 'length'). */
  finishReasons: FinishReason[];
  /** With outputScores: the processed log-probabilities [batch * numBeams, vocab] of each step. */
  scores: Tensor[];
  logits: Tensor[];
}

interface Candidate {
  score: number;
  beam: number;
  token: number;
  seq: number[];
  reason: FinishReason | null;
}

/** Indices of the k largest values, largest first; ties keep the lower index first. */
function largest(values: readonly number[], k: number): number[] {
  return values.map((v, i) => i).sort((a, b) => values[b] - values[a] || a - b).slice(0, k);
}

export function beamSearch(p: PreparedGeneration): BeamSearchResult {
  const { config } = p;
  const K = config.numBeams;
  const B = p.batchSize;
  const eos = eosIds(config);
  const keep = Math.max(2, 1 + eos.length) * K;
  const promptLength = p.inputLength;
  const lp = config.lengthPenalty;
  const gen = p.generator ?? defaultGenerator;

  let running = p.rows.map((r) => [...r]);
  let masks = p.masks;
  const runningScores: number[][] = Array.from({ length: B }, () => Array.from({ length: K }, (_, k) => (k === 0 ? 0 : NEG)));
  const finished: { seq: number[]; score: number; done: boolean; reason: FinishReason | null }[][] = Array.from({ length: B }, () =>
    Array.from({ length: K }, () => ({ seq: [], score: NEG, done: false, reason: null as FinishReason | null })));
  const unsatisfied = new Array<boolean>(B).fill(true);
  let cache: KeyValueCache | null = config.pastKeyValues ?? null;
  let curLen = promptLength;
  const scoresOut: Tensor[] = [];
  const logitsOut: Tensor[] = [];

  for (;;) {
    if (config.signal?.aborted) break;
    const step = noGrad(() => forwardStep(p.model, stepInputs(p, running, masks, cache, config.useCache)));
    cache = step.cache;
    const processed = noGrad(() => p.processors.process(rowsToTensor(running), logSoftmax(step.logits, -1)));
    if (config.outputScores) scoresOut.push(processed);
    if (config.outputLogits) logitsOut.push(step.logits);
    const V = processed.shape[1];
    const logp = processed.contiguousData() as Float32Array;
    const accumulated = new Float32Array(B * K * V);
    for (let b = 0; b < B; b++) {
      for (let k = 0; k < K; k++) {
        const row = (b * K + k) * V;
        for (let v = 0; v < V; v++) accumulated[row + v] = logp[row + v] + runningScores[b][k];
      }
    }
    const picked = pickContinuations(accumulated, B, K * V, keep, config.doSample, gen);

    // every continuation, with whether it meets a stopping criterion
    const candidates: Candidate[][] = [];
    const flat: number[][] = [];
    for (let b = 0; b < B; b++) {
      candidates.push(picked[b].map(({ index, score }) => {
        const beam = Math.floor(index / V);
        const seq = [...running[b * K + beam], index % V];
        flat.push(seq);
        return { score, beam, token: index % V, seq, reason: null as FinishReason | null };
      }));
    }
    const hits = applyCriteria(p.criteria, rowsToTensor(flat), null);
    candidates.flat().forEach((c, i) => { c.reason = hits[i]; });

    // running hypotheses for the next step: the best ones that did not stop
    const nextRunning: number[][] = [];
    const nextMasks: number[][] = [];
    const beamIndex: number[] = [];
    for (let b = 0; b < B; b++) {
      const penalised = candidates[b].map((c) => f32(c.score + (c.reason !== null ? NEG : 0)));
      largest(penalised, K).forEach((j, k) => {
        const c = candidates[b][j];
        runningScores[b][k] = penalised[j];
        nextRunning.push(c.seq);
        if (masks.length > 0) nextMasks.push([...masks[b * K + c.beam], 1]);
        beamIndex.push(b * K + c.beam);
      });
    }

    // finished hypotheses: merge the new ones into the best numBeams so far
    const generatedLength = curLen + 1 - promptLength;
    for (let b = 0; b < B; b++) {
      const full = finished[b].every((h) => h.done) && config.earlyStopping === true;
      const fresh = candidates[b].map((c, j) => {
        const justFinished = c.reason !== null && j < K;
        let s = f32(c.score / f32(generatedLength ** lp));
        if (full) s = f32(s + NEG);
        if (!justFinished) s = f32(s + NEG);
        if (!unsatisfied[b]) s = f32(s + NEG);
        return { seq: c.seq, score: s, done: justFinished, reason: c.reason };
      });
      const merged = [...finished[b], ...fresh];
      finished[b] = largest(merged.map((h) => h.score), K).map((i) => merged[i]);
    }

    running = nextRunning;
    masks = nextMasks;
    if (cache) cache.reorder(Tensor.fromArray(Int32Array.from(beamIndex), [beamIndex.length]));
    curLen += 1;

    // can any prompt still improve?
    const bestLength = config.earlyStopping === 'never' && lp > 0 ? config.maxLength - promptLength : curLen - promptLength;
    for (let b = 0; b < B; b++) {
      const best = f32(runningScores[b][0] / f32(bestLength ** lp));
      const worst = Math.min(...finished[b].map((h) => h.score));
      unsatisfied[b] = unsatisfied[b] && finished[b].some((h) => best > (h.done ? worst : NEG));
    }
    const improvable = unsatisfied.some(Boolean);
    const openBeam = !(finished.every((f) => f.every((h) => h.done)) && config.earlyStopping === true);
    const continuations = !hits.every((h) => h !== null);
    if (!(improvable && openBeam && continuations)) break;
  }

  const returned = finished.flatMap((f) => f.slice(0, config.numReturnSequences));
  const width = Math.max(...returned.map((h) => h.seq.length), promptLength);
  const fill = config.padTokenId ?? eos[0] ?? -1;
  const rows = returned.map((h) => (h.seq.length === 0 ? new Array<number>(width).fill(fill) : [...h.seq, ...new Array<number>(width - h.seq.length).fill(fill)]));
  return {
    rows, sequencesScores: returned.map((h) => h.score), finishReasons: returned.map((h) => h.reason ?? 'length'),
    scores: scoresOut, logits: logitsOut,
  };
}

/**
 * The `keep` best continuations of each prompt over its numBeams * vocab accumulated scores
 * (torch.topk), or with doSample `keep` draws without replacement from their softmax, sorted
 * by score (transformers' _get_top_k_continuations).
 */
function pickContinuations(accumulated: Float32Array, B: number, width: number, keep: number, doSample: boolean, gen: typeof defaultGenerator): { index: number; score: number }[][] {
  if (!doSample) {
    return Array.from({ length: B }, (_, b) => {
      const row = accumulated.subarray(b * width, (b + 1) * width);
      return Array.from(topKRow(row, keep), (index) => ({ index, score: row[index] }));
    });
  }
  const probs = softmax(Tensor.fromArray(accumulated, [B, width]), -1).contiguousData() as Float32Array;
  return Array.from({ length: B }, (_, b) => {
    const row = Float64Array.from(probs.subarray(b * width, (b + 1) * width));
    const out: { index: number; score: number }[] = [];
    for (let j = 0; j < keep; j++) {
      let total = 0;
      for (let i = 0; i < width; i++) total += row[i];
      const target = gen.random() * total;
      let acc = 0;
      let pick = -1;
      for (let i = 0; i < width; i++) {
        if (row[i] <= 0) continue;
        acc += row[i];
        pick = i;
        if (acc > target) break;
      }
      if (pick < 0) break;
      row[pick] = 0;
      out.push({ index: pick, score: accumulated[b * width + pick] });
    }
    return out.sort((x, y) => y.score - x.score);
  });
}
