/**
 * The real runs reported in docs/training.md (not tests; minutes to hours on a CPU):
 *
 *   node dist/scripts/train-real-runs.js gpt2 <out>       pretrain a small GPT-2 on Jane Austen, report the validation perplexity curve
 *   node dist/scripts/train-real-runs.js sentiment <out>  pretrain a small BERT on the English corpora, fine-tune it on sentiment_uci
 *
 * Each run goes through the `kotoba` CLI exactly as a user would type it, then prints a table
 * read from the run's metrics.jsonl. Sizes: KOTOBA_RUN_STEPS (pretraining steps, default 600) and
 * KOTOBA_RUN_CONFIG (the GPT-2 preset: tiny (default), small, base).
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { readMetrics } from '../src/index.js';

const DATA = resolve(process.cwd(), '../shared/data');
const [what, out = '/tmp/kotoba-runs'] = process.argv.slice(2);
const steps = process.env.KOTOBA_RUN_STEPS ?? '600';
const preset = process.env.KOTOBA_RUN_CONFIG ?? 'tiny';

function kotoba(args: string[]): void {
  console.log(`$ kotoba ${args.join(' ')}`);
  const r = spawnSync(process.execPath, ['dist/src/cli/main.js', ...args], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function table(folder: string, keys: string[]): void {
  console.log(`| step | ${keys.join(' | ')} |\n|---:|${keys.map(() => '---:').join('|')}|`);
  for (const r of readMetrics(folder).filter((m) => keys.some((k) => k in m))) {
    console.log(`| ${r.step} | ${keys.map((k) => (k in r ? r[k].toFixed(4) : '')).join(' | ')} |`);
  }
}

if (what === 'gpt2') {
  const folder = join(out, `gpt2-${preset}-austen`);
  kotoba(['pretrain', '--arch', 'gpt2', '--config', preset, '--tokenizer', 'train', '--vocab-size', '4000',
    '--data', `${DATA}/corpus/en/austen.txt.gz`, '--out', folder, '--block-size', '128', '--batch-size', '8',
    '--max-steps', steps, '--lr', '1e-3', '--warmup-steps', '50', '--scheduler', 'cosine', '--weight-decay', '0.01',
    '--eval-steps', String(Math.max(1, Math.round(Number(steps) / 10))), '--logging-steps', '20', '--save-steps', '200',
    '--validation-split', '0.01', '--progress', 'lines']);
  table(folder, ['eval_loss', 'eval_perplexity']);
} else if (what === 'sentiment') {
  const bert = join(out, 'bert-en');
  kotoba(['pretrain', '--arch', 'bert', '--config', 'tiny', '--tokenizer', 'train', '--vocab-size', '4000',
    '--data', `${DATA}/corpus/en/austen.txt.gz`, '--out', bert,
    '--block-size', '64', '--batch-size', '16', '--max-steps', steps, '--lr', '1e-3', '--warmup-steps', '50',
    '--eval-steps', String(Math.max(1, Math.round(Number(steps) / 5))), '--logging-steps', '50', '--save-steps', '500',
    '--validation-split', '0.01', '--max-blocks', '20000', '--progress', 'lines']);
  const cls = join(out, 'bert-sentiment');
  kotoba(['finetune', '--model', bert, '--task', 'text-classification', '--train', `${DATA}/sentiment_uci/train.jsonl`,
    '--validation', `${DATA}/sentiment_uci/validation.jsonl`, '--out', cls, '--max-length', '64', '--batch-size', '16',
    '--epochs', '4', '--lr', '5e-4', '--warmup-ratio', '0.1', '--eval-steps', '75', '--logging-steps', '25', '--save-steps', '0',
    '--load-best-model-at-end', '--progress', 'lines']);
  table(cls, ['eval_loss', 'eval_accuracy', 'eval_macroF1']);
} else {
  console.error('usage: train-real-runs.js gpt2|sentiment [out]');
  process.exit(1);
}
