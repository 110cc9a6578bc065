/**
 * kotoba-gpt-mini: bits per byte on held-out English text, each text a document: the texts of
 * sentiment_uci test, and the English sources of translation_en_de test. Baselines on the same
 * texts: xz -9 (the texts joined by newlines, compressed as one file) and the byte 5-gram.
 */
import { GPT2LMHeadModel } from '../../models/index.js';
import { AutoTokenizer } from '../../tokenizers/index.js';
import { byteLmBitsPerByte, trainedByteLM } from '../byte-lm-baseline.js';
import { since, type EvalContext } from '../context.js';
import { firstN, readSplit } from '../data.js';
import { causalLmBits } from '../lm-bits.js';
import type { Baseline, ReportedResult } from '../results.js';
import { xzBitsPerByte } from '../xz.js';

const HELD_OUT = [
  { dataset: 'sentiment_uci', field: 'text', what: 'texts', note: '' },
  {
    dataset: 'translation_en_de',
    field: 'source',
    what: 'English sources',
    // corpus/en/debian_docs.txt.gz holds the English Debian manuals (data README), which both
    // the GPT and the 5-gram were trained on
    note: 'translation_en_de English side: its Debian-manual paragraphs (~38% of the set) are also in corpus/en/debian_docs.txt.gz, which kotoba-gpt-mini and the 5-gram were trained on; the Ding dictionary sentences (~62%) are not.',
  },
] as const;

export async function evaluateGpt(ctx: EvalContext, folder: string): Promise<ReportedResult[]> {
  const tokenizer = AutoTokenizer.fromFolder(folder);
  const model = await GPT2LMHeadModel.fromPretrained(folder);
  let t0 = performance.now();
  const ngram = trainedByteLM(ctx.data);
  ctx.log(`  byte 5-gram trained in ${ngram.seconds.toFixed(1)} s (${ngram.description})`);
  const out: ReportedResult[] = [];
  for (const h of HELD_OUT) {
    t0 = performance.now();
    const texts = firstN(readSplit(ctx.data, h.dataset, 'test'), ctx.limit).map((r) => String(r[h.field]));
    const scored = causalLmBits(model, tokenizer, texts);
    const baselines: Baseline[] = [];
    const xz = xzBitsPerByte(texts.join('\n'));
    const notes: string[] = [];
    if (xz.bitsPerByte !== null) baselines.push({ name: 'xz -9 (texts joined by newlines)', value: xz.bitsPerByte });
    else notes.push(`xz -9 skipped: ${'why' in xz ? xz.why : ''}.`);
    baselines.push({ name: ngram.description, value: byteLmBitsPerByte(ngram.lm, texts) });
    if (h.note) notes.push(h.note);
    out.push({
      task: `language modelling (${h.what})`,
      dataset: h.dataset,
      split: 'test',
      n: texts.length,
      metric: 'bits per byte',
      value: scored.bitsPerByte,
      higher_is_better: false,
      baselines,
      note: notes.length ? `${h.dataset}: ${notes.join(' ')} (${scored.bytes} bytes, ${scored.tokens} GPT tokens)` : undefined,
    });
    ctx.log(`  ${h.dataset}: ${texts.length} texts in ${since(t0)} s`);
  }
  return out;
}
