// Kotoba's public API.
export * from './errors.js';
