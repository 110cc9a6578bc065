/**
 * Extractive question answering (SQuAD format): each record has a question, a context and answers
 * given as text with a character offset (`answers: { text: [...], answer_start: [...] }`, or flat
 * `answer_text` / `answer_start` fields). The pair (question, context) is tokenized with only the
 * context truncated, and the answer's character span is mapped to the first and last token whose
 * offsets cover it. When the answer was cut off, both positions point at [CLS] (index 0), as
 * transformers' run_qa does.
 */
import { OptionError } from '../../errors.js';
import type { PreTrainedTokenizer } from '../../tokenizers/index.js';
import { column, textColumn, type Example } from './example.js';
import type { DataRecord } from './readers.js';

export interface QaDataOptions {
  maxLength: number;
  questionColumn?: string;
  contextColumn?: string;
  answersColumn?: string;
}

interface Answer {
  text: string;
  start: number;
}

function answersOf(r: DataRecord, col: string): Answer[] {
  const where = `${r.file}:${r.line}`;
  const fields = r.fields;
  if (!(col in fields) && 'answer_start' in fields) {
    return [{ text: textColumn(fields, 'answer_text' in fields ? 'answer_text' : 'answer', where), start: Number(fields['answer_start']) }];
  }
  const a = column(fields, col, where) as { text?: unknown; answer_start?: unknown };
  if (!a || !Array.isArray(a.text) || !Array.isArray(a.answer_start) || a.text.length !== a.answer_start.length) {
    throw new OptionError(`${where}: ${JSON.stringify(col)} should be { "text": [...], "answer_start": [...] } with one offset per answer.`);
  }
  return a.text.map((text, i) => ({ text: String(text), start: Number((a.answer_start as unknown[])[i]) }));
}

export function questionAnsweringExamples(records: readonly DataRecord[], tokenizer: PreTrainedTokenizer, options: QaDataOptions): Example[] {
  const qCol = options.questionColumn ?? 'question';
  const cCol = options.contextColumn ?? 'context';
  const aCol = options.answersColumn ?? 'answers';
  return records.map((r) => {
    const where = `${r.file}:${r.line}`;
    const question = textColumn(r.fields, qCol, where);
    const context = textColumn(r.fields, cCol, where);
    const answers = answersOf(r, aCol);
    for (const a of answers) {
      if (!(a.start >= 0) || context.slice(a.start, a.start + a.text.length) !== a.text) {
        throw new OptionError(`${where}: the answer ${JSON.stringify(a.text)} is not found at character ${a.start} of the context.`);
      }
    }
    const enc = tokenizer.encodeBatch([[question, context]], { truncation: 'only_second', maxLength: options.maxLength }).encodings[0];
    const offsets = enc.offsets.map((o, t) => (enc.sequenceIds[t] === 1 ? o : null));
    const [startPositions, endPositions] = answers.length ? tokenSpan(offsets, answers[0].start, answers[0].start + answers[0].text.length) : [0, 0];
    return {
      inputIds: enc.ids, attentionMask: enc.attentionMask, tokenTypeIds: enc.typeIds, startPositions, endPositions,
      meta: { context, offsets, answers: answers.map((a) => a.text) },
    };
  });
}

/** First and last context token covering [charStart, charEnd); [0, 0] when it was truncated away. */
export function tokenSpan(offsets: readonly ([number, number] | null)[], charStart: number, charEnd: number): [number, number] {
  let start = -1;
  let end = -1;
  offsets.forEach((o, t) => {
    if (!o || o[1] <= o[0]) return;
    if (start < 0 && o[1] > charStart) start = t;
    if (o[0] < charEnd) end = t;
  });
  if (start < 0 || end < start) return [0, 0];
  const s = offsets[start]!;
  const e = offsets[end]!;
  if (s[0] > charStart || e[1] < charEnd) return [0, 0];
  return [start, end];
}
