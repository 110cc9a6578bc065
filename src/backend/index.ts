/**
 * Chooses the active kernel backend: the native kernels where they load, the TypeScript
 * reference kernels otherwise (with one warning giving the reason). KOTOBA_BACKEND=reference
 * forces the reference kernels.
 */
import { OptionError } from '../errors.js';
import { loadNativeBackend } from './native.js';
import { referenceBackend } from './reference.js';
import type { Backend } from './types.js';

export type { Backend } from './types.js';
export * from './types.js';
export { referenceBackend } from './reference.js';
export { setNumThreads } from './native.js';

let active: Backend | null = null;
let nativeCache: { backend: Backend } | { error: string } | null = null;

function native(): { backend: Backend } | { error: string } {
  if (!nativeCache) nativeCache = loadNativeBackend();
  return nativeCache;
}

function chooseDefault(): Backend {
  if (process.env.KOTOBA_BACKEND === 'reference') return referenceBackend;
  const n = native();
  if ('backend' in n) return n.backend;
  if (!process.env.KOTOBA_QUIET_NATIVE) {
    process.emitWarning(`Kotoba runs on its TypeScript kernels: ${n.error}`, { code: 'KOTOBA_NO_NATIVE' });
  }
  return referenceBackend;
}

/** The backend every op uses. */
export function getBackend(): Backend {
  if (!active) active = chooseDefault();
  return active;
}

/** Switches backend: 'reference' (TypeScript) or 'native'. Throws if native is unavailable. */
export function setBackend(name: 'reference' | 'native' | Backend): Backend {
  if (typeof name === 'object') active = name;
  else if (name === 'reference') active = referenceBackend;
  else if (name === 'native') {
    const n = native();
    if (!('backend' in n)) throw new OptionError(`setBackend('native'): the native kernels are unavailable: ${n.error}`);
    active = n.backend;
  } else throw new OptionError(`setBackend: unknown backend '${String(name)}'; use 'reference' or 'native'`);
  return active;
}

/** The native backend if it loaded, else null (for tests comparing the two). */
export function nativeBackend(): Backend | null {
  const n = native();
  return 'backend' in n ? n.backend : null;
}

/** Which backend is active, its instruction set and thread count, and why native is off if it is. */
export function backendInfo(): { name: string; isa: string; threads: number; nativeError?: string } {
  const b = getBackend();
  const n = native();
  return { name: b.name, isa: b.isa, threads: b.threads, ...('error' in n ? { nativeError: n.error } : {}) };
}
