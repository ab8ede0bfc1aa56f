/**
 * Writes meta-db/holdout.json: the corpus's external part (18 classification and 8 regression
 * datasets, whole related groups, seed 0), never used to fit or tune a meta-model.
 * Run once: node --import tsx scripts/make-holdout.ts
 */
import { writeFileSync } from 'node:fs';
import { drawHoldout } from '../src/bench/holdout.ts';
import { findBuildTasks } from '../src/build/tasks.ts';

const tasks = (await findBuildTasks('meta-db/corpus')).map((t) => ({ name: t.name, taskType: t.task! }));
const holdout = drawHoldout(tasks, { classification: 18, regression: 8 }, 0);
const json = {
  description: 'The external part of the corpus: held out of meta-training and of every tuning choice; see meta-db/README.md and src/bench/holdout.ts',
  ...holdout,
};
writeFileSync('meta-db/holdout.json', `${JSON.stringify(json, null, 2)}\n`);
console.log(`${holdout.heldOut.length} held out: ${holdout.heldOut.join(' ')}`);
