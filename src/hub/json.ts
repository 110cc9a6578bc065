// JSON files with errors that point at the place: `config.json:3:14 (byte 41)`.
import { readFileSync } from 'node:fs';
import { FileFormatError } from '../errors.js';

/** Parse JSON text; on a syntax error throw a FileFormatError naming `file`, line, column and byte. */
export function parseJson(text: string, file: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text; // tolerate a UTF-8 BOM
  try {
    return JSON.parse(body);
  } catch (e) {
    const pos = findJsonSyntaxError(body);
    const where = describePosition(body, pos);
    throw new FileFormatError(
      `${file}: invalid JSON at ${where}: ${(e as Error).message}. Fix or re-create the file (it must be plain JSON, without comments or trailing commas).`,
    );
  }
}

/** Read and parse a JSON file that must hold an object (config.json and friends). */
export function readJsonObject(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileFormatError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`);
  }
  const value = parseJson(text, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FileFormatError(`${file}: expected a JSON object at the top level, found ${describeJsonType(value)}.`);
  }
  return value as Record<string, unknown>;
}

export function describeJsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

/**
 * JSON as Python's `json.dumps(value, indent=2, sort_keys=True) + "\n"` lays it out (the way
 * transformers writes config.json). Numbers use JavaScript's shortest form, so `1.0` becomes `1`.
 */
export function stringifySortedJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) + '\n';
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
  return out;
}

function describePosition(text: string, pos: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  const byte = Buffer.byteLength(text.slice(0, pos), 'utf8');
  return `line ${line}, column ${pos - lineStart + 1} (byte ${byte})`;
}

/**
 * Index of the first character where `text` stops being valid JSON. JSON.parse's own messages
 * do not always carry a position (it depends on the Node version), so we scan once more.
 */
export function findJsonSyntaxError(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail();
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0].length === 0) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') return void i++;
        fail();
      }
    } else if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') return void i++;
        fail();
      }
    } else if (c === '"') string();
    else if (c === 't') literal('true');
    else if (c === 'f') literal('false');
    else if (c === 'n') literal('null');
    else number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (pos) {
    return typeof pos === 'number' ? pos : i; // a RangeError from absurdly deep nesting: report where we got to
  }
}
