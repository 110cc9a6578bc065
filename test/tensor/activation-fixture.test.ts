import { test } from 'node:test';
import { gelu, geluNew, relu } from '../../src/index.js';
import { assertClose, fromFixture, loadCases } from '../helpers/fixtures.js';

const c = loadCases('functional').cases.find((k: any) => k.kind === 'activation');

test('gelu, geluNew and relu match PyTorch (functional fixture)', () => {
  const x = fromFixture(c.inputs.x);
  assertClose(gelu(x), c.expected.gelu, c.tolerance, 'gelu');
  assertClose(geluNew(x), c.expected.gelu_new, c.tolerance, 'gelu_new');
  assertClose(relu(x), c.expected.relu, c.tolerance, 'relu');
});
