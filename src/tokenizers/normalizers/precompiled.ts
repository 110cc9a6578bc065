import { FileFormatError } from '../../errors.js';
import type { NormalizedString } from '../normalized-string.js';
import { EditList, type Edits, StringEdits } from './edit-list.js';
import type { Normalizer } from './normalizer.js';

/**
 * SentencePiece's precompiled normalization rules ("charsmap"): a Darts double-array trie over
 * UTF-8 byte strings whose leaves point into a blob of NUL-terminated replacement strings.
 * Blob layout: u32 little-endian trie size in bytes, the trie (u32 units), the replacement blob.
 *
 * Applied as tokenizers does it: text is cut into grapheme clusters; a cluster shorter than 6
 * bytes is looked up whole, otherwise (or when it has no entry) each character is looked up
 * alone. A lookup takes the *shortest* trie entry that prefixes the key.
 */
export class PrecompiledCharsmap {
  private readonly units: Uint32Array;
  private readonly blob: Uint8Array;
  private readonly cache = new Map<string, string | null>();
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder();

  constructor(readonly bytes: Uint8Array) {
    if (bytes.length < 4) throw new FileFormatError('precompiled_charsmap: too short to hold a trie');
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const trieSize = view.getUint32(0, true);
    if (trieSize % 4 !== 0 || 4 + trieSize > bytes.length) {
      throw new FileFormatError(`precompiled_charsmap: trie size ${trieSize} does not fit in ${bytes.length} bytes`);
    }
    this.units = new Uint32Array(trieSize / 4);
    for (let i = 0; i < this.units.length; i++) this.units[i] = view.getUint32(4 + 4 * i, true);
    this.blob = bytes.subarray(4 + trieSize);
  }

  /** The replacement for the shortest entry prefixing `key`, or null when none does. */
  lookup(key: string): string | null {
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const result = this.search(this.encoder.encode(key));
    if (this.cache.size < 65536) this.cache.set(key, result);
    return result;
  }

  private search(key: Uint8Array): string | null {
    const units = this.units;
    if (units.length === 0) return null;
    let pos = offsetOf(units[0]);
    for (const c of key) {
      if (c === 0) break;
      pos ^= c;
      if (pos >= units.length) return null;
      const unit = units[pos];
      if ((unit & 0x800000ff) !== c) return null;
      pos ^= offsetOf(unit);
      if ((unit >>> 8) & 1) return this.replacementAt(units[pos] & 0x7fffffff);
    }
    return null;
  }

  private replacementAt(index: number): string {
    let end = index;
    while (end < this.blob.length && this.blob[end] !== 0) end++;
    return this.decoder.decode(this.blob.subarray(index, end));
  }
}

function offsetOf(unit: number): number {
  return (unit >>> 10) << ((unit & 0x200) >>> 6);
}

function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export class Precompiled implements Normalizer {
  readonly charsmap: PrecompiledCharsmap;
  /** Replacement of each ASCII character alone (undefined: unchanged). */
  private readonly ascii: (string | null)[] = [];
  /** Matches text that the normalizer may change: non-ASCII or ASCII with an entry. */
  private readonly mayChange: RegExp;
  private readonly mayChangeGlobal: RegExp;

  constructor(readonly base64: string) {
    this.charsmap = new PrecompiledCharsmap(Buffer.from(base64, 'base64'));
    let mapped = '';
    for (let c = 0; c < 128; c++) {
      const r = this.charsmap.lookup(String.fromCharCode(c));
      this.ascii.push(r);
      if (r !== null) mapped += '\\x' + c.toString(16).padStart(2, '0');
    }
    this.mayChange = new RegExp(mapped ? `[^\\x00-\\x7f]|[${mapped}]` : '[^\\x00-\\x7f]');
    this.mayChangeGlobal = new RegExp(this.mayChange.source, 'g');
  }

  normalize(input: NormalizedString): NormalizedString {
    if (!this.mayChange.test(input.text)) return input;
    const edits = new EditList();
    this.rewrite(input.text, edits);
    return edits.apply(input);
  }

  normalizeString(text: string): string {
    if (!this.mayChange.test(text)) return text;
    const edits = new StringEdits();
    this.rewrite(text, edits);
    return edits.result();
  }

  /**
   * Walks the text from one character that may change to the next: runs in between are kept
   * whole; a mapped ASCII character (or CR LF) is a grapheme of its own; non-ASCII stretches are
   * cut into graphemes, starting with the printable ASCII character before them (a combining
   * mark joins it) and ending before the next pair of ASCII characters.
   */
  private rewrite(text: string, edits: Edits): void {
    const find = this.mayChangeGlobal;
    let done = 0;
    find.lastIndex = 0;
    for (let m = find.exec(text); m !== null; m = find.exec(text)) {
      const i = m.index;
      const c = text.charCodeAt(i);
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : 0;
      let start: number;
      let end: number;
      if (c < 0x80 && next < 0x80) {
        start = i;
        end = i + (c === 13 && next === 10 ? 2 : 1);
        edits.keepRun(text, done, start);
        this.grapheme(text.slice(start, end), edits);
      } else {
        start = c >= 0x80 && i > done && text.charCodeAt(i - 1) >= 0x20 ? i - 1 : i;
        end = i + 1;
        while (end < text.length && !(text.charCodeAt(end) < 0x80 && (end + 1 >= text.length || text.charCodeAt(end + 1) < 0x80))) end++;
        edits.keepRun(text, done, start);
        for (const seg of segmenter.segment(text.slice(start, end))) this.grapheme(seg.segment, edits);
      }
      done = end;
      find.lastIndex = end;
    }
    edits.keepRun(text, done, text.length);
  }

  private grapheme(g: string, edits: Edits): void {
    if (g.length === 1 && g.charCodeAt(0) < 0x80) {
      const r = this.ascii[g.charCodeAt(0)];
      if (r === null) edits.keep(g.charCodeAt(0));
      else edits.replace(1, r);
      return;
    }
    if (utf8Length(g) < 6) {
      const r = this.charsmap.lookup(g);
      if (r !== null) {
        edits.replace(countCodePoints(g), r);
        return;
      }
    }
    for (const ch of g) {
      const r = this.charsmap.lookup(ch);
      if (r === null) edits.keep(ch.codePointAt(0)!);
      else edits.replace(1, r);
    }
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Precompiled', precompiled_charsmap: this.base64 };
  }
}

function countCodePoints(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++;
  }
  return n;
}

