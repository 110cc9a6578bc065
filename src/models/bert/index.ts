export { BertConfig } from './configuration-bert.js';
export {
  BertModel, BertPreTrainedModel, BertEmbeddings, BertSelfAttention, BertAttention, BertResidualOutput, BertIntermediate,
  BertLayer, BertEncoder, BertPooler, type BertInputs, type BertModelOptions,
} from './modeling-bert.js';
export {
  BertForSequenceClassification, BertForTokenClassification, BertForQuestionAnswering, BertForMaskedLM, BertForPreTraining,
  BertLMPredictionHead, BertOnlyMLMHead, BertPreTrainingHeads, BertPredictionHeadTransform,
  type BertLabelsInputs, type QuestionAnsweringInputs, type PreTrainingInputs, type HeadOptions,
} from './heads-bert.js';
