// Hub options, filled in from the environment variables huggingface_hub reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OptionError } from '../errors.js';
import { defaultHubCacheDir, hfHome, type Env } from './cache.js';

export interface HubOptions {
  /** Branch, tag or commit hash (default 'main'). */
  readonly revision?: string;
  /** Hub cache folder (default $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub). */
  readonly cacheDir?: string;
  /** Never touch the network (default: $HF_HUB_OFFLINE is 1/true/yes/on). */
  readonly offline?: boolean;
  /** Access token (default $HF_TOKEN, else the file huggingface-cli login writes); false sends none. */
  readonly token?: string | false;
  /** Hub URL (default $HF_ENDPOINT, else https://huggingface.co). */
  readonly endpoint?: string;
  /** Show a progress bar on stderr when it is a terminal (default true unless $HF_HUB_DISABLE_PROGRESS_BARS). */
  readonly progress?: boolean;
  /** Seconds without data before a request is abandoned (default $HF_HUB_DOWNLOAD_TIMEOUT, else 10). */
  readonly timeoutSeconds?: number;
  /** Environment to read the defaults from (default process.env). */
  readonly env?: Env;
}

export interface HubSettings {
  readonly revision: string;
  readonly cacheDir: string;
  readonly offline: boolean;
  readonly token: string | undefined;
  readonly endpoint: string;
  readonly progress: boolean;
  readonly idleTimeoutMs: number;
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.trim().toLowerCase());
}

function tokenFromEnv(env: Env): string | undefined {
  const direct = env['HF_TOKEN'] ?? env['HUGGING_FACE_HUB_TOKEN'];
  if (direct) return direct.trim();
  try {
    const t = readFileSync(env['HF_TOKEN_PATH'] ?? join(hfHome(env), 'token'), 'utf8').trim();
    return t || undefined;
  } catch {
    return undefined;
  }
}

export function hubSettings(options: HubOptions = {}): HubSettings {
  const env = options.env ?? process.env;
  const revision = options.revision ?? 'main';
  if (revision === '' || revision.split('/').some((part) => part === '..' || part === '.' || part === '') || revision.includes('\\')) {
    throw new OptionError(`revision ${JSON.stringify(revision)} is not a valid branch, tag or commit hash.`);
  }
  const endpoint = (options.endpoint ?? env['HF_ENDPOINT'] ?? 'https://huggingface.co').replace(/\/+$/, '');
  try {
    new URL(endpoint);
  } catch {
    throw new OptionError(`Hub endpoint ${JSON.stringify(endpoint)} (HF_ENDPOINT) is not a URL.`);
  }
  const timeout = options.timeoutSeconds ?? Number(env['HF_HUB_DOWNLOAD_TIMEOUT'] ?? 10);
  if (!(timeout > 0)) throw new OptionError(`Hub timeout ${timeout} must be a positive number of seconds (HF_HUB_DOWNLOAD_TIMEOUT).`);
  return {
    revision,
    cacheDir: options.cacheDir ?? defaultHubCacheDir(env),
    offline: options.offline ?? (truthy(env['HF_HUB_OFFLINE']) || truthy(env['TRANSFORMERS_OFFLINE'])),
    token: options.token === false ? undefined : (options.token ?? tokenFromEnv(env)),
    endpoint,
    progress: options.progress ?? !truthy(env['HF_HUB_DISABLE_PROGRESS_BARS']),
    idleTimeoutMs: timeout * 1000,
  };
}
