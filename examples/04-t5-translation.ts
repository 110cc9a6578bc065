// Example 4 of the source article: T5 treats every task as text to text; here, translation from
// English to German, asked for with the task prefix.
//
//   node dist/examples/04-t5-translation.js [t5-folder-or-hub-id] [text]
//
// Without an argument it uses Kotoba's shipped kotoba-t5-mini (a small model trained on two CPU
// cores: expect a rough translation; a real t5-small folder translates well). The Python it mirrors:
//   tokenizer = T5Tokenizer.from_pretrained('t5-small')
//   model = T5ForConditionalGeneration.from_pretrained('t5-small')
//   input_ids = tokenizer.encode("translate English to German: The house is wonderful.", return_tensors="pt")
//   outputs = model.generate(input_ids)
//   print(tokenizer.decode(outputs[0], skip_special_tokens=True))
import { AutoTokenizer, T5ForConditionalGeneration, resolveModelName, resolveModelPath } from '../src/index.js';

const folder = await resolveModelPath(resolveModelName(process.argv[2] ?? 'kotoba-t5-mini'));
const text = process.argv[3] ?? 'translate English to German: The house is wonderful.';

const tokenizer = await AutoTokenizer.fromPretrained(folder);
const model = await T5ForConditionalGeneration.fromPretrained(folder);

const inputIds = tokenizer.call(text, { returnTensors: 'kotoba' }).inputIds;
const outputs = model.generate(inputIds, { maxNewTokens: 40 });
console.log(`input:  ${text}`);
console.log(`output: ${tokenizer.decode(outputs.select(0, 0).toArray() as number[], { skipSpecialTokens: true })}`);
