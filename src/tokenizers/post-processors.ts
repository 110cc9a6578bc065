import { FileFormatError } from '../errors.js';
import { Encoding } from './encoding.js';

/** Last stage: adds the model's special tokens around one sequence or a pair, and sets type ids. */
export interface PostProcessor {
  /** How many tokens `process` adds (so truncation can leave room for them). */
  addedTokens(isPair: boolean): number;
  process(a: Encoding, b: Encoding | null, addSpecialTokens: boolean): Encoding;
  toJSON(): Record<string, unknown>;
}

export type TemplatePiece = { kind: 'sequence'; sequence: 0 | 1; typeId: number } | { kind: 'special'; name: string; typeId: number };

export interface SpecialTokenSpec {
  id: string;
  ids: number[];
  tokens: string[];
}

/**
 * TemplateProcessing: e.g. BERT single "[CLS]:0 $A:0 [SEP]:0" and pair
 * "[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1"; T5 "$A:0 </s>:0". Sequences take the template's type id
 * even when special tokens are not added.
 */
export class TemplateProcessing implements PostProcessor {
  constructor(
    readonly single: TemplatePiece[],
    readonly pair: TemplatePiece[],
    readonly specialTokens: Map<string, SpecialTokenSpec>,
  ) {
    for (const piece of [...single, ...pair]) {
      if (piece.kind === 'special' && !specialTokens.has(piece.name)) {
        throw new FileFormatError(`TemplateProcessing: special token "${piece.name}" is used in a template but not defined`);
      }
    }
  }

  /** Parses "[CLS]:0 $A:0 [SEP]:0"-style strings. */
  static parseTemplate(template: string): TemplatePiece[] {
    return template
      .trim()
      .split(/\s+/)
      .map((part) => {
        const m = /^(.*?)(?::(\d+))?$/.exec(part)!;
        const typeId = m[2] === undefined ? 0 : Number(m[2]);
        if (m[1] === '$A' || m[1] === '$' || m[1] === '$0') return { kind: 'sequence', sequence: 0, typeId };
        if (m[1] === '$B' || m[1] === '$1') return { kind: 'sequence', sequence: 1, typeId };
        return { kind: 'special', name: m[1], typeId };
      });
  }

  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const piece of isPair ? this.pair : this.single) if (piece.kind === 'special') n += this.specialTokens.get(piece.name)!.ids.length;
    return n;
  }

  process(a: Encoding, b: Encoding | null, addSpecialTokens: boolean): Encoding {
    const out = new Encoding();
    for (const piece of b === null ? this.single : this.pair) {
      if (piece.kind === 'sequence') {
        const seq = piece.sequence === 0 ? a : b;
        if (seq === null) continue;
        const start = out.length;
        out.append(seq);
        for (let i = start; i < out.length; i++) {
          out.typeIds[i] = piece.typeId;
          out.sequenceIds[i] = piece.sequence;
        }
      } else if (addSpecialTokens) {
        const spec = this.specialTokens.get(piece.name)!;
        spec.ids.forEach((id, k) => out.push(id, spec.tokens[k], [0, 0], null, null, piece.typeId, 1));
      }
    }
    return out;
  }

  toJSON(): Record<string, unknown> {
    const piece = (p: TemplatePiece): Record<string, unknown> =>
      p.kind === 'sequence' ? { Sequence: { id: p.sequence === 0 ? 'A' : 'B', type_id: p.typeId } } : { SpecialToken: { id: p.name, type_id: p.typeId } };
    return {
      type: 'TemplateProcessing',
      single: this.single.map(piece),
      pair: this.pair.map(piece),
      special_tokens: Object.fromEntries([...this.specialTokens].map(([k, v]) => [k, { id: v.id, ids: v.ids, tokens: v.tokens }])),
    };
  }
}

/** Concatenates a pair as is (sequence ids 0/1; the pair keeps type id 1). Also GPT-2's ByteLevel processor. */
export class PassThroughProcessing implements PostProcessor {
  constructor(private readonly json: Record<string, unknown> | null = null) {}

  addedTokens(): number {
    return 0;
  }

  process(a: Encoding, b: Encoding | null): Encoding {
    if (b === null) return a;
    const out = new Encoding();
    out.append(a);
    out.append(b);
    for (let i = 0; i < out.length; i++) out.sequenceIds[i] = i < a.length ? 0 : 1;
    return out;
  }

  toJSON(): Record<string, unknown> {
    return this.json ?? {};
  }
}

/** Builds BERT's template from BertProcessing's [token, id] pairs. */
export function bertTemplate(cls: [string, number], sep: [string, number]): TemplateProcessing {
  const specials = new Map<string, SpecialTokenSpec>([
    [cls[0], { id: cls[0], ids: [cls[1]], tokens: [cls[0]] }],
    [sep[0], { id: sep[0], ids: [sep[1]], tokens: [sep[0]] }],
  ]);
  return new TemplateProcessing(
    TemplateProcessing.parseTemplate(`${cls[0]}:0 $A:0 ${sep[0]}:0`),
    TemplateProcessing.parseTemplate(`${cls[0]}:0 $A:0 ${sep[0]}:0 $B:1 ${sep[0]}:1`),
    specials,
  );
}

/** Applies processors in turn (tokenizers' Sequence post-processor). */
export class SequenceProcessing implements PostProcessor {
  constructor(readonly processors: PostProcessor[]) {}

  addedTokens(isPair: boolean): number {
    return this.processors.reduce((n, p) => n + p.addedTokens(isPair), 0);
  }

  process(a: Encoding, b: Encoding | null, addSpecialTokens: boolean): Encoding {
    let out = this.processors.length ? this.processors[0].process(a, b, addSpecialTokens) : a;
    for (const p of this.processors.slice(1)) out = p.process(out, null, addSpecialTokens);
    return out;
  }

  toJSON(): Record<string, unknown> {
    return { type: 'Sequence', processors: this.processors.map((p) => p.toJSON()) };
  }
}
