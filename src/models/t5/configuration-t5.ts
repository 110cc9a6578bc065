/** T5Config: the fields of a T5 config.json, with transformers' defaults (t5-small's shape). */
import { FileFormatError } from '../../errors.js';
import { field, PretrainedConfig, type ConfigDict } from '../configuration.js';

export class T5Config extends PretrainedConfig {
  static override readonly modelType = 't5';
  static override readonly fields = [
    field('vocab_size', 'vocabSize', 32128),
    field('d_model', 'dModel', 512),
    field('d_kv', 'dKv', 64),
    field('d_ff', 'dFf', 2048),
    field('num_layers', 'numLayers', 6),
    field('num_decoder_layers', 'numDecoderLayers', null),
    field('num_heads', 'numHeads', 8),
    field('relative_attention_num_buckets', 'relativeAttentionNumBuckets', 32),
    field('relative_attention_max_distance', 'relativeAttentionMaxDistance', 128),
    field('dropout_rate', 'dropoutRate', 0.1),
    field('classifier_dropout', 'classifierDropout', 0.0),
    field('layer_norm_epsilon', 'layerNormEpsilon', 1e-6),
    field('initializer_factor', 'initializerFactor', 1.0),
    field('feed_forward_proj', 'feedForwardProj', 'relu'),
    field('use_cache', 'useCache', true),
    // derived from feed_forward_proj (transformers recomputes them, and writes them out)
    field('dense_act_fn', 'denseActFn', 'relu'),
    field('is_gated_act', 'isGatedAct', false),
  ];

  declare vocabSize: number;
  declare dModel: number;
  /** Size of each head's keys and values (numHeads * dKv may differ from dModel). */
  declare dKv: number;
  declare dFf: number;
  declare numLayers: number;
  /** Decoder depth; null means the same as numLayers. */
  declare numDecoderLayers: number | null;
  declare numHeads: number;
  declare relativeAttentionNumBuckets: number;
  declare relativeAttentionMaxDistance: number;
  declare dropoutRate: number;
  declare classifierDropout: number;
  declare layerNormEpsilon: number;
  declare initializerFactor: number;
  declare feedForwardProj: string;
  declare useCache: boolean;
  declare denseActFn: string;
  declare isGatedAct: boolean;

  constructor(dict: ConfigDict = {}) {
    super({ pad_token_id: 0, eos_token_id: 1, is_encoder_decoder: true, ...dict });
    if (this.numDecoderLayers === null) this.numDecoderLayers = this.numLayers;
    // "relu", "gelu", "gated-gelu", ...: as T5Config.__init__ derives the activation and gating
    const parts = String(this.feedForwardProj).split('-');
    this.denseActFn = parts[parts.length - 1];
    this.isGatedAct = parts[0] === 'gated';
    if (this.feedForwardProj === 'gated-gelu') this.denseActFn = 'gelu_new';
  }

  get hiddenSize(): number { return this.dModel; }
  get numAttentionHeads(): number { return this.numHeads; }
  get numHiddenLayers(): number { return this.numLayers; }

  /** The decoder's first input id (transformers: decoder_start_token_id, which T5 sets to the pad id 0). */
  get decoderStartId(): number {
    return this.decoderStartTokenId ?? this.padTokenId ?? 0;
  }

  override validate(source = 'config.json'): void {
    super.validate(source);
    const parts = String(this.feedForwardProj).split('-');
    if ((parts.length > 1 && parts[0] !== 'gated') || parts.length > 2) {
      throw new FileFormatError(`${source}: feed_forward_proj "${this.feedForwardProj}" is not valid; use "{ACT_FN}" or "gated-{ACT_FN}", e.g. "relu" or "gated-gelu"`);
    }
  }
}
