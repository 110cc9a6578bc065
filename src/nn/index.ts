export { Module, ModuleList, Sequential, type StateDict, type LoadResult } from './module.js';
export { Parameter } from './parameter.js';
export { Linear, Embedding, LayerNorm, RMSNorm, Dropout, ReLU, GELU, SiLU, Tanh, type InitOptions } from './layers.js';
export { CrossEntropyLoss, MSELoss, BCEWithLogitsLoss } from './loss.js';
export * as init from './init.js';
