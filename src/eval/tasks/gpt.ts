/**
 * kotoba-gpt-mini: bits per byte on held-out English text, each text a document: the texts of
 * sentiment_uci test, and the English sources of translation_en_de test. Baselines on the same
 * texts: xz -9 (the texts joined by newlines, compressed as one file) and the byte 5-gram.
 * The Debian-manual paragraphs among the translation sources are lines of the English corpus
 * both models were trained on (data README), so that set is also scored without the texts that
 * are corpus lines.
 */
import { GPT2LMHeadModel } from '../../models/index.js';
import { AutoTokenizer } from '../../tokenizers/index.js';
import { byteLmBitsPerByte, trainedByteLM } from '../byte-lm-baseline.js';
import { since, type EvalContext } from '../context.js';
import { corpusLines, firstN, readSplit } from '../data.js';
import { causalLmBits } from '../lm-bits.js';
import type { Baseline, ReportedResult } from '../results.js';
import { xzBitsPerByte } from '../xz.js';

interface HeldOut {
  dataset: string;
  field: string;
  what: string;
  /** Leave out the texts that are lines of the English corpus. */
  unseenOnly: boolean;
}

const HELD_OUT: readonly HeldOut[] = [
  { dataset: 'sentiment_uci', field: 'text', what: 'texts', unseenOnly: false },
  { dataset: 'translation_en_de', field: 'source', what: 'English sources', unseenOnly: false },
  { dataset: 'translation_en_de', field: 'source', what: 'English sources not in the pretraining corpus', unseenOnly: true },
];

export async function evaluateGpt(ctx: EvalContext, folder: string): Promise<ReportedResult[]> {
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const model = await GPT2LMHeadModel.fromPretrained(folder);
  let t0 = performance.now();
  const ngram = trainedByteLM(ctx.data, ctx.ngramEveryNth);
  ctx.log(`  byte 5-gram trained in ${ngram.seconds.toFixed(1)} s (${ngram.description})`);
  const out: ReportedResult[] = [];
  const corpus = corpusLines(ctx.data);
  for (const h of HELD_OUT) {
    t0 = performance.now();
    const all = firstN(readSplit(ctx.data, h.dataset, 'test'), ctx.limit).map((r) => String(r[h.field]));
    const inCorpus = all.filter((t) => corpus.has(t)).length;
    const texts = h.unseenOnly ? all.filter((t) => !corpus.has(t)) : all;
    const scored = causalLmBits(model, tokenizer, texts);
    const baselines: Baseline[] = [];
    const xz = xzBitsPerByte(texts.join('\n'));
    const notes: string[] = [];
    if (xz.bitsPerByte !== null) baselines.push({ name: 'xz -9 (texts joined by newlines)', value: xz.bitsPerByte });
    else notes.push(`xz -9 skipped: ${'why' in xz ? xz.why : ''}.`);
    baselines.push({ name: ngram.description, value: byteLmBitsPerByte(ngram.lm, texts) });
    if (h.unseenOnly) notes.push(`left out: the ${inCorpus} of ${all.length} texts that are lines of corpus/en (Debian-manual paragraphs).`);
    else if (inCorpus > 0) notes.push(`${inCorpus} of these ${all.length} texts are lines of corpus/en (Debian-manual paragraphs), which kotoba-gpt-mini and the 5-gram were trained on.`);
    out.push({
      task: `language modelling (${h.what})`,
      dataset: h.dataset,
      split: 'test',
      n: texts.length,
      metric: 'bits per byte',
      value: scored.bitsPerByte,
      higher_is_better: false,
      baselines,
      note: `${h.dataset}, ${h.what}: ${notes.length ? notes.join(' ') + ' ' : ''}${scored.bytes} bytes, ${scored.tokens} GPT tokens; each text scored as a document.`,
    });
    ctx.log(`  ${h.dataset} (${h.what}): ${texts.length} texts in ${since(t0)} s`);
  }
  return out;
}
