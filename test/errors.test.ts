import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KotobaError, ShapeError } from '../src/index.js';

test('KotobaError subclasses carry their own name and are KotobaErrors', () => {
  const e = new ShapeError('add: shapes [2] and [3] do not broadcast');
  assert.ok(e instanceof KotobaError);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'ShapeError');
});
