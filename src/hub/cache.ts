// The Hugging Face cache layout, as huggingface_hub writes it, so that models downloaded with
// Python or huggingface-cli load directly and ours load in Python:
//
//   <cache>/models--<org>--<name>/
//     refs/<revision>                   the commit hash a branch or tag pointed to
//     blobs/<etag>                      file contents, named by ETag (sha256 for LFS files)
//     snapshots/<commit>/<filename>     relative symlinks to ../../blobs/<etag> (copies where links fail)
//     .no_exist/<commit>/<filename>     empty marker: the repo has no such file at that commit
import { copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, symlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { removeQuietly, tempSibling, writeFileAtomic } from './atomic.js';

export type Env = Readonly<Record<string, string | undefined>>;

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? join(homedir(), p.slice(1)) : p;
}

/** $HF_HOME, else $XDG_CACHE_HOME/huggingface, else ~/.cache/huggingface. */
export function hfHome(env: Env): string {
  if (env['HF_HOME']) return expandHome(env['HF_HOME']);
  return join(env['XDG_CACHE_HOME'] ? expandHome(env['XDG_CACHE_HOME']) : join(homedir(), '.cache'), 'huggingface');
}

/** $HF_HUB_CACHE (or the older $HUGGINGFACE_HUB_CACHE), else <HF_HOME>/hub. */
export function defaultHubCacheDir(env: Env = process.env): string {
  const explicit = env['HF_HUB_CACHE'] ?? env['HUGGINGFACE_HUB_CACHE'];
  return explicit ? expandHome(explicit) : join(hfHome(env), 'hub');
}

export function isCommitHash(revision: string): boolean {
  return /^[0-9a-f]{40}$/.test(revision);
}

/** The cache of one model repo. */
export class RepoCache {
  readonly root: string;

  constructor(
    readonly cacheDir: string,
    readonly repoId: string,
  ) {
    this.root = join(cacheDir, `models--${repoId.split('/').join('--')}`);
  }

  /** The commit a revision resolves to from the cache alone (a hash resolves to itself). */
  commitFor(revision: string): string | undefined {
    if (isCommitHash(revision)) return revision;
    try {
      const commit = readFileSync(join(this.root, 'refs', revision), 'utf8').trim();
      return /^[\w.-]+$/.test(commit) ? commit : undefined;
    } catch {
      return undefined;
    }
  }

  writeRef(revision: string, commit: string): void {
    if (isCommitHash(revision) || this.commitFor(revision) === commit) return;
    const ref = join(this.root, 'refs', revision);
    mkdirSync(dirname(ref), { recursive: true });
    writeFileAtomic(ref, commit); // huggingface_hub writes the bare hash, no newline
  }

  snapshotPath(commit: string, filename = ''): string {
    return join(this.root, 'snapshots', commit, filename);
  }

  /** The snapshot file, if present (a dangling symlink counts as absent). */
  cachedFile(commit: string, filename: string): string | undefined {
    const p = this.snapshotPath(commit, filename);
    return existsSync(p) ? p : undefined;
  }

  private noExistPath(commit: string, filename: string): string {
    return join(this.root, '.no_exist', commit, filename);
  }

  isKnownMissing(commit: string, filename: string): boolean {
    return existsSync(this.noExistPath(commit, filename));
  }

  markMissing(commit: string, filename: string): void {
    const p = this.noExistPath(commit, filename);
    mkdirSync(dirname(p), { recursive: true });
    writeFileAtomic(p, '');
  }

  blobPath(etag: string): string {
    return join(this.root, 'blobs', etag);
  }

  hasBlob(etag: string): boolean {
    return existsSync(this.blobPath(etag));
  }

  /** A temporary name for a blob being downloaded (renamed to blobPath(etag) when complete). */
  blobTempPath(etag: string): string {
    const p = this.blobPath(etag);
    mkdirSync(dirname(p), { recursive: true });
    return tempSibling(p, '.incomplete');
  }

  /** Point snapshots/<commit>/<filename> at blobs/<etag>: a relative symlink, or a copy where links fail. */
  linkSnapshot(etag: string, commit: string, filename: string): string {
    const target = this.snapshotPath(commit, filename);
    const blob = this.blobPath(etag);
    mkdirSync(dirname(target), { recursive: true });
    const tmp = tempSibling(target, '.link');
    try {
      try {
        symlinkSync(relative(dirname(target), blob), tmp);
      } catch {
        copyFileSync(blob, tmp); // e.g. Windows without developer mode
      }
      renameSync(tmp, target); // replaces an older entry atomically
    } catch (e) {
      removeQuietly(tmp);
      throw e;
    }
    return target;
  }
}
