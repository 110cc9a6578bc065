// hub/: files and the Hub. Turns a folder or Hub id into a config, a state dict and tokenizer
// files, and writes them back in Hugging Face's layout.
export { HubError } from './errors.js';
export { HubConnectionError } from './http.js';
export type { SafetensorsDType, FloatStorageDType } from './dtypes.js';
export { MAX_HEADER_BYTES, type SafetensorsHeader, type SafetensorsTensorInfo } from './safetensors-header.js';
export { readSafetensors, openSafetensors, SafetensorsFile, type LoadedTensor, type SafetensorsContents } from './safetensors.js';
export { writeSafetensors, type TensorToWrite, type WriteSafetensorsOptions } from './safetensors-write.js';
export { readJsonObject } from './json.js';
export {
  CONFIG_FILE,
  GENERATION_CONFIG_FILE,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
  TOKENIZER_FILES,
  listModelFolder,
  readConfig,
  readStateDict,
  type LoadedStateDict,
  type ModelFolderListing,
} from './folder.js';
export { savePretrained, type SavePretrainedInput, type SaveFileContents } from './save.js';
export { compareStateDict, assertShapesMatch, formatLoadReport, type LoadReport, type ShapeMismatch, type CompareOptions } from './state-dict-report.js';
export { renameLegacyKeys, alignBasePrefix } from './state-dict-keys.js';
export { defaultHubCacheDir } from './cache.js';
export { hubSettings, type HubOptions } from './settings.js';
export { resolveModelPath, hubDownload, isHubRepoId, type ResolveOptions } from './hub.js';
export { loadPretrained, readModelFolder, type LoadPretrainedOptions, type PretrainedFiles } from './pretrained.js';
