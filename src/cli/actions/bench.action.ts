/** `metatune bench`: the leave-one-task-out benchmark, printed and written as markdown, JSON and SVG. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runBenchmark, type BenchResult } from '../../bench/loto.ts';
import { readBenchResult } from '../../bench/read-result.ts';
import type { BenchMethod } from '../../bench/methods.ts';
import { regretPlotSvg } from '../../bench/plot.ts';
import { benchJson, benchMarkdown } from '../../bench/report.ts';
import { prepareTensorBackend } from '../../metamodel/backend.ts';
import { loadTrainingSet } from '../../metamodel/training-set.ts';
import { escapeText, ProgressBar } from '../format.ts';
import { withStore } from './db.action.ts';

export interface BenchContext {
  readonly db?: string;
  readonly space: string;
  readonly seeds: number;
  readonly folds: number;
  readonly methods: readonly BenchMethod[];
  readonly budgets: readonly number[];
  readonly out?: string;
  /** Undefined: the learned model's default (`defaultSteps`). */
  readonly steps: number | undefined;
  readonly ensemble: number;
  readonly seed: number;
  /** A saved bench.json to render again instead of running. */
  readonly report?: string;
  readonly json: boolean;
}

/**
 * Runs the benchmark on the store's tasks of one space (or reads a saved result with `report`);
 * prints markdown (or JSON) and, with `out`, writes `bench.md`, `bench.json` and `regret.svg` there.
 * @throws StoreError when the space has no usable task; InputError for a malformed saved result
 */
export async function runBench(context: BenchContext): Promise<void> {
  const result = context.report === undefined ? await benchmark(context) : readBenchResult(context.report);
  const markdown = benchMarkdown(result);
  if (context.out !== undefined) {
    mkdirSync(context.out, { recursive: true });
    writeFileSync(join(context.out, 'bench.md'), markdown);
    writeFileSync(join(context.out, 'bench.json'), benchJson(result));
    const series = result.methods.map((m) => ({ label: m, values: result.summary.meanRegret[m] }));
    writeFileSync(join(context.out, 'regret.svg'), regretPlotSvg(result.budgets, series, `Leave-one-task-out regret, ${result.space} (${result.tasks} tasks, ${result.seeds} seeds)`));
  }
  process.stdout.write(context.json ? benchJson(result) : escapeText(markdown, true));
}

async function benchmark(context: BenchContext): Promise<BenchResult> {
  await prepareTensorBackend();
  const training = await withStore({ db: context.db }, (store) => loadTrainingSet(store, context.space));
  const progress = new ProgressBar(Math.min(context.folds, training.tasks.length), 'bench folds');
  const result = await runBenchmark(training, {
    methods: context.methods, budgets: context.budgets, seeds: context.seeds, folds: context.folds, seed: context.seed,
    learned: { ensemble: context.ensemble, seed: context.seed, episodic: { steps: context.steps } },
    onProgress: (done) => progress.update(done),
  });
  progress.finish();
  return result;
}
