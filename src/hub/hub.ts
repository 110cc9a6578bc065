// Resolving a Hub id to a local snapshot folder: from the Hugging Face cache when it is there,
// otherwise downloaded from the Hub's resolve endpoint into that cache.
import { resolveModelName } from './shipped.js';
import { closeSync, existsSync, fsyncSync, openSync, renameSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { KotobaError } from '../errors.js';
import { removeQuietly, writeAll } from './atomic.js';
import { RepoCache, isCommitHash } from './cache.js';
import { HubError } from './errors.js';
import { CONFIG_FILE, GENERATION_CONFIG_FILE, TOKENIZER_FILES, WEIGHTS_FILE, WEIGHTS_INDEX_FILE, readWeightMap } from './folder.js';
import { HubConnectionError, describeNetworkError, getHubFile, type HubFileResponse } from './http.js';
import { progressBar } from './progress.js';
import { hubSettings, type HubOptions, type HubSettings } from './settings.js';

export interface ResolveOptions extends HubOptions {
  /** Also fetch the weights (default true); false fetches config and tokenizer files only. */
  readonly weights?: boolean;
}

/** A valid Hub repo id: `name` or `org/name`, as huggingface_hub validates them. */
export function isHubRepoId(id: string): boolean {
  return id.length <= 96 && /^([\w.-]+\/)?[\w.-]+$/.test(id) && !id.includes('--') && !id.includes('..') && !id.endsWith('.git') && !/^[.-]|[.-]$/.test(id);
}

/**
 * A local folder is returned as is; a Hub id (`org/name`) is looked up in the Hugging Face cache
 * and, unless offline, fetched from the Hub (config, weights, generation config, tokenizer files).
 * Returns the folder holding the files.
 */
export async function resolveModelPath(idOrFolder: string, options: ResolveOptions = {}): Promise<string> {
  idOrFolder = resolveModelName(idOrFolder); // "kotoba-bert-mini" -> the shipped folder
  if (existsSync(idOrFolder) && statSync(idOrFolder).isDirectory()) return resolve(idOrFolder);
  if (isAbsolute(idOrFolder) || /^[.~]/.test(idOrFolder) || idOrFolder.includes('\\') || !isHubRepoId(idOrFolder)) {
    throw new KotobaError(`${idOrFolder}: no such folder${isHubRepoId(idOrFolder) ? '' : ', and not a valid Hub id (org/name)'}. Pass a model folder or a Hub id.`);
  }
  const repo = new RepoFetcher(idOrFolder, hubSettings(options));
  await repo.file(CONFIG_FILE, true);
  if (options.weights !== false) await fetchWeights(repo);
  for (const name of [GENERATION_CONFIG_FILE, ...TOKENIZER_FILES]) await repo.file(name, false);
  return repo.snapshotFolder();
}

/** Download (or find in the cache) one file of a Hub repo; returns its local path. */
export async function hubDownload(repoId: string, filename: string, options: HubOptions = {}): Promise<string> {
  if (!isHubRepoId(repoId)) throw new KotobaError(`${JSON.stringify(repoId)} is not a valid Hub id (org/name).`);
  checkFilename(repoId, filename);
  return (await new RepoFetcher(repoId, hubSettings(options)).file(filename, true))!;
}

async function fetchWeights(repo: RepoFetcher): Promise<void> {
  if (await repo.file(WEIGHTS_FILE, false)) return;
  const index = await repo.file(WEIGHTS_INDEX_FILE, false);
  if (!index && repo.cacheOnlyReason) {
    throw new HubError(
      `${repo.label}: ${repo.cacheOnlyReason}, and the cache at ${repo.cacheDir} has neither ${WEIGHTS_FILE} nor ${WEIGHTS_INDEX_FILE} for this revision. Download the model once while online.`,
    );
  }
  if (!index) {
    throw new HubError(
      `${repo.label}: the repo has no ${WEIGHTS_FILE} or ${WEIGHTS_INDEX_FILE}. Kotoba loads safetensors only (it never runs pickle files such as pytorch_model.bin); pick a repo or revision with safetensors weights.`,
      404,
    );
  }
  for (const shard of new Set(readWeightMap(index).values())) await repo.file(shard, true);
}

function checkFilename(repoId: string, filename: string): void {
  if (filename === '' || isAbsolute(filename) || filename.split('/').some((p) => p === '..' || p === '.' || p === '') || filename.includes('\\')) {
    throw new KotobaError(`${repoId}: ${JSON.stringify(filename)} is not a valid file name inside a repo.`);
  }
}

/** Fetches files of one repo at one revision; after the first answer, pins the commit. */
class RepoFetcher {
  private readonly cache: RepoCache;
  private commit: string | undefined;
  /** Set when a request could not reach the Hub: the remaining files come from the cache. */
  private unreachable: HubConnectionError | undefined;

  constructor(
    readonly repoId: string,
    private readonly settings: HubSettings,
  ) {
    this.cache = new RepoCache(settings.cacheDir, repoId);
    if (isCommitHash(settings.revision)) this.commit = settings.revision;
  }

  /** Why files come from the cache alone (offline mode, or the Hub could not be reached); undefined when online. */
  get cacheOnlyReason(): string | undefined {
    if (this.settings.offline) return 'offline mode is on (HF_HUB_OFFLINE)';
    return this.unreachable ? `the Hub could not be reached (${this.unreachable.message})` : undefined;
  }

  get cacheDir(): string {
    return this.settings.cacheDir;
  }

  get label(): string {
    return `${this.repoId}@${this.settings.revision}`;
  }

  snapshotFolder(): string {
    return this.cache.snapshotPath(this.commit ?? this.cache.commitFor(this.settings.revision)!);
  }

  /** Local path of `filename`; undefined when the repo lacks it (or throws if `required`). */
  async file(filename: string, required: boolean): Promise<string | undefined> {
    try {
      return await this.fileUnchecked(filename, required);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (e instanceof KotobaError || !code) throw e;
      throw new HubError(`${this.label}: ${filename}: cannot write to the cache at ${this.settings.cacheDir} (${code}). Make it writable, or point HF_HUB_CACHE / HF_HOME elsewhere.`);
    }
  }

  private async fileUnchecked(filename: string, required: boolean): Promise<string | undefined> {
    const cacheOnly = this.cacheOnlyReason;
    if (cacheOnly) return this.fromCache(filename, required, cacheOnly);
    // A file already in the snapshot of a known commit never changes: no request needed.
    if (this.commit) {
      const hit = this.cachedOrKnownMissing(this.commit, filename);
      if (hit !== null) return this.answer(hit, filename, required);
    }
    return this.download(filename, required);
  }

  /**
   * Like huggingface_hub: when the Hub cannot be reached but the cache knows the revision, go on
   * from the cache (and stop asking the network for the remaining files).
   */
  private fallBackToCache(error: HubConnectionError, filename: string, required: boolean): string | undefined {
    const commit = this.commit ?? this.cache.commitFor(this.settings.revision);
    const hit = commit ? this.cachedOrKnownMissing(commit, filename) : null;
    if (!commit || (hit === null && required)) throw error;
    this.commit = commit;
    this.unreachable = error;
    return this.answer(hit ?? undefined, filename, required);
  }

  /** The cached path, `undefined` for a file known to be absent, `null` when the cache cannot tell. */
  private cachedOrKnownMissing(commit: string, filename: string): string | undefined | null {
    const path = this.cache.cachedFile(commit, filename);
    if (path) return path;
    return this.cache.isKnownMissing(commit, filename) ? undefined : null;
  }

  private answer(path: string | undefined, filename: string, required: boolean): string | undefined {
    if (path === undefined && required) throw new HubError(`${this.label}: the repo has no file ${filename}.`, 404);
    return path;
  }

  private fromCache(filename: string, required: boolean, why: string): string | undefined {
    const commit = this.commit ?? this.cache.commitFor(this.settings.revision);
    const hit = commit ? this.cachedOrKnownMissing(commit, filename) : null;
    if (hit === null) {
      if (!required) return undefined;
      const what = commit ? `${filename} (snapshot ${commit})` : `revision ${this.settings.revision} (no ${this.cache.root}/refs/${this.settings.revision})`;
      throw new HubError(`${this.label}: ${why}, and the cache at ${this.settings.cacheDir} lacks ${what}. Download it once while online (HF_HUB_OFFLINE unset).`);
    }
    this.commit = commit;
    return this.answer(hit, filename, required);
  }

  private async download(filename: string, required: boolean): Promise<string | undefined> {
    const revision = this.commit ?? this.settings.revision;
    const url = `${this.settings.endpoint}/${this.repoId}/resolve/${encodeURIComponent(revision)}/${filename.split('/').map(encodeURIComponent).join('/')}`;
    let answer: Awaited<ReturnType<typeof getHubFile>>;
    try {
      answer = await getHubFile({
        url,
        token: this.settings.token,
        authOrigin: new URL(this.settings.endpoint).origin,
        idleTimeoutMs: this.settings.idleTimeoutMs,
        what: `${this.label}: ${filename}`,
      });
    } catch (e) {
      // Only failures before any answer fall back; a transfer cut mid-file is reported as such.
      if (e instanceof HubConnectionError) return this.fallBackToCache(e, filename, required);
      throw e;
    }
    if (!answer.found) {
      if (answer.commit) {
        this.pin(answer.commit);
        this.cache.markMissing(answer.commit, filename);
      }
      return this.answer(undefined, filename, required);
    }
    let bodyUsed = false;
    try {
      this.pin(answer.commit);
      if (!this.cache.hasBlob(answer.etag)) {
        bodyUsed = true;
        await this.saveBlob(answer, filename);
      }
    } finally {
      if (!bodyUsed) {
        // Cached blob, or a cache write failed first: release the connection either way.
        answer.timer.clear();
        await answer.response.body?.cancel().catch(() => undefined);
      }
    }
    return this.cache.linkSnapshot(answer.etag, answer.commit, filename);
  }

  private pin(commit: string): void {
    this.commit ??= commit;
    this.cache.writeRef(this.settings.revision, this.commit);
  }

  /** Stream the body to a temporary blob, fsync, rename; on any failure nothing is left behind. */
  private async saveBlob(answer: HubFileResponse, filename: string): Promise<void> {
    const tmp = this.cache.blobTempPath(answer.etag);
    const bar = progressBar(`${this.repoId}: ${filename}`, answer.size, this.settings.progress);
    let fd: number | undefined;
    let written = 0;
    let ok = false;
    try {
      fd = openSync(tmp, 'wx', 0o644);
      for await (const chunk of answer.response.body ?? []) {
        answer.timer.reset();
        writeAll(fd, chunk);
        written += chunk.length;
        bar.update(written);
      }
      if (answer.size !== undefined && written !== answer.size) throw new Error('the connection closed early');
      fsyncSync(fd);
      ok = true;
    } catch (e) {
      await answer.response.body?.cancel().catch(() => undefined);
      if ((e as NodeJS.ErrnoException).syscall) throw e; // a local file-system error, reported by file()
      throw new HubConnectionError(
        `${this.label}: ${filename}: download interrupted after ${written}${answer.size !== undefined ? ` of ${answer.size}` : ''} bytes (${describeNetworkError(e, answer.timer)}). Nothing was kept in the cache; run again to retry.`,
      );
    } finally {
      answer.timer.clear();
      bar.done();
      if (fd !== undefined) closeSync(fd);
      if (!ok) removeQuietly(tmp);
    }
    renameSync(tmp, this.cache.blobPath(answer.etag));
  }
}
