/** GPT2Config: the fields of a GPT-2 config.json, with transformers' defaults (gpt2 small's shape). */
import { FileFormatError } from '../../errors.js';
import { field, PretrainedConfig, type ConfigDict } from '../configuration.js';

export class GPT2Config extends PretrainedConfig {
  static override readonly modelType = 'gpt2';
  static override readonly fields = [
    field('vocab_size', 'vocabSize', 50257),
    field('n_positions', 'nPositions', 1024),
    field('n_embd', 'nEmbd', 768),
    field('n_layer', 'nLayer', 12),
    field('n_head', 'nHead', 12),
    field('n_inner', 'nInner', null),
    field('activation_function', 'activationFunction', 'gelu_new'),
    field('resid_pdrop', 'residPdrop', 0.1),
    field('embd_pdrop', 'embdPdrop', 0.1),
    field('attn_pdrop', 'attnPdrop', 0.1),
    field('layer_norm_epsilon', 'layerNormEpsilon', 1e-5),
    field('initializer_range', 'initializerRange', 0.02),
    field('summary_type', 'summaryType', 'cls_index'),
    field('summary_use_proj', 'summaryUseProj', true),
    field('summary_activation', 'summaryActivation', null),
    field('summary_proj_to_labels', 'summaryProjToLabels', true),
    field('summary_first_dropout', 'summaryFirstDropout', 0.1),
    field('scale_attn_weights', 'scaleAttnWeights', true),
    field('use_cache', 'useCache', true),
    field('scale_attn_by_inverse_layer_idx', 'scaleAttnByInverseLayerIdx', false),
    field('reorder_and_upcast_attn', 'reorderAndUpcastAttn', false),
  ];

  declare vocabSize: number;
  declare nPositions: number;
  declare nEmbd: number;
  declare nLayer: number;
  declare nHead: number;
  /** Feed-forward width; null means 4 * nEmbd. */
  declare nInner: number | null;
  declare activationFunction: string;
  declare residPdrop: number;
  declare embdPdrop: number;
  declare attnPdrop: number;
  declare layerNormEpsilon: number;
  declare initializerRange: number;
  declare summaryType: string;
  declare summaryUseProj: boolean;
  declare summaryActivation: string | null;
  declare summaryProjToLabels: boolean;
  declare summaryFirstDropout: number;
  declare scaleAttnWeights: boolean;
  declare useCache: boolean;
  declare scaleAttnByInverseLayerIdx: boolean;
  declare reorderAndUpcastAttn: boolean;

  constructor(dict: ConfigDict = {}) {
    super({ bos_token_id: 50256, eos_token_id: 50256, ...dict });
  }

  /** transformers' attribute_map: hidden_size is n_embd, and so on. */
  get hiddenSize(): number { return this.nEmbd; }
  get numHiddenLayers(): number { return this.nLayer; }
  get numAttentionHeads(): number { return this.nHead; }
  get maxPositionEmbeddings(): number { return this.nPositions; }

  override validate(source = 'config.json'): void {
    super.validate(source);
    if (this.nEmbd % this.nHead !== 0) throw new FileFormatError(`${source}: n_embd ${this.nEmbd} is not a multiple of n_head ${this.nHead}`);
  }
}
