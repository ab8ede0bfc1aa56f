/**
 * A real study for report and dashboard tests: a tiny CSV written to a temp folder (two informative
 * features, two noise features, a binary class), a synthetic store of 8 past tasks (so the warm
 * start comes from knn and the task has neighbours), then a real `runSearch` with successive
 * halving over a few epochs, so the study has warm-start, sampler and pruned trials.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from '../../src/random.ts';
import { runSearch, type SearchResult } from '../../src/search/run-search.ts';
import { writeSyntheticStore } from '../metamodel/synthetic.ts';

/** Writes `tiny.csv` (120 rows) into `dir`. @returns its path */
export function writeTinyCsv(dir: string, seed = 1): string {
  const rng = new Random(seed);
  const lines = ['a,b,noise1,noise2,label'];
  for (let i = 0; i < 120; i++) {
    const a = rng.normal();
    const b = rng.normal();
    const label = a + 0.5 * b + 0.6 * rng.normal() > 0 ? 'yes' : 'no';
    lines.push([a, b, rng.normal(), rng.next()].map((v) => v.toFixed(4)).join(',') + `,${label}`);
  }
  const path = join(dir, 'tiny.csv');
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** The study's name in {@link makeStudy}'s store. */
export const STUDY = 'tiny-report';

/**
 * Builds `store.sqlite` in `dir` with a finished study {@link STUDY} (12 trials, about half pruned).
 * @returns the database path and the search's result
 */
export async function makeStudy(dir: string): Promise<{ db: string; csv: string; result: SearchResult }> {
  const db = join(dir, 'store.sqlite');
  writeSyntheticStore(db, { tasks: 8, configs: 30, seed: 2 });
  const csv = writeTinyCsv(dir);
  const result = await runSearch(csv, { budget: 12, batchSize: 6, workers: 1, epochs: 3, minEpochs: 2, reductionFactor: 2, pruner: 'sh', sampler: 'tpe', warmStart: 3, db, study: STUDY, seed: 1 });
  return { db, csv, result };
}
