// Kotoba's public API.
export * from './errors.js';
export * from './tensor/index.js';
export * as nn from './nn/index.js';
export { Module, ModuleList, Sequential, Parameter, Linear, Embedding, LayerNorm, RMSNorm, Dropout, CrossEntropyLoss, MSELoss, BCEWithLogitsLoss } from './nn/index.js';
export * from './optim/index.js';
export { getBackend, setBackend, setNumThreads, backendInfo, backendInfo as backend } from './backend/index.js';
export * from './hub/index.js';
export * from './tokenizers/index.js';
export * from './models/index.js';
export * from './generation/index.js';
export * from './training/index.js';
export { inspectModel, generateStep, type Inspection, type InspectOptions, type StepOptions, type GenerationStep } from './explorer/index.js';
export { createServer, startServer, type ServerOptions, type StartOptions, type KotobaServer } from './server/index.js';
export * from './pipelines/index.js';
