/**
 * question-answering (extractive): the span of the context that answers the question, from a
 * BERT with a span head (BertForQuestionAnswering, e.g. a SQuAD fine-tune), as transformers'
 * QuestionAnsweringPipeline finds it.
 *
 * - The model reads "[CLS] question [SEP] context [SEP]". Tokens outside the context get a logit
 *   of -10000, the start and end logits each go through a softmax, and the best span is the
 *   (start, end) pair with start <= end < start + maxAnswerLen that maximises
 *   p_start(start) * p_end(end); that product is its score.
 * - With alignToWords (default), the span is widened to whole words: `start` is the first
 *   character of the start token's word and `end` the last of the end token's word (characters
 *   of the context; answer === context.slice(start, end)).
 * - A context too long for maxSeqLen tokens (default 384, at most the model's context) is read
 *   in overlapping windows, docStride tokens of overlap (default 128, at most half a window),
 *   cut at word boundaries; the best spans of all windows compete.
 * - handleImpossibleAnswer adds the empty answer (score p_start([CLS]) * p_end([CLS]), the lowest
 *   over windows) as a candidate.
 * - topK 1 (default) gives one { score, start, end, answer }; more gives a list, best first.
 *   A list of { question, context } gives one result per item.
 *
 * No shipped Kotoba model has a question-answering head, so this task has no default model.
 */
import { OptionError } from '../errors.js';
import { noGrad, type Tensor } from '../tensor/index.js';
import type { Encoding } from '../tokenizers/index.js';
import { contextLength, Pipeline, positiveInt, softmax } from './base.js';

export interface QuestionAnsweringInput {
  question: string;
  context: string;
}

export interface QuestionAnsweringOptions {
  /** Number of answers (default 1: one object instead of a list). */
  topK?: number;
  /** Longest answer in tokens (default 15). */
  maxAnswerLen?: number;
  /** Tokens per window, question and special tokens included (default 384, at most the model's context). */
  maxSeqLen?: number;
  /** Tokens shared by consecutive windows of a long context (default 128). */
  docStride?: number;
  /** Also consider "no answer" (default false). */
  handleImpossibleAnswer?: boolean;
  /** Widen spans to whole words (default true). */
  alignToWords?: boolean;
}

export interface Answer {
  score: number;
  start: number;
  end: number;
  answer: string;
}

export interface QuestionAnsweringPipeline {
  (inputs: QuestionAnsweringInput, options?: QuestionAnsweringOptions): Promise<Answer | Answer[]>;
  (inputs: QuestionAnsweringInput[], options?: QuestionAnsweringOptions): Promise<(Answer | Answer[])[]>;
}

/** One window of the context: its characters [from, to) and its pair encoding. */
interface Window {
  from: number;
  encoding: Encoding;
}

export class QuestionAnsweringPipeline extends Pipeline<QuestionAnsweringOptions> {
  async run(inputs: QuestionAnsweringInput | QuestionAnsweringInput[], options?: QuestionAnsweringOptions): Promise<Answer | Answer[] | (Answer | Answer[])[]> {
    const opts = this.merged(options);
    const batched = Array.isArray(inputs);
    const items = (batched ? inputs : [inputs]) as QuestionAnsweringInput[];
    if (batched && items.length === 0) throw new OptionError(`${this.task}: the input list is empty`);
    const results = items.map((item, i) => {
      if (!item || typeof item !== 'object' || typeof item.question !== 'string' || typeof item.context !== 'string') {
        throw new OptionError(`${this.task}: each input is { question: string, context: string }${batched ? ` (item ${i} is not)` : ''}`);
      }
      if (item.question.trim() === '' || item.context.trim() === '') throw new OptionError(`${this.task}: the question and the context must not be empty`);
      return this.answer(item, opts);
    });
    return batched ? results : results[0];
  }

