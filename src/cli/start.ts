/**
 * `kotoba start` (what `npm start` runs): a guided walk through the source article's story on
 * the shipped models — tokens, hidden states and attention, a fine-tuning loss going down,
 * generated text, a translation, a classification — then the OpenAI-compatible server with the
 * model explorer, serving the same models.
 */
import type { Command } from 'commander';
import { backendInfo } from '../backend/index.js';
import { OptionError } from '../errors.js';
import { SHIPPED_MODELS, shippedModelPath, type ShippedModelName } from '../hub/shipped.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AdamW } from '../optim/index.js';
import { CrossEntropyLoss } from '../nn/index.js';
import { noGrad, tensor } from '../tensor/index.js';
import { AutoTokenizer } from '../tokenizers/index.js';
import { BertForSequenceClassification, BertModel, GPT2LMHeadModel, T5ForConditionalGeneration } from '../models/index.js';
import { runServe } from './serve.js';
import '../generation/index.js'; // installs model.generate()

type Log = (line: string) => void;

/** The walk loads base checkpoints into other heads on purpose; the load report would only distract here. */
const quiet = (): void => {};

function modelFolder(name: ShippedModelName): string {
  const folder = shippedModelPath(name);
  if (!existsSync(join(folder, 'config.json'))) {
    throw new OptionError(`start: the shipped model ${name} is missing from ${folder}. Reinstall the package, or train it with scripts/train-default-models.sh.`);
  }
  return folder;
}

const heading = (log: Log, n: number, title: string): void => log(`\n── ${n}. ${title} ${'─'.repeat(Math.max(0, 66 - title.length))}`);

