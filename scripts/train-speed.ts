/**
 * Tokens per second of one training step (forward, backward, AdamW) of a GPT-2-small-shaped model
 * (12 layers, 768 wide, 12 heads, vocabulary 50257) on a batch of 4 x 128 tokens, as a real-run
 * number for docs/training.md (not a test). Threads: KOTOBA_NUM_THREADS (default: all cores).
 *
 *   node dist/scripts/train-speed.js [steps=3] [layers=12]
 */
import { AdamW, GPT2Config, GPT2LMHeadModel, Generator, Tensor, backendInfo, manualSeed } from '../src/index.js';

const steps = Number(process.argv[2] ?? 3);
const layers = Number(process.argv[3] ?? 12);
const [batch, length] = [4, 128];
manualSeed(0);
const model = new GPT2LMHeadModel(new GPT2Config({ n_layer: layers, n_embd: 768, n_head: 12, vocab_size: 50257, n_positions: 1024 }));
model.train();
const optimizer = new AdamW(model.parameters(), { lr: 1e-4 });
const g = new Generator(1);
const ids = Tensor.fromArray(Int32Array.from({ length: batch * length }, () => g.randint(0, 50257)), [batch, length]);
const times: number[] = [];
for (let s = 0; s <= steps; s++) {
  const t0 = performance.now();
  optimizer.zeroGrad();
  const loss = model.forward({ inputIds: ids, labels: ids }).loss!;
  loss.backward();
  optimizer.step();
  const seconds = (performance.now() - t0) / 1000;
  if (s > 0) times.push(seconds); // the first step warms up
  console.log(`step ${s}${s === 0 ? ' (warm-up)' : ''}: loss ${loss.item().toFixed(4)}, ${seconds.toFixed(2)} s, ${((batch * length) / seconds).toFixed(1)} tokens/s`);
}
const mean = times.reduce((a, b) => a + b, 0) / times.length;
console.log(JSON.stringify({ backend: backendInfo(), layers, batch, length, meanStepSeconds: mean, tokensPerSecond: (batch * length) / mean }));
