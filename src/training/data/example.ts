/**
 * An example after tokenization: the model's inputs as plain id lists (collators turn a list of
 * them into padded tensors). Extra fields used only by evaluation (QA offsets and answers) ride
 * along under `meta` and are never fed to the model.
 */
import { OptionError } from '../../errors.js';

export interface Example {
  inputIds: number[];
  attentionMask?: number[];
  tokenTypeIds?: number[];
  /** A class id (sequence classification), or one id per token (-100 = ignored). */
  labels?: number | number[];
  startPositions?: number;
  endPositions?: number;
  meta?: QaMeta;
}

/** What the QA metrics need to turn predicted token positions back into answer text. */
export interface QaMeta {
  context: string;
  /** [start, end) character offsets into the context for each token; null outside the context. */
  offsets: ([number, number] | null)[];
  answers: string[];
}

/** A field of a record, with an error naming file:line and the available columns when absent. */
export function column(fields: Record<string, unknown>, name: string, where: string): unknown {
  if (!(name in fields)) {
    throw new ColumnError(`${where}: there is no column ${JSON.stringify(name)}; the columns are: ${Object.keys(fields).join(', ')}. Choose one with the column options (--text-column, --label-column).`);
  }
  return fields[name];
}

/** A field that must be a string (text columns). */
export function textColumn(fields: Record<string, unknown>, name: string, where: string): string {
  const v = column(fields, name, where);
  if (typeof v !== 'string') throw new ColumnError(`${where}: column ${JSON.stringify(name)} should hold text, found ${JSON.stringify(v)?.slice(0, 60)}.`);
  return v;
}

/** A missing or mistyped column (an option error: the user chose the column). */
export class ColumnError extends OptionError {}
