/**
 * Entity-level precision, recall and F1 for token classification, as seqeval's default (CoNLL)
 * mode: tags are IOB/IOB2 ("B-PER", "I-PER", "O"; IOBES "E-"/"S-" are read too), an entity is a
 * maximal chunk of one type, and it counts only when its type, start and end all match. Tags
 * without a prefix (e.g. part-of-speech tags) are each their own one-token entity.
 */

interface Chunk {
  type: string;
  start: number;
  end: number;
}

function split(tag: string): [string, string] {
  if (tag === 'O' || tag === '') return ['O', ''];
  const m = /^([BIES])[-_](.+)$/.exec(tag);
  return m ? [m[1], m[2]] : ['S', tag];
}

/** The entities of one tag sequence as type@start-end strings. */
export function getEntities(tags: readonly string[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Chunk | null = null;
  const close = () => { if (current) chunks.push(current); current = null; };
  tags.forEach((tag, i) => {
    const [prefix, type] = split(tag);
    if (prefix === 'O') { close(); return; }
    // seqeval's start_of_chunk: B/S always start; I/E start when the type changes or nothing is open
    const starts = prefix === 'B' || prefix === 'S' || current === null || current.type !== type;
    if (starts) { close(); current = { type, start: i, end: i }; }
    else current!.end = i;
    if (prefix === 'S' || prefix === 'E') close();
  });
  close();
  return chunks;
}

export function entityScores(predictions: readonly (readonly string[])[], references: readonly (readonly string[])[]): { precision: number; recall: number; f1: number } {
  let predicted = 0;
  let actual = 0;
  let correct = 0;
  predictions.forEach((pred, s) => {
    const key = (c: Chunk) => `${c.type}@${c.start}-${c.end}`;
    const p = new Set(getEntities(pred).map(key));
    const r = getEntities(references[s]).map(key);
    predicted += p.size;
    actual += r.length;
    for (const k of r) if (p.has(k)) correct++;
  });
  const precision = predicted ? correct / predicted : 0;
  const recall = actual ? correct / actual : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}
