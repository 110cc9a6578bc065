export { Optimizer, type ParamGroup, type ParamGroupSpec, type OptimizerStateDict } from './optimizer.js';
export { AdamW, Adam, type AdamOptions } from './adam.js';
export { SGD, type SGDOptions } from './sgd.js';
export { LambdaLR, getLinearScheduleWithWarmup, getCosineScheduleWithWarmup, getConstantScheduleWithWarmup, getConstantSchedule } from './schedule.js';
export { clipGradNorm } from './clip.js';
