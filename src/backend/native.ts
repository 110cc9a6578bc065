/**
 * Loader for the native kernels (native/, built by node-gyp at `npm ci`).
 * Returns the native backend, or the reason it is unavailable.
 */
import type { Backend } from './types.js';

export function loadNativeBackend(): { backend: Backend } | { error: string } {
  return { error: 'the native addon is not part of this build yet' };
}
