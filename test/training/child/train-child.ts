/**
 * A tiny masked-LM training run used by kill.test.ts as a child process:
 *   node train-child.js <outputDir> <maxSteps> [--resume]
 * It saves a checkpoint after every step so that kills land in the middle of writes.
 */
import { MaskedLMCollator, Trainer, type Example } from '../../../src/index.js';
import { TinyLM } from '../helpers.js';

const [outputDir, maxSteps, flag] = process.argv.slice(2);
const blocks: Example[] = Array.from({ length: 48 }, (_, i) => ({ inputIds: [2, ...Array.from({ length: 12 }, (_, j) => 5 + ((i * 5 + j * 3) % 24)), 3] }));
const collator = new MaskedLMCollator({ padTokenId: 0, maskTokenId: 4, vocabSize: 29, specialIds: [0, 1, 2, 3, 4] });
const trainer = new Trainer({
  model: new TinyLM(29, false),
  trainDataset: blocks,
  collator,
  args: {
    outputDir, maxSteps: Number(maxSteps), batchSize: 4, gradientAccumulationSteps: 2, learningRate: 0.02, warmupSteps: 3,
    loggingSteps: 1, saveSteps: 1, saveTotalLimit: 3, seed: 11, progress: 'lines',
  },
});
const result = await trainer.train({ resumeFromCheckpoint: flag === '--resume' });
process.stdout.write(`${result.interrupted ? 'interrupted' : 'finished'} at step ${result.globalStep}\n`);
