/**
 * The models the explorer can open: a name -> folder list, each loaded on first use (in this
 * thread, next to the server's own workers) and kept for later requests.
 */
import { KotobaError } from '../errors.js';
import { loadModel, type LoadedModel } from './loader.js';

export interface ExplorerModelSpec {
  name: string;
  /** A model folder or Hub id. */
  folder: string;
}

/** Thrown for a model name the explorer was not given (answered as 404). */
export class UnknownModelError extends KotobaError {}

export class ExplorerModels {
  private readonly specs = new Map<string, ExplorerModelSpec>();
  private readonly loading = new Map<string, Promise<LoadedModel>>();

  constructor(specs: readonly ExplorerModelSpec[], private readonly onWarning: (m: string) => void = () => {}) {
    for (const s of specs) this.specs.set(s.name, s);
  }

  names(): string[] {
    return [...this.specs.keys()];
  }

  /** The loaded model; a failed load is forgotten so the next request tries again. */
  get(name: string): Promise<LoadedModel> {
    const spec = this.specs.get(name);
    if (!spec) return Promise.reject(new UnknownModelError(`no model named "${name}" here; the explorer has: ${this.names().join(', ') || '(none)'}`));
    let p = this.loading.get(name);
    if (!p) {
      p = loadModel(spec.folder, { name, onWarning: this.onWarning });
      p.catch(() => this.loading.delete(name));
      this.loading.set(name, p);
    }
    return p;
  }
}
