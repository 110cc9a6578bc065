// The shipped models' names and folders live with the rest of model resolution, in hub/.
export { SHIPPED_MODELS, shippedModelsDir, shippedModelPath, resolveModelName, type ShippedModelName } from '../hub/shipped.js';
