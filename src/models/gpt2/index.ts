export { GPT2Config } from './configuration-gpt2.js';
export {
  GPT2Model, GPT2LMHeadModel, GPT2PreTrainedModel, GPT2Attention, GPT2MLP, GPT2Block,
  type GPT2Inputs, type GPT2LMInputs, type GPT2ModelOptions,
} from './modeling-gpt2.js';
