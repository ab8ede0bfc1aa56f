/**
 * What transfer can do at small budgets on the shipped database, measured against random search
 * (HPO-B's normalised regret over each task's evaluated configurations, as `metatune bench`):
 * 1. random search's expected regret, exactly (the best of k configurations drawn without
 *    replacement from the task's n: P(the i-th best is the best drawn) = C(n−1−i, k−1) / C(n, k));
 * 2. a bound for any fixed list: the greedy portfolio fitted with hindsight on every task and scored
 *    on those same tasks (no leave-one-task-out: the best case for a method that tries the same
 *    configurations first everywhere);
 * 3. a bound for picking one past task to copy: for each task, the past task whose normalised
 *    scores correlate best with its own over all their shared configurations — known only in
 *    hindsight, from the very scores a method is trying to find — and that task's top configurations
 *    in order;
 * 4. adaptive transfer, leave-one-task-out ("active testing", Leite et al., 2012, in the greedy
 *    portfolio's terms): each next configuration maximises the expected improvement over the past
 *    tasks' normalised scores, the past tasks weighted by how closely their scores on the
 *    configurations tried so far match the new task's (Gaussian likelihood of the raw scores,
 *    clipped to [0, 1], at width σ); σ = ∞ is the greedy portfolio itself.
 *
 * Run: `node --import tsx scripts/portfolio-hindsight.ts [--db meta-db/metatune.sqlite] [--space mlp]`
 */
import { SqliteMetaStore } from '../src/store/sqlite-store.ts';
import { loadTrainingSet } from '../src/metamodel/training-set.ts';
import { PortfolioMetaModel } from '../src/metamodel/portfolio.ts';
import { pearson, regretCurve } from '../src/metamodel/regret.ts';
import { benchTask, type BenchTask } from '../src/bench/task-data.ts';

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(name);
  return at >= 0 && at + 1 < process.argv.length ? process.argv[at + 1] : fallback;
}

const budgets = [1, 3, 5, 10, 25, 50];

/** @returns E[regret of the best of k distinct random picks], per budget */
function randomExpectation(data: BenchTask): number[] {
  const regrets = [...data.scores].sort((a, b) => b - a).map((s) => (data.best - s) / (data.best - data.worst));
  const n = regrets.length;
  return budgets.map((k) => {
    if (k >= n) return 0;
    // P(best drawn is the i-th) = C(n-1-i, k-1) / C(n, k), computed as a running ratio
    let p = k / n; // i = 0
    let expected = p * regrets[0];
    for (let i = 1; i <= n - k; i++) {
      p *= (n - k - i + 1) / (n - i);
      expected += p * regrets[i];
    }
    return expected;
  });
}

const store = SqliteMetaStore.open(option('--db', 'meta-db/metatune.sqlite'), { readonly: true });
try {
  const training = loadTrainingSet(store, option('--space', 'mlp'));
  const tasks = training.tasks.map((t) => benchTask(training.space, t));
  const hashes = [...new Set(training.tasks.flatMap((t) => t.evaluations.map((e) => e.configHash)))].sort();
  const column = new Map(hashes.map((h, c) => [h, c]));
  // normalised (NaN: not evaluated) and clipped raw scores, task × configuration
  const normalised = training.tasks.map((t) => {
    const row = new Float64Array(hashes.length).fill(Number.NaN);
    for (const e of t.evaluations) row[column.get(e.configHash) as number] = e.normalized;
    return row;
  });
  const raw = tasks.map((d) => {
    const row = new Float64Array(hashes.length).fill(Number.NaN);
    d.hashes.forEach((h, i) => (row[column.get(h) as number] = Math.min(1, Math.max(0, d.scores[i]))));
    return row;
  });
  /** @param order - columns evaluated on task t, in pick order */
  const curve = (t: number, order: readonly number[]) => regretCurve(order.map((c) => tasks[t].scores[tasks[t].indexOf.get(hashes[c]) as number]), tasks[t].best, tasks[t].worst, budgets);
  const evaluatedOn = (t: number) => hashes.map((_, c) => c).filter((c) => !Number.isNaN(raw[t][c]));
  const report = (label: string, curves: readonly (readonly number[])[]) => {
    const cells = budgets.map((b, i) => `@${b} ${(curves.reduce((s, c) => s + c[i], 0) / curves.length).toFixed(4)}`);
    console.log(`${label.padEnd(62)} ${cells.join(' ')}`);
  };
  console.log(`${training.space.name}: ${tasks.length} tasks, ${hashes.length} configurations; mean normalised regret`);
  report('random search (exact expectation)', tasks.map(randomExpectation));

  const portfolio = PortfolioMetaModel.fit(training, { size: 50 });
  report('greedy portfolio, fitted and scored on every task', tasks.map((_, t) => curve(t, portfolio.members.map((h) => column.get(h) as number).filter((c) => !Number.isNaN(raw[t][c])))));

  const copied = tasks.map((_, t) => {
    let source = -1;
    let best = -Infinity;
    for (let j = 0; j < tasks.length; j++) {
      if (j === t) continue;
      const shared = hashes.map((_, c) => c).filter((c) => !Number.isNaN(normalised[t][c]) && !Number.isNaN(normalised[j][c]));
      const r = pearson(shared.map((c) => normalised[t][c]), shared.map((c) => normalised[j][c]));
      if (r > best) [best, source] = [r, j];
    }
    const order = evaluatedOn(t).sort((a, b) => (normalised[source][b] || 0) - (normalised[source][a] || 0) || a - b);
    return curve(t, order);
  });
  report('top configurations of the best-correlated task (hindsight)', copied);

  for (const sigma of [0.02, 0.05, 0.1, 0.2, Infinity]) {
    const curves = tasks.map((_, t) => {
      const past = tasks.map((__, j) => j).filter((j) => j !== t);
      const logWeight = new Float64Array(past.length);
      const reached = new Float64Array(past.length);
      const order: number[] = [];
      const taken = new Set<number>();
      while (order.length < budgets[budgets.length - 1]) {
        const top = Math.max(...logWeight);
        const weight = Array.from(logWeight, (lw) => Math.exp(lw - top));
        let pick = -1;
        let gain = -Infinity;
        for (let c = 0; c < hashes.length; c++) {
          if (taken.has(c) || Number.isNaN(raw[t][c])) continue;
          let g = 0;
          past.forEach((j, k) => (g += weight[k] * Math.max(0, (normalised[j][c] || 0) - reached[k])));
          if (g > gain) [gain, pick] = [g, c];
        }
        if (pick < 0) break;
        order.push(pick);
        taken.add(pick);
        past.forEach((j, k) => {
          reached[k] = Math.max(reached[k], normalised[j][pick] || 0);
          const seen = Number.isNaN(raw[j][pick]) ? 0 : raw[j][pick];
          if (Number.isFinite(sigma)) logWeight[k] -= (seen - raw[t][pick]) ** 2 / (2 * sigma * sigma);
        });
      }
      return curve(t, order);
    });
    report(`adaptive portfolio, leave-one-task-out, σ = ${sigma === Infinity ? '∞ (plain greedy)' : sigma}`, curves);
  }
} finally {
  store.close();
}
