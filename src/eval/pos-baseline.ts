/**
 * The most-frequent-tag part-of-speech baseline (the "unigram tagger" of Charniak et al. 1993,
 * which gets ~90% on the Brown corpus): each word form gets the tag it carries most often in
 * the training data; a form never seen gets the most frequent tag of its lowercased form; a
 * word unseen in both ways gets the most frequent tag overall. Ties go to the tag seen first.
 */

function bestTag(counts: Map<string, number>): string {
  let best = '';
  let bestCount = -1;
  for (const [tag, n] of counts) {
    if (n > bestCount) {
      best = tag;
      bestCount = n;
    }
  }
  return best;
}

export class MostFrequentTagger {
  private readonly byForm = new Map<string, string>();
  private readonly byLower = new Map<string, string>();
  fallback = '';

  fit(sentences: readonly { tokens: readonly string[]; tags: readonly string[] }[]): this {
    const form = new Map<string, Map<string, number>>();
    const lower = new Map<string, Map<string, number>>();
    const overall = new Map<string, number>();
    const add = (table: Map<string, Map<string, number>>, key: string, tag: string) => {
      let m = table.get(key);
      if (!m) table.set(key, (m = new Map()));
      m.set(tag, (m.get(tag) ?? 0) + 1);
    };
    for (const s of sentences) {
      s.tokens.forEach((w, i) => {
        const tag = s.tags[i];
        add(form, w, tag);
        add(lower, w.toLowerCase(), tag);
        overall.set(tag, (overall.get(tag) ?? 0) + 1);
      });
    }
    for (const [w, m] of form) this.byForm.set(w, bestTag(m));
    for (const [w, m] of lower) this.byLower.set(w, bestTag(m));
    this.fallback = bestTag(overall);
    return this;
  }

  tag(tokens: readonly string[]): string[] {
    return tokens.map((w) => this.byForm.get(w) ?? this.byLower.get(w.toLowerCase()) ?? this.fallback);
  }
}
