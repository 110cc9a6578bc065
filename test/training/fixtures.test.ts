/**
 * The PyTorch training fixtures (../shared/fixtures/models/{bert-tiny-cls,gpt2-tiny}, kind "train")
 * run through the Trainer: collators build the batch from unpadded examples, the Trainer takes 3
 * steps with the fixture's optimizer (torch's AdamW, ONE group, every tensor decays, no clipping,
 * constant lr), and the final model it saves in Hugging Face layout is reloaded and compared.
 * Dropout is set to 0 so training mode equals the fixture's eval mode.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import {
  AdamW, BertForSequenceClassification, CausalLMCollator, GPT2LMHeadModel, PaddingCollator, Tensor, Trainer,
  getConstantSchedule, readSafetensors, type Collator, type Example,
} from '../../src/index.js';
import { assertClose, FIXTURES, loadCases } from '../helpers/fixtures.js';
import { tempDir } from './helpers.js';

const NO_DROPOUT = {
  'bert-tiny-cls': { hidden_dropout_prob: 0, attention_probs_dropout_prob: 0 },
  'gpt2-tiny': { resid_pdrop: 0, embd_pdrop: 0, attn_pdrop: 0 },
};

function rows(a: { shape: number[]; data: number[] }): number[][] {
  const [n, w] = a.shape;
  return Array.from({ length: n }, (_, i) => a.data.slice(i * w, (i + 1) * w));
}

/** The fixture batch as unpadded examples and the collator that pads them back. */
function examplesOf(folder: string, inputs: any): { examples: Example[]; collator: Collator } {
  const ids = rows(inputs.input_ids);
  const mask = rows(inputs.attention_mask);
  if (folder === 'gpt2-tiny') {
    const examples = ids.map((r, i) => ({ inputIds: r.slice(0, mask[i].reduce((s, v) => s + v, 0)) }));
    return { examples, collator: new CausalLMCollator({ padTokenId: 0 }) };
  }
  const types = rows(inputs.token_type_ids);
  const examples = ids.map((r, i) => ({ inputIds: r, attentionMask: mask[i], tokenTypeIds: types[i], labels: inputs.labels.data[i] }));
  return { examples, collator: new PaddingCollator({ padTokenId: 0 }) };
}

function stable(values: number[], ranges: [number, number][] | undefined): number[] {
  return ranges ? values.filter((_, i) => !ranges.some(([s, e]) => i >= s && i < e)) : values;
}

for (const [folder, cls] of [['bert-tiny-cls', BertForSequenceClassification], ['gpt2-tiny', GPT2LMHeadModel]] as const) {
  test(`${folder}: 3 Trainer steps match PyTorch's losses and parameters; the saved model reloads with them`, async () => {
    const dir = resolve(FIXTURES, 'models', folder);
    const c = loadCases(folder).cases.find((x: any) => x.kind === 'train');
    const tol = { atol: c.tolerance.atol, rtol: c.tolerance.rtol };
    const quiet = { onWarning: () => {} };
    const model = await (cls as any).fromPretrained(dir, { config: NO_DROPOUT[folder], ...quiet });
    const o = c.optimizer;
    const optimizer = new AdamW(model.parameters(), { lr: o.lr, betas: o.betas, eps: o.eps, weightDecay: o.weight_decay });
    const { examples, collator } = examplesOf(folder, c.inputs);
    const losses: number[] = [];
    const out = tempDir();
    await new Trainer({
      model, trainDataset: examples, collator, optimizer, scheduler: getConstantSchedule(optimizer), onLog: (r) => losses.push(r.loss),
      args: { outputDir: out, maxSteps: 3, batchSize: examples.length, shuffle: false, maxGradNorm: 0, loggingSteps: 1, saveSteps: 0, progress: 'none' },
    }).train();
    losses.forEach((l, i) => assertClose(l, c.expected.losses[i], tol, `losses[${i}]`));

    const reloaded = await (cls as any).fromPretrained(out, { config: NO_DROPOUT[folder], ...quiet });
    const params = reloaded.stateDict() as Record<string, Tensor>;
    const { examples: again, collator: sameCollator } = examplesOf(folder, c.inputs);
    const lossAfter = reloaded.forward(sameCollator.collate(again, undefined as never)).loss.item();
    assertClose(lossAfter, c.expected.loss_after, tol, 'loss_after');
    const after = readSafetensors(join(dir, c.expected.params_after_file)).tensors;
    for (const [name, t] of after) {
      assert.ok(params[name], `parameter ${name}`);
      const ranges = c.expected.unstable_entries?.[name];
      const exp = stable(Array.from(t.data), ranges);
      const act = stable(params[name].toFlatArray(), ranges);
      assertClose(Tensor.fromArray(Float32Array.from(act), [act.length]), { dtype: 'float32', shape: [exp.length], data: exp }, tol, `params_after ${name}`);
    }
  });
}
