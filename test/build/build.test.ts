import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildMetaDatabase } from '../../src/build/build.ts';
import { sharedDesign } from '../../src/build/design.ts';
import { findBuildTasks } from '../../src/build/tasks.ts';
import { loadSearchSpace } from '../../src/spaces/index.ts';
import { SqliteMetaStore } from '../../src/store/index.ts';
import { InputError } from '../../src/errors.ts';

const corpusDir = fileURLToPath(new URL('../../meta-db/corpus/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));

/** A datasets folder with two classification tasks (gzip-compressed, as in the corpus) and one regression task (plain ARFF). */
function corpus(): string {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-build-'));
  mkdirSync(join(dir, 'classification'));
  mkdirSync(join(dir, 'regression'));
  for (const f of ['iris', 'haberman']) copyFileSync(join(corpusDir, 'classification', `${f}.arff.gz`), join(dir, 'classification', `${f}.arff.gz`));
  writeFileSync(join(dir, 'regression', 'cpu.arff'), gunzipSync(readFileSync(join(corpusDir, 'regression', 'cpu.arff.gz'))));
  return dir;
}

/** Every evaluation's key and scores, sorted: what two builds must agree on. */
function evaluationTable(path: string): string[] {
  const db = new Database(path, { readonly: true });
  try {
    return db.prepare(`SELECT t.name AS task, c.hash AS config, e.protocol_id AS protocol, e.fidelity, e.seed, e.status, e.primary_score AS score, e.epochs_run AS epochs
      FROM evaluations e JOIN tasks t ON t.id = e.task_id JOIN configurations c ON c.id = e.configuration_id`).all()
      .map((r) => JSON.stringify(r)).sort();
  } finally {
    db.close();
  }
}

test('the shared design starts with the default, has no duplicates, and a longer design extends a shorter one', () => {
  const space = loadSearchSpace('mlp');
  const short = sharedDesign(space, 10, 3);
  const long = sharedDesign(space, 30, 3);
  assert.equal(short[0].origin, 'default');
  assert.deepEqual(short[0].config, space.defaultConfiguration());
  assert.equal(new Set(long.map((p) => p.hash)).size, 30);
  assert.deepEqual(long.slice(0, 10).map((p) => p.hash), short.map((p) => p.hash));
  assert.notDeepEqual(sharedDesign(space, 10, 4).map((p) => p.hash), short.map((p) => p.hash));
});

test('build tasks take their type from the folder and their target from the targets map', async () => {
  const dir = corpus();
  const tasks = await findBuildTasks(dir, { targets: { iris: 'class' } });
  assert.deepEqual(tasks.map((t) => [t.name, t.task, t.target]), [
    ['haberman', 'classification', undefined], ['iris', 'classification', 'class'], ['cpu', 'regression', undefined],
  ]);
  await assert.rejects(findBuildTasks(join(dir, 'missing')), InputError);
  await assert.rejects(findBuildTasks(dir, { only: ['nope'] }), /no dataset/);
  mkdirSync(join(dir, 'more'));
  copyFileSync(join(corpusDir, 'classification', 'iris.arff.gz'), join(dir, 'more', 'iris.arff'));
  await assert.rejects(findBuildTasks(dir), /both named 'iris'/);
});

test('a build fills a dense task × configuration matrix, and a rerun skips everything', async () => {
  const dir = corpus();
  const path = join(dir, 'store.sqlite');
  const store = SqliteMetaStore.open(path);
  try {
    const options = { datasets: dir, spaces: new Map([['linear', 4]]), seed: 1, chunkSize: 3 };
    const first = await buildMetaDatabase(store, options);
    assert.equal(first.tasks, 3);
    assert.equal(first.evaluated, 12);
    assert.equal(first.skipped, 0);
    assert.equal(store.listMetaFeatures().length, 3);
    assert.equal(store.listEvaluationScores({ space: 'linear' }).length, 12);
    const again = await buildMetaDatabase(store, options);
    assert.deepEqual([again.evaluated, again.skipped], [0, 12]);
  } finally {
    store.close();
  }
});

test('kill -9 during a build, then a rerun, gives the same tables as an uninterrupted build', { timeout: 240_000 }, async () => {
  const dir = corpus();
  const args = (db: string) => [bin, 'db', 'build', '--datasets', dir, '--space', 'linear', '--configs', '6', '--chunk', '2', '--seed', '5', '--workers', '1', '--db', db];
  const run = (db: string) => new Promise<number | null>((resolve) => spawn(process.execPath, args(db), { stdio: 'ignore' }).on('exit', resolve));
  const straight = join(dir, 'straight.sqlite');
  assert.equal(await run(straight), 0);

  const killed = join(dir, 'killed.sqlite');
  const child = spawn(process.execPath, args(killed), { stdio: 'ignore' });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await waitFor(() => countEvaluations(killed) >= 2, 120_000);
  child.kill('SIGKILL');
  await exited;
  const partial = countEvaluations(killed);
  assert.ok(partial >= 2 && partial < 18, `killed after ${partial} of 18 evaluations`);
  assert.equal(partial % 2, 0, 'a chunk is written whole or not at all');
  assert.equal(await run(killed), 0);
  assert.deepEqual(evaluationTable(killed), evaluationTable(straight));
});

function countEvaluations(path: string): number {
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare('SELECT count(*) AS n FROM evaluations').get();
      return typeof row === 'object' && row !== null && 'n' in row && typeof row.n === 'number' ? row.n : 0;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

