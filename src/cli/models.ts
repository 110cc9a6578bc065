/**
 * `kotoba models`: the shipped models that are present (name, architecture, parameter count,
 * size on disk, what each is for, where it is) and the model repos in the Hugging Face cache.
 * Parameter counts come from the safetensors headers (the element counts of the shapes); the
 * weights themselves are never read.
 */
import type { Command } from 'commander';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { defaultHubCacheDir, listModelFolder, openSafetensors, readConfig } from '../hub/index.js';
import { SHIPPED_MODELS, shippedModelsDir, type ShippedModelName } from '../models/shipped.js';

export interface ShippedModelInfo {
  name: string;
  /** config.json's architectures[0] (else its model_type). */
  architecture: string;
  /** Sum of the element counts of every tensor in the weight files (tied weights are stored once); null when unreadable. */
  parameters: number | null;
  /** Bytes of the files in the folder. */
  bytes: number;
  description: string;
  path: string;
  /** Why the folder could not be read (e.g. a model being written right now). */
  error?: string;
}

export interface CachedRevision {
  commit: string;
  /** Branches and tags in refs/ that point to this commit. */
  refs: string[];
  files: string[];
}

export interface CachedModel {
  repoId: string;
  revisions: CachedRevision[];
  /** Bytes of the repo's blobs. */
  bytes: number;
}

export interface ModelsListing {
  shippedDir: string;
  shipped: ShippedModelInfo[];
  cacheDir: string;
  cached: CachedModel[];
}

/** Sum of the element counts of the tensors of a folder's weight files (headers only). */
export function parameterCount(folder: string): number {
  let total = 0;
  for (const file of listModelFolder(folder).weights) {
    const st = openSafetensors(file);
    try {
      for (const info of st.header.tensors.values()) total += info.shape.reduce((a, b) => a * b, 1);
    } finally {
      st.close();
    }
  }
  return total;
}

/** Bytes of the regular files under a folder (symlinks not followed). */
function folderBytes(folder: string): number {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const p = join(folder, entry.name);
    if (entry.isDirectory()) total += folderBytes(p);
    else if (entry.isFile()) total += lstatSync(p).size;
  }
  return total;
}

export function shippedModelInfo(name: ShippedModelName, dir = shippedModelsDir()): ShippedModelInfo | null {
  const path = join(dir, name);
  if (!existsSync(join(path, 'config.json'))) return null;
  const info: ShippedModelInfo = { name, architecture: '?', parameters: null, bytes: folderBytes(path), description: SHIPPED_MODELS[name], path };
  // one unreadable folder (e.g. a model being retrained into it) does not hide the others
  try {
    const config = readConfig(path);
    const architectures = config['architectures'];
    info.architecture = Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : String(config['model_type'] ?? '?');
    info.parameters = parameterCount(path);
  } catch (err) {
    info.error = err instanceof Error ? err.message : String(err);
  }
  return info;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/** Model repos of a Hugging Face cache folder: models--<org>--<name>/{refs,snapshots,blobs}. */
export function cachedModels(cacheDir = defaultHubCacheDir()): CachedModel[] {
  const out: CachedModel[] = [];
  for (const entry of listDir(cacheDir)) {
    if (!entry.startsWith('models--')) continue;
    const root = join(cacheDir, entry);
    if (!statSync(root).isDirectory()) continue;
    const refs = new Map<string, string[]>();
    const refsDir = join(root, 'refs');
    const walkRefs = (dir: string, prefix: string): void => {
      for (const name of listDir(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walkRefs(p, `${prefix}${name}/`);
        else {
          const commit = readFileSync(p, 'utf8').trim();
          refs.set(commit, [...(refs.get(commit) ?? []), `${prefix}${name}`]);
        }
      }
    };
    walkRefs(refsDir, '');
    const revisions = listDir(join(root, 'snapshots')).map((commit) => ({
      commit,
      refs: refs.get(commit) ?? [],
      files: listDir(join(root, 'snapshots', commit)),
    }));
    const blobs = join(root, 'blobs');
    out.push({ repoId: entry.slice('models--'.length).split('--').join('/'), revisions, bytes: existsSync(blobs) ? folderBytes(blobs) : 0 });
  }
  return out;
}

export function listModels(): ModelsListing {
  const shippedDir = shippedModelsDir();
  const shipped = (Object.keys(SHIPPED_MODELS) as ShippedModelName[]).map((name) => shippedModelInfo(name, shippedDir)).filter((m): m is ShippedModelInfo => m !== null);
  const cacheDir = defaultHubCacheDir();
  return { shippedDir, shipped, cacheDir, cached: cachedModels(cacheDir) };
}

/** 1234567 -> "1.23M". */
export function humanCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return String(n);
}

/** 1234567 -> "1.2 MiB". */
export function humanBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(1)} ${units[i]}`;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ').trimEnd());
}

export function modelsReport(listing: ModelsListing): string {
  const lines: string[] = [];
  if (listing.shipped.length === 0) {
    lines.push(`Shipped models: none found in ${listing.shippedDir}`);
  } else {
    lines.push(`Shipped models (${listing.shippedDir}):`);
    const rows = [['name', 'architecture', 'parameters', 'size', 'for'], ...listing.shipped.map((m) => [m.name, m.architecture, m.parameters === null ? '?' : humanCount(m.parameters), humanBytes(m.bytes), m.description])];
    lines.push(...table(rows).map((l) => `  ${l}`));
    for (const m of listing.shipped) if (m.error) lines.push(`  ${m.name}: cannot read it: ${m.error}`);
  }
  lines.push('');
  if (listing.cached.length === 0) {
    lines.push(`Hugging Face cache (${listing.cacheDir}): no models`);
  } else {
    lines.push(`Hugging Face cache (${listing.cacheDir}):`);
    const rows = [['repo', 'revisions', 'size'], ...listing.cached.map((m) => [
      m.repoId,
      m.revisions.length === 0 ? '(no snapshots)' : m.revisions.map((r) => `${r.commit.slice(0, 12)}${r.refs.length ? ` (${r.refs.join(', ')})` : ''}`).join(', '),
      humanBytes(m.bytes),
    ])];
    lines.push(...table(rows).map((l) => `  ${l}`));
  }
  return lines.join('\n');
}

/** Adds the `models` command to the kotoba program. */
export function registerModelsCommand(program: Command): void {
  program
    .command('models')
    .description('list the shipped models and the models in the Hugging Face cache')
    .option('--json', 'print JSON: { shippedDir, shipped: [{ name, architecture, parameters, bytes, description, path, error? }], cacheDir, cached: [{ repoId, revisions: [{ commit, refs, files }], bytes }] }')
    .action((flags: { json?: boolean }) => {
      const listing = listModels();
      console.log(flags.json ? JSON.stringify(listing, null, 2) : modelsReport(listing));
    });
}
