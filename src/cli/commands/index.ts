import type { Command } from 'commander';
import { registerDataCommand } from './data.command.ts';
import { registerDbCommand } from './db.command.ts';
import { registerMetaTrainCommand } from './meta-train.command.ts';
import { registerRecommendCommand } from './recommend.command.ts';
import { registerBenchCommand } from './bench.command.ts';
import { registerEvaluateCommand } from './evaluate.command.ts';
import { registerMetaFeaturesCommand } from './metafeatures.command.ts';
import { registerSearchCommand } from './search.command.ts';
import { registerReportCommands } from './report.command.ts';
import { registerPredictCommand } from './predict.command.ts';

/**
 * Registers every command file on the program. Each command lives in its own
 * `*.command.ts` that declares options and validates them, then calls its action.
 * @param program - the root commander program
 */
export function registerCommands(program: Command): void {
  registerDataCommand(program);
  registerDbCommand(program);
  registerMetaTrainCommand(program);
  registerRecommendCommand(program);
  registerBenchCommand(program);
  registerEvaluateCommand(program);
  registerMetaFeaturesCommand(program);
  registerSearchCommand(program);
  registerReportCommands(program);
  registerPredictCommand(program);
  void program;
}
