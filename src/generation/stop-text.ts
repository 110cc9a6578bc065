/**
 * Stop strings on streamed text (OpenAI's `stop`): the text before the first stop string is
 * shown, the stop string and what follows never are. Text that ends with the beginning of a
 * stop string is held back until the next tokens show whether the stop string follows.
 */
export class StopTextFilter {
  private pending = '';
  private stopped = false;

  constructor(readonly stopStrings: readonly string[]) {}

  /** Adds new text; returns what may be shown now, and whether a stop string was reached. */
  push(text: string): { text: string; stopped: boolean } {
    if (this.stopped) return { text: '', stopped: true };
    if (this.stopStrings.length === 0) return { text, stopped: false };
    this.pending += text;
    let cut = -1;
    for (const s of this.stopStrings) {
      const at = this.pending.indexOf(s);
      if (at >= 0 && (cut < 0 || at < cut)) cut = at;
    }
    if (cut >= 0) {
      this.stopped = true;
      const shown = this.pending.slice(0, cut);
      this.pending = '';
      return { text: shown, stopped: true };
    }
    const hold = this.heldBack();
    const shown = this.pending.slice(0, this.pending.length - hold);
    this.pending = this.pending.slice(this.pending.length - hold);
    return { text: shown, stopped: false };
  }

  /** At the end of generation: everything still held back, plus the final text. */
  end(text: string): string {
    const r = this.push(text);
    if (r.stopped) return r.text;
    const rest = this.pending;
    this.pending = '';
    return r.text + rest;
  }

  /** Length of the longest suffix of pending text that starts some stop string. */
  private heldBack(): number {
    let best = 0;
    for (const s of this.stopStrings) {
      for (let k = Math.min(s.length - 1, this.pending.length); k > best; k--) {
        if (this.pending.endsWith(s.slice(0, k))) { best = k; break; }
      }
    }
    return best;
  }
}
