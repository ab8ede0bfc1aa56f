/**
 * `metatune report <study> --out FILE.html` and `metatune report --bench DIR`: declare the options,
 * validate them into a {@link ReportContext}, hand it to the action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { runReport, type ReportContext } from '../actions/report.action.ts';
import { parseStoreOptions } from './db-options.command.ts';
import { parseIntOption, SEED_RANGE } from '../options.ts';
import { STORAGE_OPTION_HELP, registerDashboardCommand } from './dashboard.command.ts';

interface ReportFlags {
  out?: string;
  bench?: string;
  db?: string;
  storage?: string;
  neighbors?: string;
  seed?: string;
}

/**
 * Registers `report` and `dashboard` (one line in `index.ts`).
 * @param program - the root program
 */
export function registerReportCommands(program: Command): void {
  registerReportCommand(program);
  registerDashboardCommand(program);
}

/**
 * Registers `report`.
 * @param program - the root program
 */
export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description("Write a study's report as one self-contained HTML file (optimisation history, parallel coordinates, hyperparameter importance, intermediate values, learning curves, the task among the stored tasks, the best configuration), or a benchmark's with --bench.")
    .argument('[study]', 'the study to report on (metatune search prints its name; the dashboard lists them)')
    .option('--out <file>', 'the HTML file to write (default: <study>.html, or bench-<space>.html)')
    .option('--bench <dir>', "a benchmark's folder (metatune bench --out) or its bench.json: regret and rank curves")
    .option('--neighbors <k>', 'nearest tasks to name', '5')
    .option('--seed <n>', 'seed of the importance forest', '0')
    .option('--db <path>', 'read this one SQLite database (default: the user database over the shipped one)')
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .action(async (study: string | undefined, flags: ReportFlags) => runReport(parseReportFlags(study, flags)));
}

/**
 * @returns the typed context
 * @throws UsageError on a bad option or a missing/extra study
 */
export function parseReportFlags(study: string | undefined, flags: ReportFlags): ReportContext {
  if (study !== undefined && flags.bench !== undefined) throw new UsageError('give a study or --bench DIR, not both', { column: '--bench' });
  if (study === undefined && flags.bench === undefined) throw new UsageError('name a study (metatune report STUDY --out FILE.html) or a benchmark (--bench DIR)', { column: 'study' });
  if (study !== undefined && study.trim() === '') throw new UsageError('the study name is empty', { column: 'study' });
  if (flags.out !== undefined && flags.out.trim() === '') throw new UsageError('--out needs a file name', { column: '--out' });
  if (flags.bench !== undefined && flags.bench.trim() === '') throw new UsageError('--bench needs a folder', { column: '--bench' });
  const seed = parseIntOption(flags.seed, '--seed', SEED_RANGE, 0);
  const neighbors = parseIntOption(flags.neighbors, '--neighbors', { min: 1, max: 1000 }, 5);
  return {
    study, bench: flags.bench, out: flags.out,
    db: parseStoreOptions(flags),
    neighbors, seed,
  };
}
