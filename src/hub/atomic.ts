// Writing files so that a crash never leaves a half-written one under the real name: write a
// hidden temporary sibling, fsync it, then rename it over the target (atomic on POSIX).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';

/** A temporary name next to `path`, hidden, unique per call. */
export function tempSibling(path: string, suffix = '.tmp'): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}${suffix}`);
}

/** Write all of `bytes` at the current position, looping over short writes. */
export function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Create `path` atomically: `fill(fd)` writes the contents to a temporary sibling, which is then
 * fsynced and renamed into place. On any error the temporary file is removed and `path` is
 * untouched.
 */
export function writeFileAtomic(path: string, fill: ((fd: number) => void) | string | Uint8Array): void {
  const tmp = tempSibling(path);
  const fd = openSync(tmp, 'wx', 0o644);
  let ok = false;
  try {
    if (typeof fill === 'function') fill(fd);
    else writeAll(fd, typeof fill === 'string' ? Buffer.from(fill, 'utf8') : fill);
    fsyncSync(fd);
    ok = true;
  } finally {
    closeSync(fd);
    if (!ok) removeQuietly(tmp);
  }
  try {
    renameSync(tmp, path);
  } catch (e) {
    removeQuietly(tmp);
    throw e;
  }
  syncDirectory(dirname(path));
}

/** Make a rename durable (best effort: not every platform can fsync a directory). */
export function syncDirectory(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Windows and some file systems refuse; the rename itself is still atomic.
  }
}

export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    try {
      rmSync(path, { recursive: true, force: true });
    } catch {
      // nothing left to clean up
    }
  }
}
