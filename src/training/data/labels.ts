/**
 * Label names <-> ids for classification. As transformers' run_glue / run_ner examples do, the
 * ids are the sorted unique label names of the training set (or the model's own id2label when it
 * already has meaningful labels); integer labels are used as ids directly. The map is saved in
 * config.json as id2label / label2id.
 */
import { OptionError } from '../../errors.js';

export class LabelMap {
  readonly label2id: Map<string, number>;

  constructor(readonly id2label: readonly string[]) {
    this.label2id = new Map(id2label.map((name, id) => [name, id]));
  }

  get size(): number {
    return this.id2label.length;
  }

  /** Builds the map from the labels seen in the training data (numbers 0..n-1 stay as they are). */
  static fromLabels(labels: Iterable<unknown>): LabelMap {
    const seen = new Set<string>();
    let allIntegers = true;
    for (const l of labels) {
      seen.add(String(l));
      if (!(typeof l === 'number' && Number.isInteger(l) && l >= 0)) allIntegers = false;
    }
    if (seen.size === 0) throw new OptionError('no labels found in the training data');
    if (allIntegers) {
      const max = Math.max(...[...seen].map(Number));
      return new LabelMap(Array.from({ length: max + 1 }, (_, i) => String(i)));
    }
    return new LabelMap([...seen].sort());
  }

  /** The map a model config already carries, unless its names are the LABEL_i placeholders. */
  static fromConfig(config: Record<string, unknown>): LabelMap | null {
    const id2label = config['id2label'];
    if (!id2label || typeof id2label !== 'object') return null;
    const entries = Object.entries(id2label as Record<string, unknown>).map(([k, v]) => [Number(k), String(v)] as const);
    if (entries.every(([id, name]) => name === `LABEL_${id}`)) return null;
    const names: string[] = [];
    for (const [id, name] of entries) names[id] = name;
    return new LabelMap(names);
  }

  /** The id of a label; `where` (file:line) names the example in the error for an unknown label. */
  idOf(label: unknown, where: string): number {
    const id = this.label2id.get(String(label));
    if (id === undefined) {
      const known = this.id2label.length <= 20 ? this.id2label.join(', ') : `${this.id2label.slice(0, 20).join(', ')}, ...`;
      throw new OptionError(`${where}: unknown label ${JSON.stringify(label)}; the labels of the training set are: ${known}.`);
    }
    return id;
  }

  /** config.json fields, with string keys as transformers writes them. */
  toConfig(): { id2label: Record<string, string>; label2id: Record<string, number>; num_labels: number } {
    return {
      id2label: Object.fromEntries(this.id2label.map((name, id) => [String(id), name])),
      label2id: Object.fromEntries(this.id2label.map((name, id) => [name, id])),
      num_labels: this.id2label.length,
    };
  }
}

/**
 * For validation data only: a label the training set never had cannot be predicted, so instead of
 * stopping, it becomes -100 (ignored by the loss and by the metrics) and is counted.
 */
export class UnknownLabelsIgnored extends LabelMap {
  ignored = 0;

  constructor(base: LabelMap) {
    super(base.id2label);
  }

  override idOf(label: unknown): number {
    const id = this.label2id.get(String(label));
    if (id === undefined) {
      this.ignored++;
      return -100;
    }
    return id;
  }
}

