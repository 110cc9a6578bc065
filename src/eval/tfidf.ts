/**
 * TF-IDF features of word unigrams and bigrams (Salton & Buckley 1988; the variant of
 * scikit-learn's TfidfVectorizer with sublinear_tf=True, smooth_idf=True, norm='l2'):
 *
 *   tf(t, d)  = 1 + ln(count of t in d)                  (sublinear tf)
 *   idf(t)    = ln((1 + N) / (1 + df(t))) + 1            (N training documents, df: documents with t)
 *   x(d)      = tf * idf over the terms of d, divided by its Euclidean norm
 *
 * Words: the text lowercased, runs of letters and digits (an inner apostrophe kept: "don't").
 * Terms: every word and every pair of adjacent words. The vocabulary is every term found in at
 * least `minDf` training documents (default 2: a term of a single document cannot generalise,
 * and dropping those cuts the features several-fold); other terms are dropped when transforming.
 */

export interface SparseVector {
  indices: Int32Array;
  values: Float64Array;
}

const WORD = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Unigram and bigram terms of a text, with their counts. */
export function termCounts(text: string): Map<string, number> {
  const w = words(text);
  const counts = new Map<string, number>();
  const add = (t: string) => counts.set(t, (counts.get(t) ?? 0) + 1);
  for (let i = 0; i < w.length; i++) {
    add(w[i]);
    if (i + 1 < w.length) add(`${w[i]} ${w[i + 1]}`);
  }
  return counts;
}

export class TfidfVectorizer {
  readonly vocabulary = new Map<string, number>();
  idf = new Float64Array(0);

  constructor(readonly minDf = 2) {}

  fit(texts: readonly string[]): this {
    const df = new Map<string, number>();
    for (const text of texts) for (const term of termCounts(text).keys()) df.set(term, (df.get(term) ?? 0) + 1);
    const idf: number[] = [];
    const n = texts.length;
    for (const [term, d] of df) {
      if (d < this.minDf) continue;
      this.vocabulary.set(term, idf.length);
      idf.push(Math.log((1 + n) / (1 + d)) + 1);
    }
    this.idf = Float64Array.from(idf);
    return this;
  }

  get size(): number {
    return this.vocabulary.size;
  }

  transform(text: string): SparseVector {
    const entries: [number, number][] = [];
    for (const [term, count] of termCounts(text)) {
      const id = this.vocabulary.get(term);
      if (id !== undefined) entries.push([id, (1 + Math.log(count)) * this.idf[id]]);
    }
    entries.sort((a, b) => a[0] - b[0]);
    const norm = Math.sqrt(entries.reduce((s, [, v]) => s + v * v, 0));
    return {
      indices: Int32Array.from(entries, ([i]) => i),
      values: Float64Array.from(entries, ([, v]) => (norm > 0 ? v / norm : 0)),
    };
  }
}
