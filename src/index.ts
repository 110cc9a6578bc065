// Kotoba's public API.
export * from './errors.js';
export * from './hub/index.js';
