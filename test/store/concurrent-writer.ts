/**
 * A child process of concurrency.test.ts: adds `rows` evaluations to the store at `path` in
 * transactions of `batch` rows, all with seed = `writer`, then starts 10 trials of 'shared-study'
 * when that study exists, and prints what it inserted and the trial numbers it got as JSON.
 * PATH is an SQLite file or a postgresql:// URL.
 * Usage: node --import tsx concurrent-writer.ts PATH WRITER ROWS BATCH
 */
import { PostgresMetaStore } from '../../src/store/postgres-store.ts';
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { makeEvaluation, makeTask } from './records.ts';

const [path, writerText, rowsText, batchText] = process.argv.slice(2);
const writer = Number(writerText);
const rows = Number(rowsText);
const batch = Number(batchText);

const store = path.startsWith('postgresql://') ? PostgresMetaStore.open(path) : SqliteMetaStore.open(path);
try {
  store.addTask(makeTask('shared'));
  let inserted = 0;
  for (let start = 0; start < rows; start += batch) {
    const chunk = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) chunk.push(makeEvaluation('shared', i, { seed: writer }));
    inserted += store.addEvaluations(chunk).inserted;
  }
  const trials: number[] = [];
  if (store.getStudy('shared-study') !== undefined) {
    for (let i = 0; i < 10; i++) {
      const config = { writer, i };
      trials.push(store.startTrial('shared-study', { configHash: `w${writer}-${i}`, config, origin: `writer:${writer}` }).number);
    }
  }
  process.stdout.write(JSON.stringify({ writer, inserted, trials }) + '\n');
} finally {
  store.close();
}
