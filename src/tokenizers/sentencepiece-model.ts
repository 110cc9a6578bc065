import { FileFormatError } from '../errors.js';

/** Piece types of sentencepiece_model.proto. */
export enum PieceType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Unused = 5,
  Byte = 6,
}

export interface SentencePieceModel {
  pieces: { piece: string; score: number; type: PieceType }[];
  /** 1 unigram, 2 BPE, 3 word, 4 char. */
  modelType: number;
  unkId: number;
  bosId: number;
  eosId: number;
  padId: number;
  byteFallback: boolean;
  /** Normalization rules (empty when the model has none, e.g. "identity"). */
  precompiledCharsmap: Uint8Array;
  normalizerName: string;
  addDummyPrefix: boolean;
  removeExtraWhitespaces: boolean;
}

/** Minimal protobuf wire-format reader: enough for sentencepiece's ModelProto. */
class ProtoReader {
  pos = 0;

  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {}

  get done(): boolean {
    return this.pos >= this.bytes.length;
  }

  fail(what: string): never {
    throw new FileFormatError(`${this.file}: not a SentencePiece model: ${what} at byte ${this.pos}`);
  }

  /** Low 32 bits of the last varint, as a signed int32 (negative int32s take 10 bytes). */
  lastInt32 = 0;

  varint(): number {
    let result = 0;
    let low = 0;
    let shift = 0;
    for (;;) {
      if (this.pos >= this.bytes.length) this.fail('truncated varint');
      const b = this.bytes[this.pos++];
      if (shift < 49) result += (b & 0x7f) * 2 ** shift;
      if (shift < 32) low |= (b & 0x7f) << shift;
      this.lastInt32 = low | 0;
      if ((b & 0x80) === 0) return result;
      shift += 7;
      if (shift > 70) this.fail('varint too long');
    }
  }

  /** A field key: [field number, wire type]. */
  key(): [number, number] {
    const k = this.varint();
    return [Math.floor(k / 8), k & 7];
  }

  bytesField(): Uint8Array {
    const n = this.varint();
    if (this.pos + n > this.bytes.length) this.fail(`length ${n} runs past the end`);
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  float32(): number {
    if (this.pos + 4 > this.bytes.length) this.fail('truncated float');
    const v = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4).getFloat32(0, true);
    this.pos += 4;
    return v;
  }

  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.pos += 8;
    else if (wireType === 2) this.bytesField();
    else if (wireType === 5) this.pos += 4;
    else this.fail(`unsupported wire type ${wireType}`);
    if (this.pos > this.bytes.length) this.fail('field runs past the end');
  }

  sub(bytes: Uint8Array): ProtoReader {
    return new ProtoReader(bytes, this.file);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(r: ProtoReader, bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return r.fail('a string field is not valid UTF-8');
  }
}

/** An int32 field (negative values are 64-bit two's complement varints). */
function int32(r: ProtoReader): number {
  r.varint();
  return r.lastInt32;
}

/** Reads spiece.model (ModelProto) without native code. */
export function readSentencePieceModel(bytes: Uint8Array, file = 'spiece.model'): SentencePieceModel {
  const model: SentencePieceModel = {
    pieces: [],
    modelType: 1,
    unkId: 0,
    bosId: 1,
    eosId: 2,
    padId: -1,
    byteFallback: false,
    precompiledCharsmap: new Uint8Array(0),
    normalizerName: '',
    addDummyPrefix: true,
    removeExtraWhitespaces: true,
  };
  const r = new ProtoReader(bytes, file);
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === 2) model.pieces.push(readPiece(r.sub(r.bytesField())));
    else if (field === 2 && wire === 2) readTrainerSpec(r.sub(r.bytesField()), model);
    else if (field === 3 && wire === 2) readNormalizerSpec(r.sub(r.bytesField()), model);
    else r.skip(wire);
  }
  if (model.pieces.length === 0) r.fail('no pieces');
  return model;
}

function readPiece(r: ProtoReader): SentencePieceModel['pieces'][number] {
  const piece = { piece: '', score: 0, type: PieceType.Normal };
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === 2) piece.piece = text(r, r.bytesField());
    else if (field === 2 && wire === 5) piece.score = r.float32();
    else if (field === 3 && wire === 0) piece.type = r.varint();
    else r.skip(wire);
  }
  return piece;
}

function readTrainerSpec(r: ProtoReader, model: SentencePieceModel): void {
  while (!r.done) {
    const [field, wire] = r.key();
    if (wire !== 0) r.skip(wire);
    else if (field === 3) model.modelType = r.varint();
    else if (field === 35) model.byteFallback = r.varint() !== 0;
    else if (field === 40) model.unkId = int32(r);
    else if (field === 41) model.bosId = int32(r);
    else if (field === 42) model.eosId = int32(r);
    else if (field === 43) model.padId = int32(r);
    else r.varint();
  }
}

function readNormalizerSpec(r: ProtoReader, model: SentencePieceModel): void {
  while (!r.done) {
    const [field, wire] = r.key();
    if (field === 1 && wire === 2) model.normalizerName = text(r, r.bytesField());
    else if (field === 2 && wire === 2) model.precompiledCharsmap = r.bytesField().slice();
    else if (field === 3 && wire === 0) model.addDummyPrefix = r.varint() !== 0;
    else if (field === 4 && wire === 0) model.removeExtraWhitespaces = r.varint() !== 0;
    else r.skip(wire);
  }
}
