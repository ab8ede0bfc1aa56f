/**
 * A child process of concurrency.test.ts: adds `rows` evaluations to the store at `path` in
 * transactions of `batch` rows, all with seed = `writer`, then prints what it inserted as JSON.
 * Usage: node --import tsx concurrent-writer.ts PATH WRITER ROWS BATCH
 */
import { SqliteMetaStore } from '../../src/store/sqlite-store.ts';
import { makeEvaluation, makeTask } from './records.ts';

const [path, writerText, rowsText, batchText] = process.argv.slice(2);
const writer = Number(writerText);
const rows = Number(rowsText);
const batch = Number(batchText);

const store = SqliteMetaStore.open(path);
try {
  store.addTask(makeTask('shared'));
  let inserted = 0;
  for (let start = 0; start < rows; start += batch) {
    const chunk = [];
    for (let i = start; i < Math.min(rows, start + batch); i++) chunk.push(makeEvaluation('shared', i, { seed: writer }));
    inserted += store.addEvaluations(chunk).inserted;
  }
  process.stdout.write(JSON.stringify({ writer, inserted }) + '\n');
} finally {
  store.close();
}
