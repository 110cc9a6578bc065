// Example 1 of the source article: load a pretrained BERT, run it on token ids, and read the
// last hidden state (one contextual vector per token) and the pooler output (the sentence vector).
//
//   node dist/examples/01-bert-hidden-states.js [bert-folder-or-hub-id]
//
// Without an argument it uses Kotoba's shipped kotoba-bert-mini; any BERT folder or Hub id works (bert-base-uncased). The Python it mirrors:
//   model = BertModel.from_pretrained('bert-base-uncased')
//   input_ids = torch.tensor(tokenizer.encode("Hello, my dog is cute", add_special_tokens=True)).unsqueeze(0)
//   outputs = model(input_ids)
//   last_hidden_states = outputs.last_hidden_state
//   pooler_output = outputs.pooler_output
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AutoModel, resolveModelName, resolveModelPath, tensor, type BertModel } from '../src/index.js';
import { AutoTokenizer } from '../src/tokenizers/index.js';

const modelName = resolveModelName(process.argv[2] ?? 'kotoba-bert-mini');
const folder = await resolveModelPath(modelName); // a local folder, or the Hub id's snapshot in the Hugging Face cache

const model = await AutoModel.fromPretrained<BertModel>(folder);
const inputIds = tensor([encode(folder, 'Hello, my dog is cute')], { dtype: 'int32' });
const outputs = model.forward({ inputIds });
const lastHiddenStates = outputs.lastHiddenState;
const poolerOutput = outputs.poolerOutput!;

console.log(`input ids:           [${inputIds.toFlatArray().join(', ')}]`);
console.log(`last hidden state:   [${lastHiddenStates.shape.join(', ')}]  (batch, tokens, hidden size)`);
console.log(`pooler output:       [${poolerOutput.shape.join(', ')}]  (batch, hidden size)`);
console.log(`[CLS] vector starts: ${lastHiddenStates.select(1, 0).select(0, 0).narrow(0, 0, 4).toFlatArray().map((v) => v.toFixed(4)).join(' ')}`);

/** The tokenizer's ids when the folder has tokenizer files, else bert-base-uncased's ids for the sentence. */
function encode(modelFolder: string, text: string): number[] {
  const hasTokenizer = ['tokenizer.json', 'vocab.txt'].some((f) => existsSync(join(modelFolder, f)));
  if (hasTokenizer) return AutoTokenizer.fromFolder(modelFolder).encode(text, { addSpecialTokens: true });
  const bertBaseUncasedIds = [101, 7592, 1010, 2026, 3899, 2003, 10140, 102]; // [CLS] hello , my dog is cute [SEP]
  return bertBaseUncasedIds.map((id) => id % model.config.vocabSize);
}
