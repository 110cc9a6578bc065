/**
 * `kotoba inspect <model> "text" [--layer L] [--head H | --average] [--set cross] [--out file.svg|.png]`:
 * the explorer's attention view in the terminal — the tokens, a heatmap of one layer and head,
 * and the model's predictions — and optionally the heatmap as an SVG or PNG file.
 */
import { writeFileSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import type { Command } from 'commander';
import { OptionError } from '../errors.js';
import { printable, selectAttention, type AttentionChoice } from '../explorer/attention-view.js';
import { inspectModel } from '../explorer/inspect.js';
import { loadModel } from '../explorer/loader.js';
import { attentionPng } from '../explorer/render-png.js';
import { attentionSvg } from '../explorer/render-svg.js';
import { terminalHeatmap } from '../explorer/render-terminal.js';
import type { Inspection, Predictions } from '../explorer/types.js';

export interface InspectCommandOptions {
  layer?: string;
  head?: string;
  average?: boolean;
  set?: string;
  out?: string;
  decoderText?: string;
  temperature?: string;
  color?: boolean;
}

function integer(value: string | undefined, what: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new OptionError(`inspect: --${what} must be a whole number, got ${JSON.stringify(value)}`);
  return Number(value);
}

function predictionLines(p: Predictions): string[] {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`.padStart(6);
  const list = (items: { text: string; token: string; prob: number }[]) => items.slice(0, 5).map((t) => `  ${pct(t.prob)}  ${JSON.stringify(t.text || t.token)}`);
  switch (p.kind) {
    case 'next-token': return [`next token (temperature ${p.temperature}):`, ...list(p.top)];
    case 'fill-mask': return p.masks.length ? p.masks.flatMap((m) => [`mask at position ${m.position}:`, ...list(m.candidates)]) : ['(no mask token in the text)'];
    case 'classification': return ['labels:', ...p.labels.map((l) => `  ${pct(l.prob)}  ${l.label}`)];
    case 'seq2seq': return [`output: ${JSON.stringify(p.outputText)}`];
    case 'none': return [];
  }
}

/** The whole terminal report for an inspection. */
export function inspectReport(inspection: Inspection, choice: AttentionChoice, color: boolean): string {
  const m = inspection.model;
  const lines = [
    `${m.name}: ${m.architecture}, ${m.layers} layers × ${m.heads} heads, hidden size ${m.hiddenSize}`,
    `tokens: ${inspection.tokens.map((t) => `${printable(t)}(${t.id})`).join(' ')}${inspection.truncated ? '  [cut to the maximum length]' : ''}`,
  ];
  if (inspection.outputTokens) lines.push(`decoder: ${inspection.outputTokens.map((t) => `${printable(t)}(${t.id})`).join(' ')}`);
  lines.push('', terminalHeatmap(selectAttention(inspection, choice), { color }), '', ...predictionLines(inspection.predictions));
  return lines.join('\n');
}

/** Runs the command: prints the report; writes the heatmap when `out` is given. Returns the report. */
export async function runInspect(model: string, text: string, opts: InspectCommandOptions, write: (s: string) => void = console.log): Promise<string> {
  const choice: AttentionChoice = {
    layer: integer(opts.layer, 'layer') ?? 0,
    head: opts.average ? 'average' : (integer(opts.head, 'head') ?? 0),
    ...(opts.set ? { set: opts.set as AttentionChoice['set'] } : {}),
  };
  const temperature = opts.temperature === undefined ? undefined : Number(opts.temperature);
  const out = opts.out ? resolve(opts.out) : undefined;
  if (out && !['.svg', '.png'].includes(extname(out).toLowerCase())) throw new OptionError(`inspect: --out must end in .svg or .png, got ${opts.out}`);
  const loaded = await loadModel(model, { onWarning: (m) => console.error(m) });
  const inspection = inspectModel(loaded.model, loaded.tokenizer, text, { name: model, temperature, decoderText: opts.decoderText });
  const report = inspectReport(inspection, choice, opts.color ?? false);
  write(report);
  if (out) {
    const view = selectAttention(inspection, choice);
    writeFileSync(out, extname(out).toLowerCase() === '.png' ? attentionPng(view) : attentionSvg(view));
    write(`wrote ${out}`);
  }
  return report;
}

/** Adds the `inspect` command to the kotoba program. */
export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description("print a model's attention for a text as a terminal heatmap (and its tokens and predictions)")
    .argument('<model>', 'a model folder or Hub id')
    .argument('<text>', 'the input text')
    .option('--layer <L>', 'layer (from 0)', '0')
    .option('--head <H>', 'head (from 0)', '0')
    .option('--average', 'the mean over all heads of the layer')
    .option('--set <kind>', 'T5: encoder, decoder or cross (default: the first)')
    .option('--decoder-text <text>', "T5: the decoder's text (default: the model's own output)")
    .option('--temperature <T>', 'temperature of the next-token probabilities', '1')
    .option('-o, --out <file>', 'also write the heatmap as .svg (with labels) or .png')
    .option('--no-color', 'shade blocks instead of colours even on a terminal')
    .action(async (model: string, text: string, opts: InspectCommandOptions) => {
      // colours only on a terminal that wants them
      const color = opts.color !== false && process.stdout.isTTY === true && !process.env['NO_COLOR'];
      await runInspect(model, text, { ...opts, color });
    });
}
