/** BertConfig: the fields of a BERT config.json, with transformers' defaults (bert-base-uncased's shape). */
import { FileFormatError } from '../../errors.js';
import { field, PretrainedConfig, type ConfigDict } from '../configuration.js';

export class BertConfig extends PretrainedConfig {
  static override readonly modelType = 'bert';
  static override readonly fields = [
    field('vocab_size', 'vocabSize', 30522),
    field('hidden_size', 'hiddenSize', 768),
    field('num_hidden_layers', 'numHiddenLayers', 12),
    field('num_attention_heads', 'numAttentionHeads', 12),
    field('intermediate_size', 'intermediateSize', 3072),
    field('hidden_act', 'hiddenAct', 'gelu'),
    field('hidden_dropout_prob', 'hiddenDropoutProb', 0.1),
    field('attention_probs_dropout_prob', 'attentionProbsDropoutProb', 0.1),
    field('max_position_embeddings', 'maxPositionEmbeddings', 512),
    field('type_vocab_size', 'typeVocabSize', 2),
    field('initializer_range', 'initializerRange', 0.02),
    field('layer_norm_eps', 'layerNormEps', 1e-12),
    field('position_embedding_type', 'positionEmbeddingType', 'absolute'),
    field('use_cache', 'useCache', true),
    field('classifier_dropout', 'classifierDropout', null),
  ];

  declare vocabSize: number;
  declare hiddenSize: number;
  declare numHiddenLayers: number;
  declare numAttentionHeads: number;
  declare intermediateSize: number;
  declare hiddenAct: string;
  declare hiddenDropoutProb: number;
  declare attentionProbsDropoutProb: number;
  declare maxPositionEmbeddings: number;
  declare typeVocabSize: number;
  declare initializerRange: number;
  declare layerNormEps: number;
  declare positionEmbeddingType: string;
  declare useCache: boolean;
  declare classifierDropout: number | null;

  constructor(dict: ConfigDict = {}) {
    super({ pad_token_id: 0, ...dict });
  }

  override validate(source = 'config.json'): void {
    super.validate(source);
    if (this.hiddenSize % this.numAttentionHeads !== 0) {
      throw new FileFormatError(`${source}: hidden_size ${this.hiddenSize} is not a multiple of num_attention_heads ${this.numAttentionHeads}`);
    }
    if (this.positionEmbeddingType !== 'absolute') {
      throw new FileFormatError(`${source}: position_embedding_type "${this.positionEmbeddingType}" is not supported (Kotoba implements "absolute")`);
    }
  }
}
