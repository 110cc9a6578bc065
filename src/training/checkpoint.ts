/**
 * Checkpoints: a folder `checkpoint-<step>` in the output folder holding everything needed to
 * continue a run exactly where it stopped:
 *
 *   model.safetensors (+ config.json, tokenizer files)   the model, in Hugging Face's layout
 *   optimizer.safetensors                                 AdamW's moment estimates, per parameter
 *   trainer_state.json                                    step, epoch and position in the data,
 *                                                         schedule, RNG states, optimizer
 *                                                         hyper-parameters and steps, log history
 *
 * The folder is written under a hidden temporary name, every file fsynced, then renamed into
 * place in one step, so a run killed at any moment (even SIGKILL mid-write) leaves either a
 * complete checkpoint or none; a leftover temporary folder is removed by the next run.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { KotobaError, StateDictError } from '../errors.js';
import { readSafetensors, writeSafetensors, type SaveFileContents, type TensorToWrite } from '../hub/index.js';
import { syncDirectory, tempSibling, writeFileAtomic } from '../hub/atomic.js';
import type { Module } from '../nn/index.js';
import type { Optimizer, OptimizerStateDict } from '../optim/index.js';
import { Tensor } from '../tensor/index.js';
import { loadModelWeights, saveModel } from './model-io.js';

export const TRAINER_STATE_FILE = 'trainer_state.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
const CHECKPOINT_PATTERN = /^checkpoint-(\d+)$/;

/** The JSON part of a checkpoint. */
export interface TrainerState {
  formatVersion: 1;
  globalStep: number;
  /** Epoch being trained, and micro-batches of it already consumed. */
  epoch: number;
  batchInEpoch: number;
  totalSteps: number;
  seed: number;
  trainSize: number;
  scheduler: { lastStep: number; baseLrs: number[] };
  /** Optimizer hyper-parameters per group and the per-parameter numbers (Adam's step count). */
  optimizer: { paramGroups: Record<string, unknown>[]; scalars: Record<string, Record<string, number>> };
  rng: { default: number[]; data: number[] };
  bestMetric: number | null;
  bestStep: number | null;
  evalsWithoutImprovement: number;
  logHistory: Record<string, number>[];
}

/** Path of a checkpoint folder for a step. */
export function checkpointPath(outputDir: string, step: number): string {
  return join(outputDir, `checkpoint-${step}`);
}

/** Complete checkpoints in the folder, oldest first. */
export function listCheckpoints(outputDir: string): { step: number; path: string }[] {
  if (!existsSync(outputDir)) return [];
  return readdirSync(outputDir)
    .map((name) => CHECKPOINT_PATTERN.exec(name))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ step: Number(m[1]), path: join(outputDir, m[0]) }))
    .filter((c) => existsSync(join(c.path, TRAINER_STATE_FILE)))
    .sort((a, b) => a.step - b.step);
}

export function latestCheckpoint(outputDir: string): string | null {
  return listCheckpoints(outputDir).at(-1)?.path ?? null;
}

/** Removes temporary folders left by a run killed while writing a checkpoint. */
export function removeStaleCheckpointTemps(outputDir: string): void {
  if (!existsSync(outputDir)) return;
  for (const name of readdirSync(outputDir)) {
    if (/^\.checkpoint-\d+\..*\.(partial|old)$/.test(name)) rmSync(join(outputDir, name), { recursive: true, force: true });
  }
}

function splitOptimizerState(sd: OptimizerStateDict): { tensors: Map<string, TensorToWrite>; scalars: Record<string, Record<string, number>> } {
  const tensors = new Map<string, TensorToWrite>();
  const scalars: Record<string, Record<string, number>> = {};
  for (const [index, state] of Object.entries(sd.state)) {
    for (const [name, v] of Object.entries(state)) {
      if (v instanceof Tensor) tensors.set(`state.${index}.${name}`, { shape: [...v.shape], data: v.contiguousData() as Float32Array });
      else (scalars[index] ??= {})[name] = v;
    }
  }
  return { tensors, scalars };
}

export interface SaveCheckpointInput {
  outputDir: string;
  model: Module;
  optimizer: Optimizer<{ lr: number }>;
  state: Omit<TrainerState, 'optimizer'>;
  /** Extra files for the model folder (tokenizer files). */
  files?: Readonly<Record<string, SaveFileContents>>;
}

/** Writes checkpoint-<step> atomically; returns its path. An existing one for the same step is replaced. */
export function saveCheckpoint(input: SaveCheckpointInput): string {
  const target = checkpointPath(input.outputDir, input.state.globalStep);
  const staging = tempSibling(target, '.partial');
  mkdirSync(staging, { recursive: true });
  try {
    saveModel(input.model, staging, input.files);
    const { tensors, scalars } = splitOptimizerState(input.optimizer.stateDict());
    writeSafetensors(join(staging, OPTIMIZER_FILE), tensors, { format: 'pt' });
    const paramGroups = input.optimizer.stateDict().paramGroups;
    const state: TrainerState = { ...input.state, optimizer: { paramGroups, scalars } };
    // The state file is written last: a folder with it is complete.
    writeFileAtomic(join(staging, TRAINER_STATE_FILE), JSON.stringify(state, null, 1) + '\n');
    syncDirectory(staging);
    if (existsSync(target)) {
      const old = tempSibling(target, '.old');
      renameSync(target, old);
      renameSync(staging, target);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(staging, target);
    }
    syncDirectory(input.outputDir);
    return target;
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    if (e instanceof KotobaError) throw e;
    throw new KotobaError(`saving checkpoint ${target} failed (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); earlier checkpoints are unchanged.`);
  }
}

/** Reads trainer_state.json of a checkpoint folder. */
export function readTrainerState(folder: string): TrainerState {
  const file = join(folder, TRAINER_STATE_FILE);
  let state: TrainerState;
  try {
    state = JSON.parse(readFileSync(file, 'utf8')) as TrainerState;
  } catch (e) {
    throw new StateDictError(`${file}: cannot read the trainer state (${(e as Error).message}); is ${folder} a checkpoint folder?`);
  }
  if (state.formatVersion !== 1) throw new StateDictError(`${file}: unknown checkpoint format version ${String(state.formatVersion)}`);
  return state;
}

/** Loads model weights and optimizer state from a checkpoint folder; returns its trainer state. */
export function loadCheckpoint(folder: string, model: Module, optimizer: Optimizer<{ lr: number }>): TrainerState {
  const state = readTrainerState(folder);
  loadModelWeights(model, folder);
  const { tensors } = readSafetensors(join(folder, OPTIMIZER_FILE));
  const perParam: OptimizerStateDict['state'] = {};
  for (const [index, scalars] of Object.entries(state.optimizer.scalars)) perParam[Number(index)] = { ...scalars };
  for (const [key, t] of tensors) {
    const m = /^state\.(\d+)\.(.+)$/.exec(key);
    if (!m) continue;
    (perParam[Number(m[1])] ??= {})[m[2]] = Tensor.fromArray(t.data, t.shape);
  }
  optimizer.loadStateDict({ state: perParam, paramGroups: state.optimizer.paramGroups });
  return state;
}

/** Deletes the oldest checkpoints so that at most `limit` remain (never `keep`). */
export function rotateCheckpoints(outputDir: string, limit: number, keep: string | null = null): void {
  const all = listCheckpoints(outputDir);
  let excess = all.length - limit;
  for (const c of all) {
    if (excess <= 0) break;
    if (c.path === keep) continue;
    rmSync(c.path, { recursive: true, force: true });
    excess--;
  }
}
