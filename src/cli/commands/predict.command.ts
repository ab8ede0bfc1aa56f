/**
 * `metatune predict <dir> <file>`: declares the options, validates them into a
 * {@link PredictContext} and hands it to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { runPredict, type PredictContext } from '../actions/predict.action.ts';

/** Raw option values as commander gives them. */
interface PredictFlags {
  out?: string;
  json?: boolean;
}

/**
 * Registers the `predict` command.
 * @param program - the root program
 */
export function registerPredictCommand(program: Command): void {
  program
    .command('predict')
    .description('Predict with a model saved by --save-model on the rows of a dataset (ARFF or CSV; columns matched by name, an extra target column is compared with the predictions).')
    .argument('<dir>', 'a folder written by search/evaluate --save-model (model.json, weights.bin, preprocessing.json)')
    .argument('<file>', 'an .arff or .csv file with the columns the model reads')
    .option('--out <file.csv>', 'write the predictions as CSV to this file instead of printing them')
    .option('--json', 'print the predictions as JSON')
    .action(async (dir: string, file: string, flags: PredictFlags) => {
      await runPredict(parsePredictFlags(dir, file, flags));
    });
}

/**
 * Validates the flags of `metatune predict`.
 * @param dir - the model folder argument
 * @param file - the dataset argument
 * @param flags - commander's option values
 * @returns the typed context of the action
 * @throws UsageError on an empty --out
 */
export function parsePredictFlags(dir: string, file: string, flags: PredictFlags): PredictContext {
  if (flags.out !== undefined && flags.out.trim() === '') throw new UsageError('needs a file name', { column: '--out' });
  return { dir, file, out: flags.out, json: flags.json === true };
}
