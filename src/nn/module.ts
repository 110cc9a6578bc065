/**
 * Module: the base of every layer and model, as torch.nn.Module. Parameters, buffers and
 * submodules are found by walking the module's own properties, so a layer just assigns them
 * (`this.weight = new Parameter(...)`, `this.attention = new Attention(...)`), and names in the
 * state dict are property paths ("encoder.layer.0.attention.self.query.weight").
 */
import { StateDictError } from '../errors.js';
import { noGrad, Tensor } from '../tensor/index.js';
import { Parameter } from './parameter.js';

export type StateDict = Record<string, Tensor>;

export interface LoadResult {
  missingKeys: string[];
  unexpectedKeys: string[];
}

export class Module {
  training = true;
  /** Buffers: tensors that are state but not learned (e.g. position ids); persistent ones are saved. */
  private readonly bufferPersistence = new Map<string, boolean>();

  forward(..._args: any[]): any {
    throw new Error(`${this.constructor.name} does not implement forward()`);
  }

  /** Direct submodules with their property names. */
  namedChildren(): [string, Module][] {
    return Object.entries(this).filter((e): e is [string, Module] => e[1] instanceof Module);
  }

  children(): Module[] {
    return this.namedChildren().map(([, m]) => m);
  }

  /** This module and every module below it, with dotted names ('' for this one). Each module once. */
  namedModules(prefix = '', seen = new Set<Module>()): [string, Module][] {
    if (seen.has(this)) return [];
    seen.add(this);
    const out: [string, Module][] = [[prefix, this]];
    for (const [name, child] of this.namedChildren()) out.push(...child.namedModules(prefix ? `${prefix}.${name}` : name, seen));
    return out;
  }

  modules(): Module[] {
    return this.namedModules().map(([, m]) => m);
  }

  /** Parameters held directly by this module. */
  private ownParameters(): [string, Parameter][] {
    return Object.entries(this).filter((e): e is [string, Parameter] => e[1] instanceof Parameter);
  }

