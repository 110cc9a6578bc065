/** `kotoba inspect`: terminal heatmap, SVG/PNG, option errors, the command itself. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runInspect } from '../../src/cli/inspect.js';
import { tinyModels } from './tiny-models.js';

describe('kotoba inspect', () => {
  const out = mkdtempSync(join(tmpdir(), 'kotoba-inspect-'));
  after(() => rmSync(out, { recursive: true, force: true }));

  it('prints tokens, a shaded heatmap with one row per token, and predictions; writes SVG', async () => {
    const lines: string[] = [];
    const svg = join(out, 'attention.svg');
    const report = await runInspect(tinyModels().gpt2, 'The cat sat on the mat', { layer: '1', head: '2', out: svg }, (s) => lines.push(s));
    assert.match(report, /GPT2LMHeadModel, 2 layers × 4 heads/);
    assert.match(report, /tokens: The\(\d+\) ␣cat\(\d+\) ␣sat/);
    assert.match(report, /self-attention \(causal: each token sees only earlier tokens\), layer 1, head 2/);
    const rows = report.split('\n').filter((l) => /^\s+\d+ \S/.test(l) && /[░▒▓█]/.test(l));
    assert.equal(rows.length, 6);
    // causal: the first row has a full block on its own token and nothing after
    assert.match(rows[0], /██ {10}$/);
    assert.match(report, /next token \(temperature 1\):/);
    assert.equal(lines.at(-1), `wrote ${svg}`);
    const file = readFileSync(svg, 'utf8');
    assert.match(file, /^<svg xmlns/);
    assert.equal(file.match(/<rect x=/g)?.length, 36);
  });

  it('writes PNG, averages heads, and shows T5 cross-attention', async () => {
    const png = join(out, 'attention.png');
    await runInspect(tinyModels().bertMlm, 'the cat sat on the [MASK].', { average: true, out: png }, () => {});
    const bytes = readFileSync(png);
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]);
    assert.equal(bytes.readUInt32BE(16), 9 * 16); // width: 9 tokens of 16 pixels
    const report = await runInspect(tinyModels().t5, 'the cat sat', { set: 'cross', decoderText: 'the' }, () => {});
    assert.match(report, /cross-attention/);
    assert.match(report, /decoder: <pad>\(0\) ␣the/);
  });

  it('names bad options', async () => {
    await assert.rejects(runInspect(tinyModels().gpt2, 'the cat', { layer: '7' }, () => {}), /layer 7 does not exist: the self attention has layers 0..1/);
    await assert.rejects(runInspect(tinyModels().gpt2, 'the cat', { head: 'x' }, () => {}), /--head must be a whole number/);
    await assert.rejects(runInspect(tinyModels().gpt2, 'the cat', { set: 'cross' }, () => {}), /no cross attention/);
    await assert.rejects(runInspect(tinyModels().gpt2, 'the cat', { out: 'x.jpg' }, () => {}), /--out must end in .svg or .png/);
  });

  it('runs as a command', () => {
    const r = spawnSync(process.execPath, ['dist/src/cli/main.js', 'inspect', tinyModels().bertCls, 'hello, my dog is cute', '--layer', '1', '--head', '3', '--no-color'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /BertForSequenceClassification/);
    assert.match(r.stdout, /labels:\n\s+\d+\.\d%  LABEL_0/);
  });
});
