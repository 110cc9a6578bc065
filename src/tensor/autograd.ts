/**
 * Reverse-mode automatic differentiation (the "tape").
 *
 * Each op that produces a tensor from inputs that require grad attaches a GradFn to its output:
 * the op's name, its inputs, and a closure mapping the output's gradient to the inputs' gradients.
 * `backward()` walks the graph in reverse topological order, summing the gradients that reach
 * each tensor, and accumulates them into the `.grad` of leaves (tensors created by the user with
 * requiresGrad, such as parameters), like PyTorch.
 */
import { AutogradError } from '../errors.js';
import { bufferClock, isNewerThan } from './buffer-age.js';
import type { Tensor } from './tensor.js';

export interface GradFn {
  /** PyTorch-style name, e.g. "AddBackward", shown by toString(). */
  readonly name: string;
  readonly inputs: readonly (Tensor | null)[];
  /**
   * Gradients for each input (null where an input needs none). Runs with grad mode off.
   * `sums[i]`, when present, is input i's gradient summed so far from the ops walked before, in
   * memory this pass alone owns: a closure may add its gradient into it in place and return that
   * same tensor, which then counts as summed (the embedding does this for a tied weight).
   */
  readonly backward: (gradOutput: Tensor, sums: readonly (Tensor | undefined)[]) => readonly (Tensor | null)[];
}

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn with gradient recording off (torch.no_grad). */
export function noGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Runs fn with gradient recording on, even inside noGrad (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  const previous = gradEnabled;
  gradEnabled = true;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

/** Whether an op with these inputs should record a GradFn. */
export function needsGrad(...inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!gradEnabled) return false;
  for (const t of inputs) if (t && t.requiresGrad) return true;
  return false;
}

/**
 * Attaches the backward closure to `out` when any input requires grad; returns `out`.
 * The closure receives the gradient of `out` and returns one gradient per input.
 */
export function record(
  out: Tensor, name: string, inputs: readonly (Tensor | null | undefined)[],
  backward: GradFn['backward'],
): Tensor {
  if (!needsGrad(...inputs)) return out;
  out.requiresGrad = true;
  out.gradFn = { name, inputs: inputs.map((t) => t ?? null), backward };
  return out;
}

/**
 * A tensor kept for the backward pass. If the tensor's memory is modified in place after it was
 * saved, the gradient would silently be wrong: unpacking it then throws instead (as PyTorch does).
 */
export class SavedTensor {
  private readonly version: number;
  constructor(private readonly tensor: Tensor, private readonly op: string) {
    this.version = tensor.storage.version;
  }
  get(): Tensor {
    if (this.tensor.storage.version !== this.version) {
      throw new AutogradError(
        `${this.op}: a tensor of shape [${this.tensor.shape.join(', ')}] needed for the gradient was modified in place ` +
        `after it was used (version ${this.tensor.storage.version}, expected ${this.version}); ` +
        `use an out-of-place op (e.g. add instead of add_) or clone() it before modifying`,
      );
    }
    return this.tensor;
  }
}

/** Tensors reachable from root through GradFns, in reverse topological order (root first). */
function reverseTopologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // iterative DFS: deep graphs (long sequences of ops) must not overflow the call stack
  const stack: { t: Tensor; next: number }[] = [{ t: root, next: 0 }];
  visited.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const inputs = top.t.gradFn?.inputs ?? [];
    if (top.next < inputs.length) {
      const child = inputs[top.next++];
      if (child && child.requiresGrad && !visited.has(child)) {
        visited.add(child);
        stack.push({ t: child, next: 0 });
      }
    } else {
      order.push(top.t);
      stack.pop();
    }
  }
  return order.reverse();
}

export interface BackwardOptions {
  /** Keep the graph so backward can run through it again (otherwise its closures are released). */
  retainGraph?: boolean;
}

/** Runs the backward pass from `root` with the given output gradient. */
export function runBackward(root: Tensor, gradOutput: Tensor, options: BackwardOptions = {}): void {
  const order = reverseTopologicalOrder(root);
  const grads = new Map<Tensor, Tensor>();
  // Gradients whose memory belongs to this pass alone: computed by a backward closure into new
  // memory, or a view handed down from such a gradient to a single input. They are summed into
  // in place and become a leaf's .grad without a copy; every other gradient is left untouched.
  const owned = new Set<Tensor>();
  grads.set(root, gradOutput);
  noGrad(() => {
    for (const t of order) {
      const g = grads.get(t);
      if (!g) continue;
      grads.delete(t);
      const gOwned = owned.delete(g);
      if (!t.gradFn || t.retainsGrad) t.accumulateGrad(g, gOwned && !t.gradFn);
      const fn = t.gradFn;
      if (!fn) continue;
      const clock = bufferClock();
      const sums = fn.inputs.map((input) => {
        const sum = input ? grads.get(input) : undefined;
        return sum && owned.has(sum) ? sum : undefined;
      });
      const inputGrads = fn.backward(g, sums);
      fn.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!input || !input.requiresGrad || !gi) return;
        if (gi.shape.length !== input.shape.length || gi.shape.some((s, d) => s !== input.shape[d])) {
          throw new AutogradError(
            `${fn.name}: internal error: gradient of shape [${gi.shape.join(', ')}] for an input of shape [${input.shape.join(', ')}]`,
          );
        }
        const previous = grads.get(input);
        if (!previous) {
          grads.set(input, gi);
          if (ownsMemory(gi, i, inputGrads, clock, g, gOwned && !t.retainsGrad)) owned.add(gi);
        } else if (gi === sums[i]) {
          // the closure added its gradient into the running sum in place
        } else if (owned.has(previous)) {
          previous.add_(gi);
        } else {
          const total = previous.add(gi);
          grads.set(input, total);
          owned.add(total);
        }
      });
      if (!options.retainGraph) t.releaseGraph();
    }
  });
}

/**
 * Whether gradient gi (output i of a closure that received g) is the only user of its memory and
 * covers it densely: new memory from the closure, or a view of an owned g passed to no other input.
 */
function ownsMemory(gi: Tensor, i: number, all: readonly (Tensor | null)[], clock: number, g: Tensor, gOwned: boolean): boolean {
  const buffer = gi.data.buffer;
  if (gi.numel() !== gi.data.length || gi.shape.some((s, d) => s > 1 && gi.strides[d] === 0)) return false;
  if (all.some((other, j) => j !== i && other && other.data.buffer === buffer)) return false;
  if (buffer === g.data.buffer) return gOwned;
  return isNewerThan(buffer, clock);
}
