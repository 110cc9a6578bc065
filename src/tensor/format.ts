/**
 * Prints a tensor the way PyTorch does: `tensor([[ 0.1000, -2.0000], ...])`, integer-valued floats
 * as `1.`, scientific notation when the magnitudes span a wide range, and `...` for big tensors.
 */
import type { Tensor } from './tensor.js';

const SUMMARIZE_ABOVE = 1000;
const EDGE_ITEMS = 3;

interface NumberFormat {
  format(v: number): string;
  /** Column width: PyTorch measures only the nonzero finite values (all values for ints). */
  width: number;
}

function chooseFormat(values: number[], isInt: boolean): NumberFormat {
  const widest = (vs: number[], f: (v: number) => string) => Math.max(1, ...vs.map((v) => f(v).length));
  if (isInt) return { format: String, width: widest(values, String) };
  const special = (v: number) => (Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf');
  const nonzero = values.filter((v) => Number.isFinite(v) && v !== 0);
  const integral = nonzero.every((v) => Number.isInteger(v));
  const abs = nonzero.map(Math.abs);
  const maxAbs = abs.length ? Math.max(...abs) : 0;
  const minAbs = abs.length ? Math.min(...abs) : 0;
  const scientific = abs.length > 0 && (maxAbs / minAbs > 1000 || maxAbs > 1e8 || (!integral && minAbs < 1e-4));
  let f: (v: number) => string;
  if (scientific) {
    f = (v) => {
      const [mant, exp] = v.toExponential(4).split('e');
      const e = Number(exp);
      return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
    };
  } else if (integral) {
    f = (v) => `${v.toFixed(0)}.`;
  } else {
    f = (v) => v.toFixed(4);
  }
  return { format: (v) => (Number.isFinite(v) ? f(v) : special(v)), width: widest(nonzero, f) };
}

export function formatTensor(t: Tensor): string {
  const flat = t.toFlatArray();
  const summarize = flat.length > SUMMARIZE_ABOVE;
  const shape = t.shape;
  const strides: number[] = [];
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { strides[d] = acc; acc *= shape[d]; }
  // indices shown along each dim (the edges only when summarizing)
  const shown = (size: number): (number | null)[] =>
    summarize && size > 2 * EDGE_ITEMS
      ? [...Array.from({ length: EDGE_ITEMS }, (_, i) => i), null, ...Array.from({ length: EDGE_ITEMS }, (_, i) => size - EDGE_ITEMS + i)]
      : Array.from({ length: size }, (_, i) => i);
  const visible: number[] = [];
  const collect = (dim: number, base: number) => {
    if (dim === shape.length) { visible.push(flat[base]); return; }
    for (const i of shown(shape[dim])) if (i !== null) collect(dim + 1, base + i * strides[dim]);
  };
  collect(0, 0);
  const fmt = chooseFormat(visible, t.dtype === 'int32');
  const width = fmt.width;
  const prefix = 'tensor(';
  const LINE_WIDTH = 80;
  const render = (dim: number, base: number, indent: number): string => {
    if (dim === shape.length - 1) {
      // a vector: elements padded to one width, wrapped to the line width, as PyTorch's _vector_str
      const items = shown(shape[dim]).map((i) => (i === null ? ' ...' : fmt.format(flat[base + i * strides[dim]]).padStart(width)));
      const perLine = Math.max(1, Math.floor((LINE_WIDTH - indent) / (width + 2)));
      const lines: string[] = [];
      for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(', '));
      return `[${lines.join(`,\n${' '.repeat(indent + 1)}`)}]`;
    }
    const parts = shown(shape[dim]).map((i) => (i === null ? '...' : render(dim + 1, base + i * strides[dim], indent + 1)));
    const sep = `,${'\n'.repeat(shape.length - dim - 1)}${' '.repeat(indent + 1)}`;
    return `[${parts.join(sep)}]`;
  };
  const body = shape.length === 0 ? fmt.format(flat[0]) : flat.length === 0 ? '[]' : render(0, 0, prefix.length);
  const suffix: string[] = [];
  if (flat.length === 0 && shape.length > 1) suffix.push(`size=(${shape.join(', ')})`);
  if (t.dtype === 'int32') suffix.push('dtype=int32');
  if (t.gradFn) suffix.push(`grad_fn=<${t.gradFn.name}0>`);
  else if (t.requiresGrad) suffix.push('requires_grad=True');
  return `${prefix}${body}${suffix.map((s) => `, ${s}`).join('')})`;
}
