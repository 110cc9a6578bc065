/**
 * Model cards (README.md) for the shipped models. A card is rendered from three files in the
 * model folder, so that anyone can regenerate it:
 *   config.json           architecture and sizes
 *   training_run.json     what scripts/train-default-models.sh did (steps, tokens, wall time, commands)
 *   eval_results.json     what `npm run eval` measured on the test splits (optional)
 */
import { readFileSync, existsSync, statSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { EvalResult } from '../src/eval/results.js';
import { listModelFolder } from '../src/hub/index.js';
import { parameterCount } from '../src/cli/models.js';

/** Written by write-model-cards.ts from the training run's folder. */
export interface TrainingRun {
  /** The stages of scripts/train-default-models.sh that make this model, in order. */
  stages: string[];
  objective: string;
  base_model?: string;
  tokenizer: string;
  data: string[];
  steps: number;
  batch_size: number;
  /** Pretraining: tokens per block; fine-tuning: longest input. */
  sequence_length: number;
  tokens_seen?: number;
  examples_seen?: number;
  learning_rate: number;
  wall_seconds: number;
  final_train_loss?: number;
  /** The last evaluation on the validation data during training (eval_* fields of metrics.jsonl). */
  validation: Record<string, number>;
  validation_data: string;
  commands: string[];
}

interface CardInfo {
  summary: string;
  pipeline: string;
  example: string;
  licence: string;
}

/** Licences of the data each model saw (from ../shared/data/README.md). */
export const DATA_LICENCES: Record<string, string> = {
  'corpus/en': 'public domain (Austen, KJV Bible, Bible commentaries, Jargon File, Devil\'s Dictionary), GPL-2+ (GCIDE, Debian manuals), GFDL-1.1+ (FOLDOC), PSF-2.0 (Python documentation)',
  'corpus/ja': 'Debian manuals in Japanese: GPL-2+ or CC-BY-SA-3.0 (handbook), GPL-2/GPL-2+ (reference, guides), SPI permissive notice (FAQ)',
  sentiment_uci: 'UCI Sentiment Labelled Sentences (Kotzias et al., KDD 2015), CC BY 4.0',
  brown_pos: 'Brown Corpus (Francis & Kucera), "redistribution permitted" — not a standard open licence',
  translation_en_de: 'Ding dictionary GPL-2+; Debian manuals GPL-2+ / CC-BY-SA-3.0; Debian FAQ SPI permissive notice',
  translation_en_ja: 'Debian manuals: GPL-2+ / CC-BY-SA-3.0; Debian FAQ SPI permissive notice',
  bible_kjv_to_web: 'public domain (King James Version, World English Bible)',
  fortunes_topic: 'fortune-mod data as shipped in Debian main (BSD-licensed collection)',
};

const CARDS: Record<string, CardInfo> = {
  'kotoba-bert-mini': {
    summary: 'A small BERT encoder pretrained by Kotoba with masked-language modelling (15% of tokens masked, 80/10/10) on the English corpus. It is the base of kotoba-bert-mini-sentiment and kotoba-bert-mini-pos.',
    pipeline: 'fill-mask',
    example: "const fill = await pipeline('fill-mask', 'kotoba-bert-mini');\nconsole.log(await fill('The king went to the [MASK].'));",
    licence: 'GPL-2.0-or-later (trained on GPL-2+ text among others; see the data licences)',
  },
  'kotoba-bert-mini-sentiment': {
    summary: 'kotoba-bert-mini fine-tuned for sentence sentiment (positive/negative) on sentiment_uci (Amazon, IMDb and Yelp review sentences).',
    pipeline: 'text-classification',
    example: "const classify = await pipeline('sentiment-analysis');\nconsole.log(await classify('Hello, my dog is cute'));",
    licence: 'GPL-2.0-or-later (base model); fine-tuning data CC BY 4.0',
  },
  'kotoba-bert-mini-pos': {
    summary: 'kotoba-bert-mini fine-tuned for token classification: part-of-speech tags of the Brown Corpus (the original Brown tag set). It stands in for NER in the token-classification pipeline.',
    pipeline: 'token-classification',
    example: "const tag = await pipeline('token-classification', 'kotoba-bert-mini-pos');\nconsole.log(await tag('The old man walked to the river.'));",
    licence: 'GPL-2.0-or-later (base model); Brown Corpus: redistribution permitted',
  },
  'kotoba-gpt-mini': {
    summary: 'A small GPT-2 decoder pretrained by Kotoba with causal language modelling on the English corpus, with a byte-level BPE vocabulary Kotoba trained on the same text.',
    pipeline: 'text-generation',
    example: "const generate = await pipeline('text-generation', 'kotoba-gpt-mini');\nconsole.log(await generate('The meaning of life is', { maxNewTokens: 30 }));",
    licence: 'GPL-2.0-or-later (trained on GPL-2+ text among others; see the data licences)',
  },
  'kotoba-t5-mini': {
    summary: 'A small T5 v1.1 encoder-decoder (gated-GELU feed-forward, untied embeddings) pretrained by Kotoba with span corruption on the English and Japanese corpora, then fine-tuned on a mix of five text-to-text tasks named by T5-style prefixes: `translate English to German:`, `translate English to Japanese:`, `modernize:` (King James English to modern English), `sentiment:` and `topic:`. **After this short run (1,500 pretraining steps of 32 x 128 tokens, then 4,000 fine-tuning steps of 16 pairs, 2.2 passes over the mix, on two shared cores) it has only begun to learn the tasks**: its `sentiment:` answers are mostly `positive` (a few `negative`), just above always answering the majority class; its `topic:` labels (`computers`, `work`) are right less often than the majority class; `modernize:` keeps the Bible\'s register but repeats itself (`For you have been made the Lord Yahweh said to him, ...`); its German is German-looking sentences (`Die Bericht ist ein wert.`), and its Japanese is mostly fragments (`本語の何の何の...`) or the word `linux`, so every score below is far under its baselines. An earlier model, fine-tuned for 6,000 steps after only 150 pretraining steps, answered `positive` to every `sentiment:` input and scored lower on every task but Japanese (chrF2 3.96 there against 1.04 now). (A first run, of 300 steps, gave only the blank piece `▁`: it was undertrained, not broken; the same code learns a small set of pairs by heart, see test/training/t5-text2text.test.ts.) It is shipped so that the T5 code paths, pipelines and examples run offline; a real t5-small folder, or many more training steps, gives real translations.',
    pipeline: 'text2text-generation',
    example: "const translate = await pipeline('translation_en_to_de', 'kotoba-t5-mini');\nconsole.log(await translate('The house is wonderful.'));",
    licence: 'GPL-2.0-or-later (trained on GPL-2+ text among others; see the data licences)',
  },
};

const fmt = (n: number): string => n.toLocaleString('en-US');

function duration(seconds: number): string {
  const m = Math.round(seconds / 60);
  return m < 60 ? `${m} min` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

function architecture(config: Record<string, unknown>): string {
  const arch = (config.architectures as string[] | undefined)?.[0] ?? String(config.model_type);
  const c = config as Record<string, number | string | boolean>;
  switch (config.model_type) {
    case 'bert': return `${arch}: ${c.num_hidden_layers} layers, hidden size ${c.hidden_size}, ${c.num_attention_heads} heads, feed-forward ${c.intermediate_size} (GELU), up to ${c.max_position_embeddings} positions`;
    case 'gpt2': return `${arch}: ${c.n_layer} layers, hidden size ${c.n_embd}, ${c.n_head} heads, feed-forward ${4 * Number(c.n_embd)} (GELU), context ${c.n_positions} tokens, tied input/output embeddings`;
    case 't5': return `${arch} (T5 v1.1): ${c.num_layers} encoder + ${c.num_decoder_layers ?? c.num_layers} decoder layers, d_model ${c.d_model}, ${c.num_heads} heads of ${c.d_kv}, feed-forward ${c.d_ff} (${c.feed_forward_proj}), relative position buckets ${c.relative_attention_num_buckets}, untied embeddings: ${c.tie_word_embeddings === false ? 'yes' : 'no'}`;
    default: return arch;
  }
}

function evalTable(results: EvalResult[]): string {
  const rows = results.map((r) => {
    const value = r.metric.includes('accuracy') ? `${(r.value * 100).toFixed(1)}%` : r.value.toFixed(r.value >= 10 ? 1 : 3);
    const base = r.baselines.map((b) => `${b.name}: ${r.metric.includes('accuracy') ? `${(b.value * 100).toFixed(1)}%` : b.value.toFixed(b.value >= 10 ? 1 : 3)}`).join('; ') || '—';
    return `| ${r.task} | ${r.dataset} ${r.split} (n=${fmt(r.n)}) | ${r.metric}${r.higher_is_better ? '' : ' (lower is better)'} | ${value} | ${base} |`;
  });
  return ['| task | data | metric | this model | baselines |', '| --- | --- | --- | ---: | --- |', ...rows].join('\n');
}

/** Renders README.md for a shipped model folder from its config, training run and evaluation files. */
export function renderModelCard(folder: string): string {
  const name = basename(folder);
  const info = CARDS[name];
  if (!info) throw new Error(`no card information for ${name}`);
  const config = JSON.parse(readFileSync(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
  const run = JSON.parse(readFileSync(join(folder, 'training_run.json'), 'utf8')) as TrainingRun;
  const evalPath = join(folder, 'eval_results.json');
  const evaluation = existsSync(evalPath) ? (JSON.parse(readFileSync(evalPath, 'utf8')) as { measured_at: string; results: EvalResult[] }) : null;
  const params = parameterCount(folder);
  const weightFiles = listModelFolder(folder).weights;
  const size = weightFiles.reduce((total, file) => total + statSync(file).size, 0);
  const seen = run.tokens_seen !== undefined ? `${fmt(run.tokens_seen)} tokens (${fmt(run.steps)} steps × ${run.batch_size} blocks × ${run.sequence_length} tokens)`
    : `${fmt(run.examples_seen ?? run.steps * run.batch_size)} examples (${fmt(run.steps)} steps × ${run.batch_size}, inputs up to ${run.sequence_length} tokens)`;
  const validation = Object.entries(run.validation).map(([k, v]) => `${k.replace(/^eval_/, '')} ${v.toFixed(4)}`).join(', ');
  const lines = [
    '---',
    'library_name: kotoba',
    `pipeline_tag: ${info.pipeline}`,
    `license: other`,
    `license_name: ${info.licence}`,
    '---',
    '',
    `# ${name}`,
    '',
    info.summary,
    '',
    'Trained on two CPU cores with Kotoba\'s own `train-tokenizer`, `pretrain` and `finetune` commands: a small model with a short training run, meant to make every Kotoba example, pipeline and command work offline. Its quality is modest; the numbers below are measured, not hoped for.',
    '',
    '| | |',
    '| --- | --- |',
    `| architecture | ${architecture(config)} |`,
    `| parameters | ${fmt(params)} |`,
    `| weights | ${weightFiles.length === 1 ? 'model.safetensors' : `${weightFiles.length} safetensors shards`}, ${String(config.torch_dtype ?? 'float32')} (${(size / 1e6).toFixed(1)} MB); Kotoba computes in float32 |`,
    `| tokenizer | ${run.tokenizer} |`,
    ...(run.base_model ? [`| base model | ${run.base_model} |`] : []),
    `| objective | ${run.objective} |`,
    `| data | ${run.data.map((d) => `${d} (${DATA_LICENCES[d] ?? 'see ../shared/data/README.md'})`).join('; ')} |`,
    `| training | ${seen}; AdamW, peak learning rate ${run.learning_rate}, warmup then linear decay |`,
    `| wall time | ${duration(run.wall_seconds)} on 2 CPU cores (shared with other work) |`,
    ...(run.final_train_loss !== undefined ? [`| final training loss | ${run.final_train_loss.toFixed(4)} |`] : []),
    `| last validation during training | ${validation} (${run.validation_data}) |`,
    '',
    '## Evaluation',
    '',
    evaluation
      ? `Measured by \`npm run eval\` on ${evaluation.measured_at.slice(0, 10)} on the test splits of ../shared/data (the hidden part of each test split was never seen).\n\n${evalTable(evaluation.results)}`
      : 'Not measured yet: run `npm run eval`.',
    '',
    '## Use',
    '',
    '```ts',
    "import { pipeline } from 'kotoba';",
    info.example,
    '```',
    '',
    `From the command line: \`kotoba run ${info.pipeline} "..." --model ${name}\`. The folder is a Hugging Face model folder: transformers loads it as well (\`AutoModel.from_pretrained("models/${name}")\`).`,
    '',
    '## Reproduce',
    '',
    `\`bash scripts/train-default-models.sh ${run.stages.join(' ')}\` from the repository root (resumable; stages already done are skipped). The commands it runs:`,
    '',
    '```sh',
    ...run.commands,
    '```',
    '',
  ];
  return lines.join('\n');
}

/** Writes README.md atomically. */
export function writeModelCard(folder: string): void {
  const text = renderModelCard(folder);
  const tmp = join(folder, '.README.md.partial');
  writeFileSync(tmp, text);
  renameSync(tmp, join(folder, 'README.md'));
}
