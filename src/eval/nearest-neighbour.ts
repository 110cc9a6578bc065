/**
 * A translation-memory baseline for text-to-text tasks: for each test source, the target of the
 * training pair whose source is most similar (cosine of the TF-IDF vectors of tfidf.ts; ties to
 * the earlier pair; a source sharing no term with any training source gets the first pair's target).
 */
import { TfidfVectorizer } from './tfidf.js';

export class NearestNeighbourTranslator {
  private readonly vectorizer = new TfidfVectorizer();
  private postings: { doc: number; value: number }[][] = [];
  private targets: string[] = [];

  fit(pairs: readonly { source: string; target: string }[]): this {
    this.vectorizer.fit(pairs.map((p) => p.source));
    this.targets = pairs.map((p) => p.target);
    this.postings = Array.from({ length: this.vectorizer.size }, () => []);
    pairs.forEach((p, doc) => {
      const v = this.vectorizer.transform(p.source);
      v.indices.forEach((t, j) => this.postings[t].push({ doc, value: v.values[j] }));
    });
    return this;
  }

  translate(source: string): string {
    const v = this.vectorizer.transform(source);
    const scores = new Map<number, number>();
    v.indices.forEach((t, j) => {
      for (const { doc, value } of this.postings[t]) scores.set(doc, (scores.get(doc) ?? 0) + value * v.values[j]);
    });
    let best = 0;
    let bestScore = -Infinity;
    for (const [doc, s] of scores) if (s > bestScore || (s === bestScore && doc < best)) [best, bestScore] = [doc, s];
    return this.targets[best];
  }
}
