// Internals some tests need beside the public API.
export * from '../../src/index.js';
export { record } from '../../src/tensor/autograd.js';
