/** argsortRow and topKRow agree with a plain stable sort, ties and infinities included. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { argsortRow, topKRow } from '../../src/generation/select.js';
import { Generator } from '../../src/index.js';

test('argsortRow and topKRow order like a stable sort', () => {
  const g = new Generator(5);
  for (const n of [1, 2, 7, 100, 5000]) {
    const values = Float32Array.from({ length: n }, () => (g.random() < 0.1 ? -Infinity : Math.round(g.normal() * 4) / 2));
    if (n > 3) values[3] = Infinity;
    const idx = Array.from({ length: n }, (_, i) => i);
    const asc = [...idx].sort((a, b) => values[a] - values[b] || a - b);
    const desc = [...idx].sort((a, b) => values[b] - values[a] || a - b);
    assert.deepEqual(Array.from(argsortRow(values)), asc);
    assert.deepEqual(Array.from(argsortRow(values, true)), desc);
    for (const k of [1, 3, n]) assert.deepEqual(Array.from(topKRow(values, k)), desc.slice(0, k), `n ${n} k ${k}`);
  }
});
