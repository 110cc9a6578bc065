/**
 * `kotoba export <model> --format gguf`: writes a GPT-2 checkpoint (a folder or Hub id) as a
 * GGUF file that llama.cpp and ollama load (tensor names and metadata: hub/gguf-gpt2.ts).
 */
import type { Command } from 'commander';
import { basename, resolve } from 'node:path';
import { OptionError } from '../errors.js';
import { writeGguf } from '../hub/gguf.js';
import { gpt2ToGguf, readBpeVocab } from '../hub/gguf-gpt2.js';
import { loadPretrained } from '../hub/index.js';

export interface ExportOptions {
  format: string;
  /** Output file (default: <folder name>.gguf, or .f16.gguf). */
  output?: string;
  /** 'f32' (default) or 'f16' for the matrices. */
  dtype?: string;
}

/** Exports a model; returns the path written. */
export async function exportModel(idOrFolder: string, options: ExportOptions): Promise<string> {
  if (options.format !== 'gguf') throw new OptionError(`export: --format must be "gguf", got ${JSON.stringify(options.format)}`);
  const dtype = options.dtype ?? 'f32';
  if (dtype !== 'f32' && dtype !== 'f16') throw new OptionError(`export: --dtype must be "f32" or "f16", got ${JSON.stringify(dtype)}`);
  const files = await loadPretrained(idOrFolder);
  const name = basename(files.folder) || 'model';
  const { metadata, tensors } = gpt2ToGguf(files.config, files.stateDict.tensors, {
    type: dtype === 'f16' ? 'F16' : 'F32',
    name,
    vocab: readBpeVocab(files.tokenizerFiles),
  });
  const output = resolve(options.output ?? `${name}${dtype === 'f16' ? '.f16' : ''}.gguf`);
  writeGguf(output, { metadata, tensors });
  return output;
}

/** Adds the `export` command to the kotoba program. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write a model in another format: GGUF for llama.cpp and ollama (GPT-2 models)')
    .argument('<model>', 'a model folder or Hub id')
    .requiredOption('--format <format>', 'output format: gguf')
    .option('-o, --output <file>', 'output file (default: <model name>.gguf)')
    .option('--dtype <dtype>', 'weight type: f32 or f16', 'f32')
    .action(async (model: string, opts: ExportOptions) => {
      const path = await exportModel(model, opts);
      console.log(`wrote ${path}`);
    });
}
