/**
 * Leave-one-task-out quality of a meta-model, as `metatune meta-train` reports it: tasks are dealt
 * into folds (one task per fold is exact leave-one-task-out); for each fold a model is fitted on
 * the other tasks and ranks each held-out task's evaluated configurations zero-shot. Per task we
 * record the normalised regret of the top-ranked configuration (regret@1) and Spearman's ρ between
 * predicted and observed scores.
 */
import { Random } from '../random.ts';
import { regretCurve, spearman } from './regret.ts';
import { withoutTasks } from './training-set.ts';
import type { MetaModel, MetaTask, TrainingSet } from './types.ts';

/** One held-out task's result. */
export interface HeldOutQuality {
  readonly task: string;
  readonly regretAt1: number;
  readonly spearman: number;
}

/** The summary stored with a model. */
export interface CrossValidationReport {
  readonly folds: number;
  readonly tasks: number;
  readonly meanRegretAt1: number;
  readonly meanSpearman: number;
  readonly perTask: readonly HeldOutQuality[];
}

/**
 * Deals tasks into folds after a seeded shuffle.
 * @param folds - number of folds; at least the task count means one task per fold
 * @returns the task names of each fold
 */
export function taskFolds(names: readonly string[], folds: number, seed: number): string[][] {
  const count = Math.max(1, Math.min(folds, names.length));
  const shuffled = new Random(seed).shuffle([...names].sort());
  const out: string[][] = Array.from({ length: count }, () => []);
  shuffled.forEach((name, i) => out[i % count].push(name));
  return out;
}

/** @returns regret@1 and Spearman's ρ of a model's zero-shot ranking of one task's configurations */
export function heldOutQuality(model: MetaModel, task: MetaTask): HeldOutQuality {
  const ranked = model.rank({ metaFeatures: task.metaFeatures }, task.evaluations.map((e) => e.config));
  const byHash = new Map(task.evaluations.map((e) => [e.configHash, e.score]));
  const observed = ranked.map((r) => byHash.get(r.configHash) ?? Number.NaN);
  const scores = task.evaluations.map((e) => e.score);
  const [regretAt1] = regretCurve(observed.slice(0, 1), Math.max(...scores), Math.min(...scores), [1]);
  return { task: task.name, regretAt1, spearman: spearman(ranked.map((r) => r.score), observed) };
}

/**
 * @param training - every task
 * @param fit - fits a model on a training set
 * @param folds - number of folds (≥ task count: exact leave-one-task-out)
 * @returns per-task quality and the means
 */
export async function crossValidate(training: TrainingSet, fit: (training: TrainingSet) => Promise<MetaModel>, folds: number, seed = 0): Promise<CrossValidationReport> {
  const groups = taskFolds(training.tasks.map((t) => t.name), folds, seed);
  const perTask: HeldOutQuality[] = [];
  for (const group of groups) {
    const heldOut = new Set(group);
    const model = await fit(withoutTasks(training, heldOut));
    try {
      for (const task of training.tasks) if (heldOut.has(task.name)) perTask.push(heldOutQuality(model, task));
    } finally {
      model.dispose();
    }
  }
  perTask.sort((a, b) => (a.task < b.task ? -1 : 1));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length);
  return { folds: groups.length, tasks: perTask.length, meanRegretAt1: mean(perTask.map((q) => q.regretAt1)), meanSpearman: mean(perTask.map((q) => q.spearman)), perTask };
}