  private answer({ question, context }: QuestionAnsweringInput, opts: QuestionAnsweringOptions): Answer | Answer[] {
    const topK = positiveInt(opts.topK, `${this.task}: topK`) ?? 1;
    const maxAnswerLen = positiveInt(opts.maxAnswerLen, `${this.task}: maxAnswerLen`) ?? 15;
    const alignToWords = opts.alignToWords ?? true;
    const answers: Answer[] = [];
    let minNull = Infinity;
    for (const window of this.windows(question, context, opts)) {
      const enc = window.encoding;
      const out = noGrad(() => this.model.forward({ inputIds: [enc.ids], tokenTypeIds: [enc.typeIds] }));
      const inContext = enc.sequenceIds.map((s) => s === 1);
      // tokens outside the context cannot be in the answer ([CLS] is kept: it stands for "no answer")
      const masked = (logits: Tensor) => logits.toFlatArray().map((x, i) => (inContext[i] || enc.ids[i] === this.tokenizer.clsTokenId ? x : -10000));
      const pStart = softmax(masked(out.startLogits));
      const pEnd = softmax(masked(out.endLogits));
      minNull = Math.min(minNull, pStart[0] * pEnd[0]);
      pStart[0] = pEnd[0] = 0;
      for (const [s, e, score] of bestSpans(pStart, pEnd, inContext, maxAnswerLen, topK)) {
        const [start, end] = alignToWords ? wordSpan(enc, s, e) : [enc.offsets[s][0], enc.offsets[e][1]];
        answers.push({ score, start: window.from + start, end: window.from + end, answer: context.slice(window.from + start, window.from + end) });
      }
    }
    if (opts.handleImpossibleAnswer) answers.push({ score: minNull, start: 0, end: 0, answer: '' });
    answers.sort((a, b) => b.score - a.score);
    const top = answers.slice(0, topK);
    return topK === 1 ? top[0] : top;
  }

  /**
   * The context as one pair encoding, or as overlapping windows when it is too long: window
   * boundaries fall between words, so each window tokenizes exactly like that part of the whole.
   */
  private windows(question: string, context: string, opts: QuestionAnsweringOptions): Window[] {
    const limit = contextLength(this.model, this.tokenizer);
    const asked = positiveInt(opts.maxSeqLen, `${this.task}: maxSeqLen`) ?? 384;
    const maxSeqLen = limit === null ? asked : Math.min(asked, limit);
    const pair = (text: string) => this.tokenizer.encodeBatch([[question, text]], { truncation: false }).encodings[0];
    const whole = pair(context);
    if (whole.length <= maxSeqLen) return [{ from: 0, encoding: whole }];

    const tokens = this.tokenizer.backend.encode(context, null, { addSpecialTokens: false, truncation: null, padding: null });
    const budget = maxSeqLen - (whole.length - tokens.length);
    if (budget < 2) throw new OptionError(`${this.task}: the question leaves no room for the context in ${maxSeqLen} tokens; shorten the question or raise maxSeqLen`);
    const stride = Math.min(positiveInt(opts.docStride, `${this.task}: docStride`, 0) ?? 128, Math.floor(budget / 2));
    const firstOfWord = (i: number) => {
      while (i > 0 && tokens.wordIds[i - 1] === tokens.wordIds[i]) i--;
      return i;
    };
    const windows: Window[] = [];
    for (let s = 0; s < tokens.length; ) {
      let e = Math.min(s + budget, tokens.length);
      if (e < tokens.length && firstOfWord(e) > s) e = firstOfWord(e); // end between two words
      const from = tokens.offsets[s][0];
      const text = context.slice(from, tokens.offsets[e - 1][1]);
      const encoding = this.tokenizer.encodeBatch([[question, text]], { truncation: 'only_second', maxLength: maxSeqLen }).encodings[0];
      windows.push({ from, encoding });
      if (e >= tokens.length) break;
      const next = firstOfWord(e - stride);
      s = next > s ? next : e;
    }
    return windows;
  }
}

/** The topK (start, end, p_start * p_end) spans inside the context, best first. */
function bestSpans(pStart: number[], pEnd: number[], allowed: boolean[], maxAnswerLen: number, topK: number): [number, number, number][] {
  const spans: [number, number, number][] = [];
  for (let s = 0; s < pStart.length; s++) {
    if (!allowed[s]) continue;
    for (let e = s; e < Math.min(pEnd.length, s + maxAnswerLen); e++) {
      if (allowed[e]) spans.push([s, e, pStart[s] * pEnd[e]]);
    }
  }
  spans.sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1]);
  return spans.slice(0, topK);
}

/** transformers' align_to_words: the characters of the start token's word through the end token's word. */
function wordSpan(enc: Encoding, s: number, e: number): [number, number] {
  const sameWord = (i: number, j: number) => enc.sequenceIds[j] === enc.sequenceIds[i] && enc.wordIds[j] !== null && enc.wordIds[j] === enc.wordIds[i];
  let start = enc.offsets[s][0];
  let end = enc.offsets[e][1];
  for (let j = 0; j < enc.length; j++) {
    if (sameWord(s, j)) start = Math.min(start, enc.offsets[j][0]);
    if (sameWord(e, j)) end = Math.max(end, enc.offsets[j][1]);
  }
  return [start, end];
}
