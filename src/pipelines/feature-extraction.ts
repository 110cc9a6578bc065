/**
 * feature-extraction: the base model's last hidden states, as transformers'
 * FeatureExtractionPipeline returns them: nested arrays [1][tokens][hidden] per text (special
 * tokens included), or with returnTensors a float32 Tensor [1, tokens, hidden]. A list of texts
 * gives one such result per text.
 *
 * BERT and GPT-2 run their base model (BertModel, GPT2Model). For T5 the encoder's states are
 * returned (T5EncoderModel); transformers' AutoModel would need decoder inputs there.
 */
import { noGrad, type Tensor } from '../tensor/index.js';
import { checkTexts, contextLength, encodeText, Pipeline } from './base.js';

export interface FeatureExtractionOptions {
  /** Return a Tensor [1, tokens, hidden] instead of nested arrays. */
  returnTensors?: boolean;
}

export type Features = number[][][];

export interface FeatureExtractionPipeline {
  (inputs: string, options?: FeatureExtractionOptions & { returnTensors?: false }): Promise<Features>;
  (inputs: string[], options?: FeatureExtractionOptions & { returnTensors?: false }): Promise<Features[]>;
  (inputs: string, options: FeatureExtractionOptions & { returnTensors: true }): Promise<Tensor>;
  (inputs: string[], options: FeatureExtractionOptions & { returnTensors: true }): Promise<Tensor[]>;
}

export class FeatureExtractionPipeline extends Pipeline<FeatureExtractionOptions> {
  async run(inputs: string | string[], options?: FeatureExtractionOptions): Promise<Features | Features[] | Tensor | Tensor[]> {
    const opts = this.merged(options);
    const { texts, batched } = checkTexts(this.task, inputs);
    const results = texts.map((text) => {
      const enc = encodeText(this.tokenizer, text, null, contextLength(this.model, this.tokenizer));
      const inputs = this.model.config.modelType === 'bert' ? { inputIds: [enc.ids], tokenTypeIds: [enc.typeIds] } : { inputIds: [enc.ids] };
      const hidden = noGrad(() => this.model.forward(inputs).lastHiddenState as Tensor);
      return opts.returnTensors ? hidden : (hidden.toArray() as Features);
    });
    return (batched ? results : results[0]) as Features | Features[] | Tensor | Tensor[];
  }
}
