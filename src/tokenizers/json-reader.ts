import { FileFormatError } from '../errors.js';

type Json = Record<string, unknown>;

/**
 * Typed access to a parsed JSON file that reports mistakes as FileFormatError naming the file
 * and the JSON path ("tokenizer.json: model.vocab must be an object").
 */
export class JsonReader {
  constructor(
    readonly file: string,
    readonly value: unknown,
    readonly path: string = '',
  ) {}

  static parse(file: string, text: string): JsonReader {
    try {
      return new JsonReader(file, JSON.parse(text));
    } catch (e) {
      throw new FileFormatError(`${file}: not valid JSON (${(e as Error).message})`);
    }
  }

  fail(what: string): never {
    throw new FileFormatError(`${this.file}: ${this.path || '(top level)'} ${what}`);
  }

  get isNull(): boolean {
    return this.value === null || this.value === undefined;
  }

  object(): Json {
    if (typeof this.value !== 'object' || this.value === null || Array.isArray(this.value)) this.fail('must be an object');
    return this.value as Json;
  }

  has(key: string): boolean {
    return this.object()[key] !== undefined;
  }

  get(key: string): JsonReader {
    return new JsonReader(this.file, this.object()[key], this.path ? `${this.path}.${key}` : key);
  }

  at(index: number): JsonReader {
    return new JsonReader(this.file, this.array()[index], `${this.path}[${index}]`);
  }

  array(): unknown[] {
    if (!Array.isArray(this.value)) this.fail('must be an array');
    return this.value as unknown[];
  }

  items(): JsonReader[] {
    return this.array().map((_, i) => this.at(i));
  }

  string(fallback?: string): string {
    if (this.isNull && fallback !== undefined) return fallback;
    if (typeof this.value !== 'string') this.fail('must be a string');
    return this.value as string;
  }

  optionalString(): string | null {
    return this.isNull ? null : this.string();
  }

  number(fallback?: number): number {
    if (this.isNull && fallback !== undefined) return fallback;
    if (typeof this.value !== 'number' || !Number.isFinite(this.value)) this.fail('must be a number');
    return this.value as number;
  }

  integer(fallback?: number): number {
    const n = this.number(fallback);
    if (!Number.isInteger(n) || n < 0) this.fail(`must be a non-negative integer, not ${n}`);
    return n;
  }

  boolean(fallback?: boolean): boolean {
    if (this.isNull && fallback !== undefined) return fallback;
    if (typeof this.value !== 'boolean') this.fail('must be true or false');
    return this.value as boolean;
  }

  /** A {token: id} object as a Map, checking that ids are distinct non-negative integers. */
  vocab(): Map<string, number> {
    const vocab = new Map<string, number>();
    const seen = new Set<number>();
    for (const [token, id] of Object.entries(this.object())) {
      if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) this.fail(`gives ${JSON.stringify(token)} the id ${JSON.stringify(id)}; ids must be non-negative integers`);
      if (id > 0x7fffffff) this.fail(`gives ${JSON.stringify(token)} the id ${id}, past the int32 range ids are kept in`);
      if (seen.has(id)) this.fail(`gives the id ${id} to more than one token (the second is ${JSON.stringify(token)})`);
      seen.add(id);
      vocab.set(token, id);
    }
    return vocab;
  }
}
