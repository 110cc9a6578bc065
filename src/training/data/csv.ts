/**
 * A CSV row parser (RFC 4180): comma-separated fields, fields in double quotes may hold commas,
 * line breaks and doubled quotes (""). Rows are built from lines, so a quoted field that spans
 * lines is joined back with "\n".
 */

/** One row in progress: fields parsed so far and whether a quoted field is still open. */
export interface CsvRowState {
  fields: string[];
  field: string;
  inQuotes: boolean;
  /** True once the current field began with a quote (then only a comma may follow its closing quote). */
  quoted: boolean;
}

export function newCsvRow(): CsvRowState {
  return { fields: [], field: '', inQuotes: false, quoted: false };
}

/**
 * Feeds one line into the row. Returns null when the row is complete (read `state.fields`), the
 * string 'more' when a quoted field continues on the next line, or an error message.
 */
export function feedCsvLine(state: CsvRowState, line: string, delimiter = ','): null | 'more' | string {
  let i = 0;
  if (state.inQuotes) state.field += '\n';
  while (i < line.length) {
    const c = line[i];
    if (state.inQuotes) {
      if (c === '"') {
        if (line[i + 1] === '"') { state.field += '"'; i += 2; continue; }
        state.inQuotes = false;
        i++;
        if (i < line.length && line[i] !== delimiter) return `unexpected character ${JSON.stringify(line[i])} after a closing quote (column ${i + 1})`;
        continue;
      }
      state.field += c;
      i++;
      continue;
    }
    if (c === delimiter) {
      state.fields.push(state.field);
      state.field = '';
      state.quoted = false;
      i++;
    } else if (c === '"' && state.field === '' && !state.quoted) {
      state.inQuotes = true;
      state.quoted = true;
      i++;
    } else if (c === '"') {
      return `a quote inside an unquoted field (column ${i + 1}); quote the whole field and double the inner quotes`;
    } else {
      state.field += c;
      i++;
    }
  }
  if (state.inQuotes) return 'more';
  state.fields.push(state.field);
  state.field = '';
  state.quoted = false;
  return null;
}
