/**
 * The leave-one-task-out benchmark, in HPO-B's protocol: for each held-out task, meta-models are
 * fitted without it, every method picks among that task's evaluated configurations (their stored
 * scores are looked up, nothing is retrained), and the normalised regret of the best pick so far,
 * (best − best so far) / (best − worst) over that task's configurations, is recorded after each
 * budget, for every seed. To bound the cost, tasks are dealt into `folds` groups and the models are
 * fitted once per group (folds ≥ tasks is exact leave-one-task-out; 10 folds fit 10 models).
 */
import { StoreError } from '../errors.ts';
import { deriveSeed } from '../random.ts';
import { taskFolds } from '../metamodel/cross-validate.ts';
import { KnnMetaModel } from '../metamodel/knn.ts';
import { LearnedMetaModel, type LearnedOptions } from '../metamodel/learned.ts';
import { PortfolioMetaModel } from '../metamodel/portfolio.ts';
import { regretCurve } from '../metamodel/regret.ts';
import { withoutTasks } from '../metamodel/training-set.ts';
import type { TrainingSet } from '../metamodel/types.ts';
import { BENCH_METHODS, DETERMINISTIC_METHODS, pickOrder, type BenchMethod, type FoldModels } from './methods.ts';
import { summarize, type BenchSummary } from './summary.ts';
import { benchTask } from './task-data.ts';

/** HPO-B's budgets. */
export const DEFAULT_BUDGETS: readonly number[] = [1, 3, 5, 10, 25, 50];

/** Settings of {@link runBenchmark}. */
export interface BenchOptions {
  readonly methods?: readonly BenchMethod[];
  readonly budgets?: readonly number[];
  readonly seeds?: number;
  /** Groups of held-out tasks; default min(10, tasks). */
  readonly folds?: number;
  readonly seed?: number;
  readonly learned?: LearnedOptions;
  /** Called after each fold with (folds done, folds). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** Regret curves of one method on one task, one per seed. */
export interface TaskRegrets {
  readonly task: string;
  readonly method: BenchMethod;
  /** [seed][budget] normalised regret. */
  readonly regrets: readonly (readonly number[])[];
}

/** Everything a run measured. */
export interface BenchResult {
  readonly space: string;
  readonly tasks: number;
  readonly folds: number;
  readonly seeds: number;
  readonly budgets: readonly number[];
  readonly methods: readonly BenchMethod[];
  readonly perTask: readonly TaskRegrets[];
  readonly summary: BenchSummary;
  readonly seconds: number;
}

/**
 * Runs the benchmark.
 * @param training - every task of one space (at least two)
 * @returns per-task regrets and their summary (mean regret and average rank per budget)
 * @throws StoreError with fewer than two tasks (nothing to learn from when one is held out)
 */
export async function runBenchmark(training: TrainingSet, options: BenchOptions = {}): Promise<BenchResult> {
  if (training.tasks.length < 2) throw new StoreError(`the benchmark needs at least two usable tasks in search space '${training.space.name}', found ${training.tasks.length}`);
  const started = performance.now();
  const methods = options.methods ?? BENCH_METHODS;
  const budgets = options.budgets ?? DEFAULT_BUDGETS;
  const seeds = options.seeds ?? 5;
  const groups = taskFolds(training.tasks.map((t) => t.name), options.folds ?? Math.min(10, training.tasks.length), options.seed ?? 0);
  const perTask: TaskRegrets[] = [];
  for (const [foldIndex, group] of groups.entries()) {
    const heldOut = new Set(group);
    const models = await fitFoldModels(withoutTasks(training, heldOut), methods, options.learned);
    try {
      for (const task of training.tasks.filter((t) => heldOut.has(t.name))) {
        const data = benchTask(training.space, task);
        for (const method of methods) {
          const curve = (s: number) => {
            const order = pickOrder(method, data, models, deriveSeed(options.seed ?? 0, 'bench', task.name, s), Math.max(...budgets));
            return regretCurve(order.map((i) => data.scores[i]), data.best, data.worst, budgets);
          };
          const once = DETERMINISTIC_METHODS.has(method) ? curve(0) : undefined;
          const regrets = Array.from({ length: seeds }, (_, s) => once ?? curve(s));
          perTask.push({ task: task.name, method, regrets });
        }
      }
    } finally {
      models.learned?.dispose();
    }
    options.onProgress?.(foldIndex + 1, groups.length);
  }
  return {
    space: training.space.name, tasks: training.tasks.length, folds: groups.length, seeds, budgets, methods, perTask,
    summary: summarize(perTask, methods, budgets), seconds: (performance.now() - started) / 1000,
  };
}

async function fitFoldModels(training: TrainingSet, methods: readonly BenchMethod[], learned: LearnedOptions | undefined): Promise<FoldModels> {
  const needs = (m: BenchMethod) => methods.includes(m);
  return {
    knn: needs('knn') ? KnnMetaModel.fit(training) : undefined,
    portfolio: needs('portfolio') ? PortfolioMetaModel.fit(training) : undefined,
    learned: needs('learned') || needs('learned+bo') ? await LearnedMetaModel.fit(training, learned) : undefined,
  };
}
