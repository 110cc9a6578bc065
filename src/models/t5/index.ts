export { T5Config } from './configuration-t5.js';
export {
  T5Model, T5ForConditionalGeneration, T5EncoderModel, T5PreTrainedModel, T5Attention, T5Block, T5Stack,
  T5LayerSelfAttention, T5LayerCrossAttention, T5LayerFF, shiftRight,
  type T5Inputs, type T5LMInputs, type T5StackInputs, type T5StackOutput,
} from './modeling-t5.js';
