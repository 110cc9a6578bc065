#!/usr/bin/env node
/** The `kotoba` command line. */
import { Command, CommanderError } from 'commander';
import { KotobaError } from '../errors.js';
import { runDemo } from './demo.js';
import { registerExportCommand } from './export.js';
import { registerExploreCommand } from './explore.js';
import { registerInspectCommand } from './inspect.js';
import { registerFinetuneCommand } from './finetune.js';
import { registerPretrainCommand } from './pretrain.js';
import { registerServeCommand } from './serve.js';
import { registerTrainTokenizerCommand } from './train-tokenizer.js';
import { registerGenerateCommand } from './generate.js';
import { registerTokenizeCommand } from './tokenize.js';
import { registerModelsCommand } from './models.js';
import { registerBenchCommand } from './bench.js';
import { registerRunCommand } from './run.js';
import { registerStartCommand } from './start.js';
import { registerEvalCommand } from './eval.js';

const program = new Command();
program
  .name('kotoba')
  .description('Transformer language models in TypeScript: tokenize, pretrain, fine-tune, generate, serve, look inside.')
  .option('--debug', 'print stack traces on errors')
  // usage errors are thrown, not printed and exited on, so that the catch below prints them as one line
  .exitOverride()
  .configureOutput({ outputError: () => {} });

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
registerGenerateCommand(program);
registerTokenizeCommand(program);
registerModelsCommand(program);
registerBenchCommand(program);
registerRunCommand(program);
registerStartCommand(program);
registerEvalCommand(program);

/**
 * Every error ends the program with one line on stderr: "kotoba: <message>". A KotobaError or a
 * usage error (commander's) is the user's to fix, so its message is all; any other error is
 * unexpected, so a hint to rerun with --debug follows, which prints the stack trace.
 */
const debug = process.argv.includes('--debug');

function reportError(err: unknown): never {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0
    if (err.exitCode === 0 || err.code === 'commander.helpDisplayed' || err.code === 'commander.version') process.exit(err.exitCode);
    if (err.code === 'commander.help') process.exit(err.exitCode); // `kotoba` alone: the help went to stderr
    const command = process.argv.slice(2).find((a) => program.commands.some((c) => c.name() === a));
    console.error(`kotoba: ${err.message.replace(/^error: /, '')} (see kotoba ${command ? `${command} ` : ''}--help)`);
  } else if (err instanceof KotobaError) {
    console.error(debug ? err : `kotoba: ${err.message}`);
  } else {
    const message = err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err);
    console.error(debug ? err : `kotoba: ${message} (an unexpected error; rerun with --debug for the stack trace)`);
  }
  process.exit(1);
}

// the reader of our output went away (`kotoba tokenize ... | head`): stop quietly, as programs do on SIGPIPE
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  reportError(err);
});
process.on('uncaughtException', reportError);
process.on('unhandledRejection', reportError);
program.parseAsync(process.argv).catch(reportError);
