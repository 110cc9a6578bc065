/**
 * Every error a user can cause is a KotobaError (DESIGN.md, "Errors and bad input").
 * The message names the thing (op and shapes, file and offset, field) and what to do.
 */
export class KotobaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Tensor shapes that do not fit an op (broadcasting, matmul, view, dims out of range). */
export class ShapeError extends KotobaError {}

/** A tensor of the wrong dtype (e.g. float ids, int32 input to a float-only op). */
export class DTypeError extends KotobaError {}

/** Misuse of autograd: backward on a non-scalar without a gradient, in-place change of a saved tensor. */
export class AutogradError extends KotobaError {}

/** An option or argument outside its allowed range. */
export class OptionError extends KotobaError {}

/** A malformed or inconsistent file (checkpoint, tokenizer, config, data). */
export class FileFormatError extends KotobaError {}

/** A state dict or config that does not match the model. */
export class StateDictError extends KotobaError {}
