// nn.init.withoutInit: building a module without drawing its weights (for loading them next).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Embedding, LayerNorm, Linear, nn } from '../../src/index.js';

test('withoutInit skips the init functions and restores them afterwards, even on error', () => {
  const skipped = nn.init.withoutInit(() => [new Linear(4, 3), new Embedding(5, 2), new LayerNorm(3)]);
  for (const m of skipped) for (const p of m.parameters()) assert.ok(p.toFlatArray().every((v) => v === 0), `${m.constructor.name} left at zero`);
  assert.throws(() => nn.init.withoutInit(() => { throw new Error('boom'); }), /boom/);
  const fresh = new Linear(4, 3);
  assert.ok(fresh.weight.toFlatArray().some((v) => v !== 0), 'init works again outside');
  assert.deepEqual(new LayerNorm(3).weight!.toFlatArray(), [1, 1, 1]);
});
