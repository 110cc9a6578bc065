// explorer/: look inside a model — tokens, attention, hidden states, predictions — as data
// (inspectModel), over HTTP (explorerRoutes, a fastify plugin) and as a web page.
export type * from './types.js';
export { inspectModel, type InspectOptions } from './inspect.js';
export { generateStep, type StepOptions } from './step.js';
export { describeModel } from './summary.js';
