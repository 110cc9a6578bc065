#!/usr/bin/env node
/** The `kotoba` command line. */
import { Command } from 'commander';
import { KotobaError } from '../errors.js';
import { runDemo } from './demo.js';
import { registerExportCommand } from './export.js';
import { registerExploreCommand } from './explore.js';
import { registerInspectCommand } from './inspect.js';
import { registerFinetuneCommand } from './finetune.js';
import { registerPretrainCommand } from './pretrain.js';
import { registerServeCommand } from './serve.js';
import { registerTrainTokenizerCommand } from './train-tokenizer.js';

const program = new Command();
program
  .name('kotoba')
  .description('Transformer language models in TypeScript: tokenize, pretrain, fine-tune, generate, serve, look inside.')
  .option('--debug', 'print stack traces on errors')
  .showHelpAfterError();

program
  .command('demo')
  .description('train a small network end to end and print its loss falling')
  .action(() => {
    runDemo();
  });

registerExportCommand(program);
registerInspectCommand(program);
registerExploreCommand(program);
registerPretrainCommand(program);
registerFinetuneCommand(program);
registerServeCommand(program);
registerTrainTokenizerCommand(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof KotobaError && !program.opts().debug) {
    console.error(`kotoba: ${err.message}`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
