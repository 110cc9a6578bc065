import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AutoConfig, AutoModel, AutoModelForCausalLM, AutoModelForMaskedLM, AutoModelForPreTraining, AutoModelForQuestionAnswering,
  AutoModelForSeq2SeqLM, AutoModelForSequenceClassification, AutoModelForTokenClassification, BertConfig, BertForMaskedLM,
  BertForPreTraining, BertForQuestionAnswering, BertForSequenceClassification, BertForTokenClassification, BertModel,
  GPT2Config, GPT2LMHeadModel, GPT2Model, T5Config, T5ForConditionalGeneration, T5Model, modelTypeOf,
} from '../../src/index.js';
import { modelFolder } from './fixture-cases.js';

const quiet = { onWarning: () => {} };

test('AutoConfig reads the config class of each model type', async () => {
  const bert = await AutoConfig.fromPretrained(modelFolder('bert-tiny-cls'));
  assert.ok(bert instanceof BertConfig);
  assert.equal((bert as BertConfig).hiddenSize, 32);
  assert.equal(bert.numLabels, 3);
  assert.ok(await AutoConfig.fromPretrained(modelFolder('gpt2-tiny')) instanceof GPT2Config);
  const t5 = (await AutoConfig.fromPretrained(modelFolder('t5-tiny-v1_1'))) as T5Config;
  assert.ok(t5 instanceof T5Config);
  assert.equal(t5.isGatedAct, true);
  assert.equal(t5.denseActFn, 'gelu_new');
  assert.equal(t5.numDecoderLayers, 3);
  assert.equal(t5.tieWordEmbeddings, false);
});

test('AutoModel and the task Auto classes dispatch on model_type', async () => {
  const cases: [any, string, any][] = [
    [AutoModel, 'bert-tiny-cls', BertModel],
    [AutoModel, 'gpt2-tiny', GPT2Model],
    [AutoModel, 't5-tiny-v1_0', T5Model],
    [AutoModelForSequenceClassification, 'bert-tiny-cls', BertForSequenceClassification],
    [AutoModelForMaskedLM, 'bert-tiny-mlm', BertForMaskedLM],
    [AutoModelForTokenClassification, 'bert-tiny-tok', BertForTokenClassification],
    [AutoModelForQuestionAnswering, 'bert-tiny-qa', BertForQuestionAnswering],
    [AutoModelForCausalLM, 'gpt2-tiny', GPT2LMHeadModel],
    [AutoModelForSeq2SeqLM, 't5-tiny-v1_1', T5ForConditionalGeneration],
    [AutoModelForPreTraining, 'bert-tiny-mlm', BertForPreTraining],
  ];
  for (const [auto, folder, cls] of cases) {
    const model = await auto.fromPretrained(modelFolder(folder), quiet);
    assert.ok(model instanceof cls, `${auto.modelName} on ${folder} gives ${model.constructor.name}, expected ${cls.name}`);
    assert.equal(model.training, false, 'fromPretrained returns the model in eval mode');
  }
});

test('an Auto class without a class for the model type says so', async () => {
  await assert.rejects(AutoModelForCausalLM.fromPretrained(modelFolder('bert-tiny-cls')), /"bert" model.*supported model types: gpt2/);
  await assert.rejects(AutoModelForSeq2SeqLM.fromPretrained(modelFolder('gpt2-tiny')), /"gpt2" model/);
});

test('model_type is inferred from "architectures" when absent, and unknown types are named', () => {
  assert.equal(modelTypeOf({ architectures: ['GPT2LMHeadModel'] }), 'gpt2');
  assert.equal(modelTypeOf({ architectures: ['T5ForConditionalGeneration'] }), 't5');
  assert.throws(() => modelTypeOf({ model_type: 'llama' }, 'x/config.json'), /x\/config\.json: model_type "llama" is not supported/);
  assert.throws(() => modelTypeOf({}, 'x/config.json'), /x\/config\.json: no "model_type"/);
});

test('AutoModel.fromConfig builds a fresh model', () => {
  const config = AutoConfig.forModel('bert', { hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 32, vocab_size: 50 });
  const model = AutoModel.fromConfig(config);
  assert.ok(model instanceof BertModel);
  assert.equal(model.training, true);
});

test('config.json round trip keeps every field (and unknown ones)', async () => {
  for (const folder of ['bert-tiny-cls', 'bert-tiny-tok', 'gpt2-tiny', 't5-tiny-v1_0', 't5-tiny-v1_1', 't5-tiny-bf16']) {
    const { readConfig } = await import('../../src/index.js');
    const raw = readConfig(modelFolder(folder));
    const config = AutoConfig.fromDict({ ...raw, some_future_field: [1, 2] });
    const back = config.toDict();
    for (const [k, v] of Object.entries(raw)) assert.deepEqual(back[k], v, `${folder}: ${k}`);
    assert.deepEqual(back['some_future_field'], [1, 2]);
  }
});
