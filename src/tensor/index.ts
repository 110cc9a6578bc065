export { Tensor, Storage, type TensorLike, type DType } from './tensor.js';
export { noGrad, enableGrad, isGradEnabled } from './autograd.js';
export { recycling } from './recycle.js';
export { Generator, manualSeed, defaultGenerator } from './random.js';
export { gradcheck, type GradcheckOptions, type GradcheckResult } from './gradcheck.js';
export * from './ops/index.js';
