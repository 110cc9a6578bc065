/**
 * Packing for pretraining, as transformers' run_mlm / run_clm `group_texts`: the token ids of
 * consecutive documents are concatenated and cut into blocks of exactly `blockSize` tokens; the
 * remainder at the very end is dropped. No padding is ever needed.
 */
import { OptionError } from '../../errors.js';

export class BlockPacker {
  private buffer: number[] = [];
  /** Tokens dropped at the end (less than one block). */
  dropped = 0;

  constructor(readonly blockSize: number) {
    if (!Number.isInteger(blockSize) || blockSize < 2) throw new OptionError(`block size must be an integer >= 2, got ${blockSize}`);
  }

  /** Adds one document's ids; returns the blocks completed by it. */
  push(ids: readonly number[]): Int32Array[] {
    for (const id of ids) this.buffer.push(id);
    const blocks: Int32Array[] = [];
    let start = 0;
    while (this.buffer.length - start >= this.blockSize) {
      blocks.push(Int32Array.from(this.buffer.slice(start, start + this.blockSize)));
      start += this.blockSize;
    }
    if (start > 0) this.buffer = this.buffer.slice(start);
    return blocks;
  }

  /** Ends the stream: the leftover tokens are dropped (counted in `dropped`). */
  finish(): void {
    this.dropped = this.buffer.length;
    this.buffer = [];
  }
}

/** Packs a list of documents' ids into blocks. */
export function packIntoBlocks(documents: Iterable<readonly number[]>, blockSize: number): Int32Array[] {
  const packer = new BlockPacker(blockSize);
  const blocks: Int32Array[] = [];
  for (const ids of documents) blocks.push(...packer.push(ids));
  packer.finish();
  return blocks;
}
