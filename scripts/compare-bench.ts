/**
 * Compares two runs of `metatune bench` (before/after a change) method by method: per budget, the
 * mean over tasks of (after − before) regret with a 95 % paired bootstrap interval over tasks, and
 * whether the change made the method worse by more than that interval.
 * Run: node --import tsx scripts/compare-bench.ts BEFORE/bench.json AFTER/bench.json
 */
import { readFileSync } from 'node:fs';
import { pairedDifferences } from '../src/bench/paired.ts';
import type { BenchMethod, TaskRegrets } from '../src/bench/index.ts';

const [beforePath, afterPath] = process.argv.slice(2);
if (afterPath === undefined) throw new Error('usage: compare-bench.ts BEFORE/bench.json AFTER/bench.json');
const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as { space: string; budgets: number[]; methods: string[]; perTask: TaskRegrets[] };
const before = read(beforePath);
const after = read(afterPath);
const f = (x: number) => (x >= 0 ? '+' : '') + x.toFixed(3);
console.log(`${after.space}: after − before, mean regret over tasks [95 % bootstrap interval]; budgets ${after.budgets.join('/')}`);
for (const method of after.methods.filter((m) => before.methods.includes(m))) {
  const tag = (label: string, runs: TaskRegrets[]) => runs.filter((r) => r.method === method).map((r) => ({ ...r, method: label as BenchMethod }));
  const [d] = pairedDifferences([...tag('after', after.perTask), ...tag('before', before.perTask)], 'after' as BenchMethod, ['before' as BenchMethod], after.budgets);
  const cells = after.budgets.map((b, i) => `@${b} ${f(d.mean[i])} [${f(d.low[i])}, ${f(d.high[i])}]${d.low[i] > 0 ? ' WORSE' : d.high[i] < 0 ? ' better' : ''}`);
  console.log(`  ${method.padEnd(11)} ${cells.join('  ')}`);
}
