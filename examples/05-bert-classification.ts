// Example 5 of the source article: classify a sentence with BertForSequenceClassification and
// print the predicted label.
//
//   node dist/examples/05-bert-classification.js [bert-folder-or-hub-id]
//
// Without an argument it uses Kotoba's shipped kotoba-bert-mini-sentiment; any BERT folder or Hub id works (bert-base-uncased). The Python it mirrors:
//   tokenizer = BertTokenizer.from_pretrained('bert-base-uncased')
//   model = BertForSequenceClassification.from_pretrained('bert-base-uncased')
//   input_ids = torch.tensor(tokenizer.encode("Hello, my dog is cute", add_special_tokens=True)).unsqueeze(0)
//   outputs = model(input_ids)
//   predicted_label = torch.argmax(outputs.logits, dim=1).item()
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BertForSequenceClassification, resolveModelName, resolveModelPath, tensor } from '../src/index.js';
import { AutoTokenizer } from '../src/tokenizers/index.js';

const modelName = resolveModelName(process.argv[2] ?? 'kotoba-bert-mini-sentiment');
const folder = await resolveModelPath(modelName); // a local folder, or the Hub id's snapshot in the Hugging Face cache

const model = await BertForSequenceClassification.fromPretrained(folder);
const inputIds = tensor([encode(folder, 'Hello, my dog is cute')], { dtype: 'int32' });
const outputs = model.forward({ inputIds });
const predictedLabel = outputs.logits.argmax(1).item();

console.log(`logits: [${outputs.logits.toFlatArray().map((v) => v.toFixed(4)).join(', ')}]`);
console.log(`predicted label: ${predictedLabel} (${model.config.id2label[predictedLabel]})`);

/** The tokenizer's ids when the folder has tokenizer files, else bert-base-uncased's ids for the sentence. */
function encode(modelFolder: string, text: string): number[] {
  const hasTokenizer = ['tokenizer.json', 'vocab.txt'].some((f) => existsSync(join(modelFolder, f)));
  if (hasTokenizer) return AutoTokenizer.fromFolder(modelFolder).encode(text, { addSpecialTokens: true });
  const bertBaseUncasedIds = [101, 7592, 1010, 2026, 3899, 2003, 10140, 102]; // [CLS] hello , my dog is cute [SEP]
  return bertBaseUncasedIds.map((id) => id % model.config.vocabSize);
}
