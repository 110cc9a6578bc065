// explorer/: look inside a model — tokens, attention, hidden states, predictions — as data
// (inspectModel), over HTTP (explorerRoutes, a fastify plugin) and as a web page.
export type * from './types.js';
export { inspectModel, type InspectOptions } from './inspect.js';
export { generateStep, type StepOptions } from './step.js';
export { describeModel } from './summary.js';
export { loadModel, type LoadedModel } from './loader.js';
export { selectAttention, type AttentionChoice, type AttentionView } from './attention-view.js';
export { terminalHeatmap } from './render-terminal.js';
export { attentionSvg } from './render-svg.js';
export { attentionPng } from './render-png.js';
// registerExplorer (routes.ts) is left out here: it imports fastify; Kotoba's server imports it directly.
