/**
 * The models a server serves: each has a name (the API's `model`), a folder, an engine that
 * loads and runs it, and a scheduler. Models load in the background; until one is ready its
 * requests get 503 (Retry-After), while /health and /v1/models already answer.
 */
import type { Engine, ModelInfo } from './engine.js';
import { modelFailed, modelLoading, modelNotFound } from './errors.js';
import { nowSeconds } from './responses.js';
import { Scheduler, type SchedulerOptions } from './scheduler.js';

export interface ModelSpec {
  name: string;
  folder: string;
}

export type ModelState = 'loading' | 'ready' | 'failed';

export interface ModelEntry {
  name: string;
  folder: string;
  state: ModelState;
  info: ModelInfo | null;
  /** Why loading failed (logged; never sent to clients). */
  error: string | null;
  engine: Engine;
  scheduler: Scheduler;
  created: number;
}

export interface ReadyModel extends ModelEntry {
  info: ModelInfo;
}

export class ModelRegistry {
  private readonly entries = new Map<string, ModelEntry>();

  constructor(specs: readonly ModelSpec[], makeEngine: (spec: ModelSpec) => Engine, scheduling: SchedulerOptions) {
    for (const spec of specs) {
      this.entries.set(spec.name, {
        ...spec, state: 'loading', info: null, error: null, engine: makeEngine(spec),
        scheduler: new Scheduler(spec.name, scheduling), created: nowSeconds(),
      });
    }
  }

  /** Loads every model; resolves when all have loaded or failed (failures are logged via onError). */
  async loadAll(onError: (name: string, err: unknown) => void): Promise<void> {
    await Promise.all([...this.entries.values()].map(async (entry) => {
      try {
        entry.info = await entry.engine.load(entry.folder);
        entry.state = 'ready';
      } catch (err) {
        entry.state = 'failed';
        entry.error = err instanceof Error ? err.message : String(err);
        onError(entry.name, err);
      }
    }));
  }

  list(): ModelEntry[] {
    return [...this.entries.values()];
  }

  find(name: string): ModelEntry {
    const entry = this.entries.get(name);
    if (!entry) throw modelNotFound(name);
    return entry;
  }

  /** The model, ready to run: 404 when unknown, 503 while loading or after a failed load. */
  ready(name: string): ReadyModel {
    const entry = this.find(name);
    if (entry.state === 'loading') throw modelLoading(name);
    if (entry.state === 'failed' || !entry.info) throw modelFailed(name);
    return entry as ReadyModel;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((e) => e.engine.close()));
  }
}
