import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  BertForMaskedLM, BertForQuestionAnswering, BertForSequenceClassification, BertForTokenClassification, BertModel,
} from '../../src/index.js';
import { checkForwardCase, loadCases, modelFolder } from './fixture-cases.js';

const CLASSES: Record<string, any> = {
  BertModel, BertForSequenceClassification, BertForMaskedLM, BertForTokenClassification, BertForQuestionAnswering,
};

for (const folder of ['bert-tiny-cls', 'bert-tiny-mlm', 'bert-tiny-tok', 'bert-tiny-qa', 'bert-tiny-base-fp16']) {
  const { cases, model_class: checkpointClass } = loadCases(folder);
  for (const c of cases.filter((x: any) => x.kind === 'forward')) {
    test(`${folder}: ${c.name} (${c.model_class})`, async () => {
      const warnings: string[] = [];
      const model = await CLASSES[c.model_class].fromPretrained(modelFolder(folder), { onWarning: (m: string) => warnings.push(m) });
      checkForwardCase(model, c);
      if (c.model_class === checkpointClass) assert.deepEqual(warnings, [], 'a checkpoint loaded into its own class loads cleanly');
    });
  }
}
