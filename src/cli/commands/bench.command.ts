/**
 * `metatune bench`: declare the options, validate them into a {@link BenchContext}, hand it to the
 * action.
 */
import type { Command } from 'commander';
import { UsageError } from '../../errors.ts';
import { BENCH_METHODS, type BenchMethod } from '../../bench/methods.ts';
import { runBench, type BenchContext } from '../actions/bench.action.ts';
import { DB_OPTION_HELP, parseStoreOptions, STORAGE_OPTION_HELP } from './db-options.command.ts';
import { ENSEMBLE_RANGE, FOLDS_RANGE, parseSpaceName, STEPS_RANGE } from './meta-train.command.ts';
import { parseIntListOption, parseIntOption, SEED_RANGE } from '../options.ts';

/** Ranges of bench's own numeric options. */
export const BENCH_SEEDS_RANGE = { min: 1, max: 100 };
export const BENCH_BUDGET_RANGE = { min: 1, max: 1000 };

interface BenchFlags {
  db?: string;
  storage?: string;
  space?: string;
  seeds?: string;
  folds?: string;
  methods?: string;
  budgets?: string;
  out?: string;
  steps?: string;
  ensemble?: string;
  seed?: string;
  report?: string;
  json?: boolean;
}

/**
 * Registers `bench`.
 * @param program - the root program
 */
export function registerBenchCommand(program: Command): void {
  program
    .command('bench')
    .description("Leave-one-task-out benchmark (HPO-B protocol) of default, random, TPE, knn, portfolio, learned and learned+BO on the store's tasks: normalised regret after 1…50 evaluations and average ranks.")
    .option('--space <name>', 'search space', 'mlp')
    .option('--seeds <n>', 'seeds per task and method', '5')
    .option('--folds <n>', 'groups of held-out tasks; models are fitted once per group (≥ tasks: exact leave-one-task-out)', '10')
    .option('--methods <list>', `comma-separated subset of ${BENCH_METHODS.join(',')}`)
    .option('--budgets <list>', 'comma-separated numbers of evaluations', '1,3,5,10,25,50')
    .option('--out <dir>', 'write bench.md, bench.json and regret.svg into this folder')
    .option('--steps <n>', 'learned: episodic training steps per ensemble member (default: 15 passes over the evaluations, at least 500)')
    .option('--ensemble <n>', 'learned: ensemble members', '3')
    .option('--seed <n>', 'base seed', '0')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--storage <url>', STORAGE_OPTION_HELP)
    .option('--report <bench.json>', 'render the tables (and, with --out, the files) again from a saved bench.json instead of running the benchmark')
    .option('--json', 'print the result as JSON instead of markdown')
    .action(async (flags: BenchFlags) => runBench(parseBenchFlags(flags)));
}

/**
 * @returns the typed context
 * @throws UsageError on a bad option
 */
export function parseBenchFlags(flags: BenchFlags): BenchContext {
  return {
    db: parseStoreOptions(flags),
    space: parseSpaceName(flags.space ?? 'mlp', '--space'),
    seeds: parseIntOption(flags.seeds, '--seeds', BENCH_SEEDS_RANGE, 5),
    folds: parseIntOption(flags.folds, '--folds', FOLDS_RANGE, 10),
    methods: flags.methods === undefined ? [...BENCH_METHODS] : parseMethods(flags.methods),
    budgets: parseBudgets(flags.budgets ?? '1,3,5,10,25,50'),
    out: flags.out,
    steps: parseIntOption(flags.steps, '--steps', STEPS_RANGE),
    ensemble: parseIntOption(flags.ensemble, '--ensemble', ENSEMBLE_RANGE, 3),
    seed: parseIntOption(flags.seed, '--seed', SEED_RANGE, 0),
    report: flags.report,
    json: flags.json === true,
  };
}

function parseMethods(value: string): BenchMethod[] {
  const methods = value.split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => {
    const method = BENCH_METHODS.find((m) => m === s);
    if (method === undefined) throw new UsageError(`unknown method '${s}' in --methods; expected some of ${BENCH_METHODS.join(', ')}`, { column: '--methods' });
    return method;
  });
  if (methods.length === 0) throw new UsageError('--methods names no method', { column: '--methods' });
  return [...new Set(methods)];
}

function parseBudgets(value: string): number[] {
  const budgets = parseIntListOption(value, '--budgets', BENCH_BUDGET_RANGE);
  return [...new Set(budgets)].sort((a, b) => a - b);
}
