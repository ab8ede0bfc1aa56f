/**
 * A bound on what a fixed list of configurations can do on the benchmark: the greedy portfolio
 * fitted with hindsight on every task of a space and scored on those same tasks (HPO-B's
 * normalised regret, as `metatune bench`). No leave-one-task-out here: it is the best case for any
 * method that tries the same configurations first on every task.
 *
 * Run: `node --import tsx scripts/portfolio-hindsight.ts [--db meta-db/metatune.sqlite] [--space mlp]`
 */
import { SqliteMetaStore } from '../src/store/sqlite-store.ts';
import { loadTrainingSet } from '../src/metamodel/training-set.ts';
import { PortfolioMetaModel } from '../src/metamodel/portfolio.ts';
import { regretCurve } from '../src/metamodel/regret.ts';
import { benchTask } from '../src/bench/task-data.ts';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const store = SqliteMetaStore.open(option('--db', 'meta-db/metatune.sqlite'), { readonly: true });
try {
  const training = loadTrainingSet(store, option('--space', 'mlp'));
  const portfolio = PortfolioMetaModel.fit(training, { size: 50 });
  const budgets = [1, 3, 5, 10, 25, 50];
  const sums = budgets.map(() => 0);
  for (const task of training.tasks) {
    const data = benchTask(training.space, task);
    const order = portfolio.members.map((h) => data.indexOf.get(h) ?? -1).filter((i) => i >= 0);
    regretCurve(order.map((i) => data.scores[i]), data.best, data.worst, budgets).forEach((r, b) => (sums[b] += r));
  }
  const cells = budgets.map((b, i) => `@${b} ${(sums[i] / training.tasks.length).toFixed(4)}`);
  console.log(`${training.space.name}: ${training.tasks.length} tasks; greedy portfolio fitted and scored on all of them: mean regret ${cells.join(' ')}`);
} finally {
  store.close();
}
