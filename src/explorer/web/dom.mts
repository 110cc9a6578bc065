/** Tiny DOM helpers: create elements (HTML and SVG) with attributes and children. */
type Attrs = Record<string, string | number | boolean | undefined>;

function apply(node: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    node.setAttribute(k, v === true ? '' : String(v));
  }
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  apply(node, attrs);
  node.append(...children);
  return node;
}

const SVG = 'http://www.w3.org/2000/svg';

export function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  apply(node, attrs);
  node.append(...children);
  return node;
}

export function byId<T extends HTMLElement | SVGElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as unknown as T;
}

/** Makes arrow keys move focus among `items` (roving focus inside a toolbar or list). */
export function arrowKeys(items: HTMLElement[] | SVGElement[], event: KeyboardEvent, index: number, keys: { prev: string[]; next: string[] } = { prev: ['ArrowLeft', 'ArrowUp'], next: ['ArrowRight', 'ArrowDown'] }): boolean {
  let target = -1;
  if (keys.prev.includes(event.key)) target = Math.max(0, index - 1);
  else if (keys.next.includes(event.key)) target = Math.min(items.length - 1, index + 1);
  else if (event.key === 'Home') target = 0;
  else if (event.key === 'End') target = items.length - 1;
  if (target < 0) return false;
  event.preventDefault();
  items[target].focus();
  return true;
}

/** Roving tab stop: only one item of a group is in the Tab order; arrow keys move inside the group. */
export function roving(items: (HTMLElement | SVGElement)[], active: number): void {
  const current = Math.max(0, Math.min(items.length - 1, active));
  items.forEach((item, i) => item.setAttribute('tabindex', i === current ? '0' : '-1'));
}