  /** Every parameter with its dotted name; a parameter shared by two modules (tied weights) appears once. */
  namedParameters(): [string, Parameter][] {
    const seen = new Set<Parameter>();
    const out: [string, Parameter][] = [];
    const visit = (m: Module, prefix: string) => {
      for (const [name, p] of m.ownParameters()) {
        if (!seen.has(p)) { seen.add(p); out.push([prefix + name, p]); }
      }
      for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`);
    };
    visit(this, '');
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  /** Registers a buffer under a property name; persistent buffers are part of the state dict. */
  registerBuffer(name: string, tensor: Tensor, options: { persistent?: boolean } = {}): void {
    (this as unknown as Record<string, Tensor>)[name] = tensor;
    this.bufferPersistence.set(name, options.persistent ?? true);
  }

  namedBuffers(): [string, Tensor][] {
    const out: [string, Tensor][] = [];
    for (const [prefix, m] of this.namedModules()) {
      for (const name of m.bufferPersistence.keys()) {
        out.push([prefix ? `${prefix}.${name}` : name, (m as unknown as Record<string, Tensor>)[name]]);
      }
    }
    return out;
  }

  /**
   * Every parameter and persistent buffer by dotted name. Like PyTorch, a tensor shared by two
   * modules appears under both names (checkpoint writers drop the tied aliases).
   */
  stateDict(): StateDict {
    const out: StateDict = {};
    const visit = (m: Module, prefix: string, path: Set<Module>) => {
      if (path.has(m)) return;
      path.add(m);
      for (const [name, p] of m.ownParameters()) out[prefix + name] = p;
      for (const [name, persistent] of m.bufferPersistence) {
        if (persistent) out[prefix + name] = (m as unknown as Record<string, Tensor>)[name];
      }
      for (const [name, child] of m.namedChildren()) visit(child, `${prefix}${name}.`, path);
      path.delete(m);
    };
    visit(this, '', new Set());
    return out;
  }

  /**
   * Copies tensors into this module's parameters and buffers (in place, so optimizers keep their
   * references). A shape mismatch is always an error naming the key; with strict (the default),
   * so is any missing or unexpected key.
   */
  loadStateDict(stateDict: StateDict | Map<string, Tensor>, options: { strict?: boolean } = {}): LoadResult {
    const strict = options.strict ?? true;
    const given = stateDict instanceof Map ? stateDict : new Map(Object.entries(stateDict));
    const own = this.stateDict();
    const missingKeys = Object.keys(own).filter((k) => !given.has(k));
    const unexpectedKeys = [...given.keys()].filter((k) => !(k in own));
    const mismatches: string[] = [];
    for (const [key, target] of Object.entries(own)) {
      const src = given.get(key);
      if (src && (src.ndim !== target.ndim || src.shape.some((s, i) => s !== target.shape[i]))) {
        mismatches.push(`${key}: the checkpoint has shape [${src.shape.join(', ')}], the model expects [${target.shape.join(', ')}]`);
      }
    }
    if (mismatches.length > 0) {
      throw new StateDictError(`loadStateDict: size mismatch for ${mismatches.length} key(s):\n  ${mismatches.join('\n  ')}`);
    }
    if (strict && (missingKeys.length > 0 || unexpectedKeys.length > 0)) {
      const parts: string[] = [];
      if (missingKeys.length) parts.push(`missing keys: ${missingKeys.join(', ')}`);
      if (unexpectedKeys.length) parts.push(`unexpected keys: ${unexpectedKeys.join(', ')}`);
      throw new StateDictError(`loadStateDict: the state dict does not match ${this.constructor.name} (${parts.join('; ')}); pass { strict: false } to load what matches`);
    }
    noGrad(() => {
      for (const [key, target] of Object.entries(own)) {
        const src = given.get(key);
        if (src) target.copy_(src.dtype === target.dtype ? src : src.to(target.dtype));
      }
    });
    return { missingKeys, unexpectedKeys };
  }

  /** Training mode (dropout on) for this module and all below it. */
  train(mode = true): this {
    for (const m of this.modules()) m.training = mode;
    return this;
  }

  /** Evaluation mode (dropout off). */
  eval(): this {
    return this.train(false);
  }

  /** Calls fn on every module below this one, then on this one (torch's apply order). */
  apply(fn: (m: Module) => void): this {
    for (const child of this.children()) child.apply(fn);
    fn(this);
    return this;
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Number of parameters (each shared tensor counted once). */
  numParameters(options: { trainableOnly?: boolean } = {}): number {
    return this.parameters().filter((p) => !options.trainableOnly || p.requiresGrad).reduce((n, p) => n + p.numel(), 0);
  }
}

/** An indexable list of modules, named 0, 1, ... in the state dict. */
export class ModuleList<M extends Module = Module> extends Module implements Iterable<M> {
  private readonly items: M[];

  constructor(modules: Iterable<M> = []) {
    super();
    this.items = [...modules];
  }

  get length(): number {
    return this.items.length;
  }

  get(index: number): M {
    const m = this.items.at(index);
    if (!m) throw new RangeError(`ModuleList index ${index} out of range for length ${this.items.length}`);
    return m;
  }

  push(...modules: M[]): this {
    this.items.push(...modules);
    return this;
  }

  [Symbol.iterator](): Iterator<M> {
    return this.items[Symbol.iterator]();
  }

  override namedChildren(): [string, Module][] {
    return this.items.map((m, i) => [String(i), m]);
  }
}

/** Modules applied in order: forward(x) = mN(...m1(x)). */
export class Sequential extends ModuleList {
  constructor(...modules: Module[]) {
    super(modules);
  }

  override forward(x: Tensor): Tensor {
    let h = x;
    for (const m of this) h = m.forward(h);
    return h;
  }
}
