// recycling(): a scope's intermediates reused by later allocations, only without gradients and
// only what the scope's result does not reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyValueCache, noGrad, randn, recycling, type Tensor } from '../../src/index.js';
import { poisonUninitialized, setRecycling } from '../../src/tensor/recycle.js';

const big = () => randn([64, 128]); // 8192 elements: large enough to be recycled

test('an intermediate the scope does not return is reused by the next allocation of its size', () => {
  const x = big();
  noGrad(() => recycling(() => {
    let dead: Float32Array | null = null;
    const kept = recycling(() => {
      dead = x.mul(2).data as Float32Array;
      return x.mul(3);
    });
    const keptValues = Array.from(kept.data);
    const next = x.add(1);
    assert.equal(next.data, dead, 'the dead array is handed out again');
    assert.notEqual(next.data, kept.data);
    assert.deepEqual(Array.from(kept.data), keptValues, 'the returned tensor is untouched');
    assert.deepEqual(Array.from(next.data), Array.from(x.data, (v) => Math.fround(v + 1)));
  }));
});

test('the test runner poisons a recycled array at once, so a stale reader sees NaN', { skip: !poisonUninitialized }, () => {
  const x = big();
  noGrad(() => recycling(() => {
    let dead: Float32Array | null = null;
    recycling(() => { dead = x.mul(2).data as Float32Array; return null; });
    assert.ok(Number.isNaN(dead![0]) && Number.isNaN(dead![dead!.length - 1]));
  }));
});

test('everything reachable from the result is kept: views, arrays, objects, a key/value cache', () => {
  const x = big();
  noGrad(() => recycling(() => {
    const made: Float32Array[] = [];
    const cache = new KeyValueCache(1);
    const result = recycling(() => {
      const a = x.mul(2), b = x.mul(3), c = x.mul(4), d = x.mul(5);
      made.push(a.data as Float32Array, b.data as Float32Array, c.data as Float32Array, d.data as Float32Array);
      cache.selfAttention[0].append(d.reshape([1, 1, 64, 128]), d.reshape([1, 1, 64, 128]));
      return { view: a.transpose(0, 1), list: [[b]], nested: { c }, cache };
    });
    const after = [x.add(1), x.add(2), x.add(3), x.add(4)].map((t) => t.data);
    // a, b and c are kept; d was copied into the cache's own memory, so it is free again
    for (const kept of made.slice(0, 3)) assert.ok(!after.includes(kept));
    assert.ok(after.includes(made[3]));
    assert.deepEqual(Array.from(result.nested.c.data), Array.from(x.data, (v) => Math.fround(v * 4)));
    assert.deepEqual(Array.from(cache.selfAttention[0].key.contiguousData()), Array.from(x.data, (v) => Math.fround(v * 5)));
  }));
});

test('kept arrays go to the enclosing scope, which recycles them when it does not return them', () => {
  const x = big();
  noGrad(() => recycling(() => {
    let inner: Float32Array | null = null;
    recycling(() => {
      recycling(() => { const t = x.mul(2); inner = t.data as Float32Array; return t; }); // kept here...
      return null; // ...and dead here
    });
    assert.equal(x.add(1).data, inner);
  }));
});

test('nothing is recycled with gradients on, after the outermost scope closes, or when the scope throws', () => {
  const x = big();
  const seen = new Set<unknown>();
  const collect = (t: Tensor) => { seen.add(t.data); return null; };
  // gradients on: autograd may have saved the intermediates
  recycling(() => { recycling(() => collect(x.mul(2))); assert.ok(!seen.has(x.add(1).data)); });
  // the free list belongs to the outermost scope
  noGrad(() => { recycling(() => collect(x.mul(2))); assert.ok(!seen.has(x.add(1).data)); });
  // a throwing scope recycles nothing
  noGrad(() => recycling(() => {
    assert.throws(() => recycling(() => { collect(x.mul(2)); throw new Error('boom'); }), /boom/);
    assert.ok(!seen.has(x.add(1).data));
  }));
});

test('an async fn is refused: its arrays could be reused while the promise still runs', () => {
  const x = big();
  noGrad(() => recycling(() => {
    let made: unknown = null;
    assert.throws(() => recycling((async () => { made = x.mul(2).data; }) as () => unknown), /only synchronous code/);
    assert.notEqual(x.add(1).data, made, 'nothing was recycled');
  }));
});

test('the next outermost scope reuses what the last one freed, the result excepted', () => {
  const x = big();
  let dead: unknown = null, returned: unknown = null;
  noGrad(() => recycling(() => {
    dead = x.mul(2).data;
    const r = x.mul(3);
    returned = r.data;
    return r;
  }));
  const values: number[] = [];
  noGrad(() => recycling(() => {
    const a = x.add(1), b = x.add(2);
    assert.equal(a.data, dead, 'the freed array is handed out again');
    assert.notEqual(b.data, returned, 'the last result is not');
    values.push(...Array.from(a.data));
    return null;
  }));
  assert.deepEqual(values, Array.from(x.data, (v) => Math.fround(v + 1)));
});

test('between outermost scopes only the sizes the latest one used are kept', () => {
  const x = big(), other = randn([32, 160]); // 5120 elements: another size
  let dead: unknown = null;
  noGrad(() => recycling(() => { dead = x.mul(2).data; return null; }));
  noGrad(() => recycling(() => { other.mul(2); return null; })); // uses only the other size
  noGrad(() => recycling(() => { assert.notEqual(x.add(1).data, dead); return null; }));
});

test('what is kept between scopes is dropped after a while, and when recycling is switched', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const x = big();
  let dead: unknown = null;
  const free = () => noGrad(() => recycling(() => { dead = x.mul(2).data; return null; }));
  const reused = () => noGrad(() => recycling(() => x.add(1).data === dead));
  free();
  t.mock.timers.tick(1999);
  assert.ok(reused(), 'still kept before the release time');
  free();
  t.mock.timers.tick(2000);
  assert.ok(!reused(), 'dropped at the release time');
  free();
  setRecycling(setRecycling(true));
  assert.ok(!reused(), 'dropped when recycling is switched');
});
