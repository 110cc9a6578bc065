// Fetching one file from a Hub `resolve` URL: redirects followed by hand (so the Hub's own
// headers — X-Repo-Commit, X-Linked-Etag — are read before a CDN redirect), the token sent only
// to the Hub's origin, statuses turned into HubErrors, and an idle timeout so nothing hangs.
import { HubError } from './errors.js';

/** The network failed (refused, reset, timed out, dropped mid-file); the Hub gave no answer. */
export class HubConnectionError extends HubError {}

export interface HubRequest {
  readonly url: string;
  /** Sent as `Authorization: Bearer <token>`, only to `authOrigin`. */
  readonly token: string | undefined;
  readonly authOrigin: string;
  /** Abort when no byte arrives for this long. */
  readonly idleTimeoutMs: number;
  /** Names the file in messages: `org/name@main: config.json`. */
  readonly what: string;
}

export interface HubFileResponse {
  readonly found: true;
  readonly response: Response;
  readonly commit: string;
  /** Normalised (no W/, no quotes); safe as a file name. */
  readonly etag: string;
  /** Body length when the server declared it. */
  readonly size: number | undefined;
  readonly timer: IdleTimer;
}

export interface HubFileMissing {
  readonly found: false;
  /** The commit the Hub resolved the revision to, when it said (X-Repo-Commit). */
  readonly commit: string | undefined;
}

const MAX_REDIRECTS = 10;

/** Aborts a request when `reset()` is not called within `ms`. */
export class IdleTimer {
  private readonly controller = new AbortController();
  private handle: NodeJS.Timeout | undefined;

  constructor(private readonly ms: number) {
    this.reset();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  reset(): void {
    clearTimeout(this.handle);
    this.handle = setTimeout(() => this.controller.abort(), this.ms);
    this.handle.unref();
  }

  clear(): void {
    clearTimeout(this.handle);
  }
}

function normaliseEtag(raw: string | null): string | undefined {
  if (!raw) return undefined;
  const etag = raw.replace(/^W\//, '').replace(/^"|"$/g, '');
  return /^[\w.-]+$/.test(etag) && !/^\.+$/.test(etag) ? etag : undefined;
}

/** GET a resolve URL. Resolves to the body response, or `found: false` on a missing file. */
export async function getHubFile(req: HubRequest): Promise<HubFileResponse | HubFileMissing> {
  const timer = new IdleTimer(req.idleTimeoutMs);
  let url = new URL(req.url);
  let hubHeaders: Headers | undefined; // the last response that carried X-Repo-Commit
  try {
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { 'Accept-Encoding': 'identity', 'User-Agent': 'kotoba' };
      if (req.token && url.origin === req.authOrigin) headers['Authorization'] = `Bearer ${req.token}`;
      const res = await fetch(url, { redirect: 'manual', headers, signal: timer.signal });
      timer.reset();
      if (res.headers.has('x-repo-commit')) hubHeaders = res.headers;
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new HubError(`${req.what}: more than ${MAX_REDIRECTS} redirects from ${req.url}.`, res.status);
        url = new URL(location, url); // relative redirects (renamed repos) resolve against the current URL
        continue;
      }
      if (res.ok) return found(req, res, hubHeaders ?? res.headers, timer);
      await res.body?.cancel();
      timer.clear();
      return statusError(req, res, hubHeaders);
    }
  } catch (e) {
    timer.clear();
    if (e instanceof HubError) throw e;
    throw new HubConnectionError(`${req.what}: could not reach ${url.origin} (${describeNetworkError(e, timer)}). Check the network or HF_ENDPOINT, or set HF_HUB_OFFLINE=1 to use only the local cache.`);
  }
}

function found(req: HubRequest, res: Response, meta: Headers, timer: IdleTimer): HubFileResponse {
  const commit = meta.get('x-repo-commit');
  const etag = normaliseEtag(meta.get('x-linked-etag') ?? meta.get('etag'));
  if (!commit || !/^[\w.-]+$/.test(commit) || !etag) {
    timer.clear();
    void res.body?.cancel();
    throw new HubError(
      `${req.what}: the server at ${new URL(req.url).origin} did not send a usable X-Repo-Commit and ETag, so it does not look like a Hugging Face Hub. Check HF_ENDPOINT.`,
      res.status,
    );
  }
  const encoded = (res.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const length = res.headers.get('content-length');
  const size = !encoded && length !== null && /^\d+$/.test(length) ? Number(length) : undefined;
  return { found: true, response: res, commit, etag, size, timer };
}

function statusError(req: HubRequest, res: Response, hubHeaders: Headers | undefined): HubFileMissing {
  const code = res.headers.get('x-error-code');
  if (res.status === 401 || res.status === 403) {
    throw new HubError(
      `${req.what}: the Hub answered ${res.status} (${res.status === 401 ? 'not authorized' : 'forbidden'}). The repo may be private or gated, or may not exist. Set HF_TOKEN to an access token that can read it (https://huggingface.co/settings/tokens), and accept the repo's terms on its page if it is gated.`,
      res.status,
    );
  }
  if (res.status === 404) {
    if (code === 'RepositoryNotFound') throw new HubError(`${req.what}: repository not found on the Hub. Check the id (org/name).`, 404);
    if (code === 'RevisionNotFound') throw new HubError(`${req.what}: revision not found. Check the branch, tag or commit hash.`, 404);
    return { found: false, commit: (res.headers.get('x-repo-commit') ?? hubHeaders?.get('x-repo-commit')) || undefined };
  }
  throw new HubError(`${req.what}: the Hub answered ${res.status} ${res.statusText} for ${req.url}. Try again later.`, res.status);
}

export function describeNetworkError(e: unknown, timer?: IdleTimer): string {
  if (timer?.signal.aborted) return 'timed out waiting for data';
  const err = e as { message?: string; cause?: { code?: string; message?: string } };
  return err.cause?.code ?? err.cause?.message ?? err.message ?? String(e);
}
