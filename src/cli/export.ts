/**
 * `kotoba export <model> --format gguf`: writes a GPT-2 checkpoint (a folder or Hub id) as a
 * GGUF file that llama.cpp and ollama load (tensor names and metadata: hub/gguf-gpt2.ts).
 * `--format hf`: writes the model again as a Hugging Face folder with its weights stored in
 * another precision (float16/bfloat16 halve the files; Kotoba upcasts them to float32 on load).
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { OptionError } from '../errors.js';
import { writeGguf } from '../hub/gguf.js';
import { gpt2ToGguf, readBpeVocab } from '../hub/gguf-gpt2.js';
import { loadPretrained, savePretrained } from '../hub/index.js';

export interface ExportOptions {
  format: string;
  /** Output file (default: <folder name>.gguf, or .f16.gguf). */
  output?: string;
  /** 'f32' (default) or 'f16' for the matrices; 'bf16' too for --format hf. */
  dtype?: string;
  /** --format hf: largest weights file, e.g. "10MB" (default: one file). */
  maxShardSize?: string;
}

/** Exports a model; returns the path written. */
export async function exportModel(idOrFolder: string, options: ExportOptions): Promise<string> {
  if (options.format === 'hf') return exportFolder(idOrFolder, options);
  if (options.format !== 'gguf') throw new OptionError(`export: --format must be "gguf" or "hf", got ${JSON.stringify(options.format)}`);
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

const FOLDER_DTYPES = { f32: 'F32', f16: 'F16', bf16: 'BF16' } as const;

/** Re-saves a Hugging Face folder with another weight precision (config, generation config, tokenizer and model card kept). */
function exportFolder(idOrFolder: string, options: ExportOptions): Promise<string> {
  const dtype = FOLDER_DTYPES[(options.dtype ?? 'f32') as keyof typeof FOLDER_DTYPES];
  if (!dtype) return Promise.reject(new OptionError(`export: --dtype must be f32, f16 or bf16 for --format hf, got ${JSON.stringify(options.dtype)}`));
  if (!options.output) return Promise.reject(new OptionError('export --format hf: give the output folder with -o/--output.'));
  return loadPretrained(idOrFolder).then((files) => {
    const output = resolve(options.output!);
    if (output === resolve(files.folder)) throw new OptionError('export --format hf: the output folder must differ from the model folder.');
    const extra: Record<string, Uint8Array> = {};
    for (const [name, path] of Object.entries(files.tokenizerFiles)) extra[name] = readFileSync(path);
    if (existsSync(join(files.folder, 'README.md'))) extra['README.md'] = readFileSync(join(files.folder, 'README.md'));
    const maxShardSize = options.maxShardSize === undefined ? undefined : parseSize(options.maxShardSize);
    savePretrained(output, { config: files.config, stateDict: files.stateDict.tensors, generationConfig: files.generationConfig, files: extra, dtype, maxShardSize });
    return output;
  });
}

/** "10MB", "500kB", "2GB" or a byte count, as transformers' max_shard_size (decimal units). */
function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|MB|GB)?$/.exec(text.trim());
  if (!m || Number(m[1]) <= 0) throw new OptionError(`export: --max-shard-size must be a size such as 10MB or 500kB, got ${JSON.stringify(text)}`);
  const unit = { B: 1, kB: 1e3, KB: 1e3, MB: 1e6, GB: 1e9 }[m[2] ?? 'B']!;
  return Math.floor(Number(m[1]) * unit);
}

/** Adds the `export` command to the kotoba program. */
export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write a model in another format: GGUF for llama.cpp and ollama (GPT-2 models), or a Hugging Face folder in another precision')
    .argument('<model>', 'a model folder or Hub id')
    .requiredOption('--format <format>', 'output format: gguf, or hf (a Hugging Face folder)')
    .option('-o, --output <path>', 'output file (default: <model name>.gguf), or folder for hf')
    .option('--dtype <dtype>', 'weight type: f32, f16, or bf16 (hf only)', 'f32')
    .option('--max-shard-size <size>', 'hf: split the weights into files of at most this size (e.g. 10MB)')
    .action(async (model: string, opts: ExportOptions) => {
      const path = await exportModel(model, opts);
      console.log(`wrote ${path}`);
    });
}