/** The walk; every step uses the public API the examples use. Returns what a test can check. */
export async function guidedWalk(log: Log = console.log): Promise<{ losses: number[] }> {
  const info = backendInfo();
  log(`Kotoba — transformer language models in TypeScript (kernels: ${info.name}, ${info.isa}, ${info.threads} thread${info.threads === 1 ? '' : 's'})`);
  log('A walk through what happens inside BERT, GPT and T5, on the small models Kotoba trained itself:');
  for (const [name, what] of Object.entries(SHIPPED_MODELS)) log(`  ${name.padEnd(28)} ${what}`);

  const bertFolder = modelFolder('kotoba-bert-mini');
  const tokenizer = await AutoTokenizer.fromPretrained(bertFolder);
  const text = 'Hello, my dog is cute';
  heading(log, 1, 'Tokens: text becomes WordPiece pieces and ids');
  const ids = tokenizer.encode(text, { addSpecialTokens: true });
  log(`text:   ${JSON.stringify(text)}`);
  log(`pieces: ${tokenizer.convertIdsToTokens(ids).join(' ')}`);
  log(`ids:    ${ids.join(' ')}`);

  heading(log, 2, 'Encoder: one contextual vector per token, layer by layer');
  const bert = await BertModel.fromPretrained(bertFolder, { onWarning: quiet });
  const out = noGrad(() => bert.forward({ inputIds: tensor([ids], { dtype: 'int32' }), outputHiddenStates: true, outputAttentions: true }));
  log(`last hidden state: [${out.lastHiddenState.shape.join(', ')}] (batch, tokens, hidden size)`);
  log(`hidden states:     ${out.hiddenStates!.length} tensors (the embeddings, then one per layer)`);
  const attention = out.attentions!.at(-1)!; // [batch, heads, tokens, tokens]
  log(`attention:         ${out.attentions!.length} layers of [${attention.shape.join(', ')}] (batch, heads, query, key)`);
  const pieces = tokenizer.convertIdsToTokens(ids);
  const dog = pieces.indexOf('dog');
  if (dog >= 0) {
    const weights = attention.select(0, 0).mean(0).select(0, dog).toArray() as number[]; // heads averaged
    const ranked = weights.map((w, i) => [pieces[i], w] as const).sort((a, b) => b[1] - a[1]).slice(0, 3);
    log(`last layer, "dog" attends most to: ${ranked.map(([p, w]) => `${p} (${w.toFixed(2)})`).join(', ')}`);
  }

  heading(log, 3, 'Fine-tuning: AdamW + cross-entropy, the loss goes down');
  const classifier = await BertForSequenceClassification.fromPretrained(bertFolder, { numLabels: 2, onWarning: quiet });
  log('kotoba-bert-mini + a new 2-label classification head (randomly initialized), 4 labelled sentences, lr 1e-4:');
  const examples: [string, number][] = [
    ['What a wonderful day, I loved every minute.', 1], ['The food was cold and the service was rude.', 0],
    ['This phone works great and the battery lasts.', 1], ['I want my money back, it broke after a week.', 0],
  ];
  const batch = tokenizer.call(examples.map(([t]) => t), { padding: true, returnTensors: 'kotoba' });
  const labels = tensor(examples.map(([, l]) => l), { dtype: 'int32' });
  const optimizer = new AdamW(classifier.parameters(), { lr: 1e-4 });
  const lossFn = new CrossEntropyLoss();
  classifier.eval(); // no dropout, so that the falling loss is the optimizer's doing alone
  const losses: number[] = [];
  for (let epoch = 1; epoch <= 5; epoch++) {
    const loss = lossFn.forward(classifier.forward({ inputIds: batch.inputIds, attentionMask: batch.attentionMask }).logits, labels);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
    log(`Epoch ${epoch}/5 - Loss: ${loss.item().toFixed(4)}`);
  }

  heading(log, 4, 'Decoder: GPT generates text one token at a time');
  const gptFolder = modelFolder('kotoba-gpt-mini');
  const gptTokenizer = await AutoTokenizer.fromPretrained(gptFolder);
  const gpt = await GPT2LMHeadModel.fromPretrained(gptFolder, { onWarning: quiet });
  const prompt = 'The meaning of life is';
  const generated = gpt.generate(gptTokenizer.call(prompt, { returnTensors: 'kotoba' }).inputIds, { maxNewTokens: 30, doSample: true, temperature: 0.6, seed: 0 });
  log(`prompt: ${JSON.stringify(prompt)}`);
  log(`text:   ${JSON.stringify(gptTokenizer.decode(generated.select(0, 0).toArray() as number[], { skipSpecialTokens: true }))}`);

  heading(log, 5, 'Encoder-decoder: T5 does every task as text to text');
  const t5Folder = modelFolder('kotoba-t5-mini');
  const t5Tokenizer = await AutoTokenizer.fromPretrained(t5Folder);
  const t5 = await T5ForConditionalGeneration.fromPretrained(t5Folder, { onWarning: quiet });
  for (const input of ['translate English to German: The house is wonderful.', 'sentiment: I loved this movie, the actors were great.']) {
    const output = t5.generate(t5Tokenizer.call(input, { returnTensors: 'kotoba' }).inputIds, { maxNewTokens: 30 });
    log(`${input}\n  -> ${t5Tokenizer.decode(output.select(0, 0).toArray() as number[], { skipSpecialTokens: true })}`);
  }

  heading(log, 6, 'Classification: the fine-tuned BERT reads a sentence');
  const sentimentFolder = modelFolder('kotoba-bert-mini-sentiment');
  const sentiment = await BertForSequenceClassification.fromPretrained(sentimentFolder, { onWarning: quiet });
  const sentimentTokenizer = await AutoTokenizer.fromPretrained(sentimentFolder);
  for (const sentence of [text, 'The battery died after two days. Awful.']) {
    const logits = noGrad(() => sentiment.forward({ inputIds: tensor([sentimentTokenizer.encode(sentence, { addSpecialTokens: true })], { dtype: 'int32' }) }).logits);
    const probs = logits.softmax(-1).select(0, 0).toArray() as number[];
    const best = probs.indexOf(Math.max(...probs));
    log(`${JSON.stringify(sentence)} -> ${sentiment.config.id2label[best]} (${probs[best].toFixed(3)})`);
  }
  return { losses };
}

interface StartOptions { serve: boolean; port: string; host: string }

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('a guided walk through tokens, hidden states, fine-tuning, generation, translation and classification on the shipped models, then the server and explorer')
    .option('--no-serve', 'only the walk; do not start the server afterwards')
    .option('--host <host>', 'address the server binds', '127.0.0.1')
    .option('--port <port>', 'server port', '8080')
    .action(async (options: StartOptions) => {
      await guidedWalk();
      if (!options.serve) return;
      heading(console.log, 7, 'Serving: the OpenAI API and the model explorer');
      const url = await runServe({ host: options.host, port: options.port }); // the real port, also for --port 0
      console.log(`explorer:  ${url}/  (attention per layer and head, hidden states, next-token probabilities)`);
      console.log(`try:       curl ${url}/v1/completions -H 'Content-Type: application/json' -d '{"model": "kotoba-gpt-mini", "prompt": "Once upon a time", "max_tokens": 30}'`);
      console.log('Ctrl-C stops the server.');
    });
}
