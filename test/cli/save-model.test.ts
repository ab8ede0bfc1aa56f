import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../../src/data/index.ts';
import { InputError } from '../../src/errors.ts';
import { evaluate } from '../../src/evaluation/index.ts';
import { checkModelTarget, loadSavedModel, saveTrainedModel } from '../../src/evaluation/saved-model.ts';
import { loadSearchSpace } from '../../src/spaces/index.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const dir = mkdtempSync(path.join(os.tmpdir(), 'metatune-save-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

/** A small two-class CSV that trains in well under a second. */
const csv = path.join(dir, 'small.csv');
writeFileSync(csv, ['a,b,y', ...Array.from({ length: 40 }, (_, i) => `${i % 7},${(i * 3) % 11},${i % 2 === 0 ? 'even' : 'odd'}`)].join('\n') + '\n');
const FAST = ['--epochs', '1', '--backend', 'cpu'];

function metatune(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, METATUNE_HOME: path.join(dir, 'home') } });
}

function folder(name: string): string {
  const d = path.join(dir, name);
  mkdirSync(d, { recursive: true });
  return d;
}

test('search: --save-model onto an existing model.json fails before the search; --overwrite replaces it', () => {
  const d = folder('search-exists');
  writeFileSync(path.join(d, 'model.json'), 'keep me');
  const db = path.join(dir, 'search-save.sqlite');
  const args = ['search', csv, '--budget', '1', '--warm-start', '0', '--sampler', 'random', '--space', 'linear', '--epochs', '1', '--workers', '1', '--db', db, '--save-model', d];
  const r = metatune(...args);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^error: --save-model: .*search-exists[/\\]model\.json already exists; pass --overwrite to replace it/);
  assert.equal(existsSync(db), false, 'no study was started');
  assert.equal(readFileSync(path.join(d, 'model.json'), 'utf8'), 'keep me');
  const again = metatune(...args, '--overwrite');
  assert.equal(again.status, 0, again.stderr);
  assert.match(readFileSync(path.join(d, 'model.json'), 'utf8'), /^\{"format":"layers-model"/);
  assert.equal(metatune('search', csv, '--budget', '1', '--overwrite').status, 2, '--overwrite without --save-model');
});

test('--save-model onto an existing model.json fails before training, naming the file; --overwrite replaces it', () => {
  const d = folder('exists');
  writeFileSync(path.join(d, 'model.json'), 'keep me');
  const r = metatune('evaluate', csv, ...FAST, '--save-model', d);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /^error: --save-model: .*exists[/\\]model\.json already exists; pass --overwrite to replace it/);
  assert.equal(r.stdout, '', 'nothing was trained or printed');
  assert.equal(readFileSync(path.join(d, 'model.json'), 'utf8'), 'keep me');
  const again = metatune('evaluate', csv, ...FAST, '--save-model', d, '--overwrite');
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /saved to .*model\.json/);
  assert.match(readFileSync(path.join(d, 'model.json'), 'utf8'), /^\{"format":"layers-model"/);
});

test('--save-model never writes through a symbolic link, even with --overwrite', () => {
  const d = folder('link');
  const victim = path.join(dir, 'victim.txt');
  writeFileSync(victim, 'secret');
  symlinkSync(victim, path.join(d, 'model.json'));
  for (const extra of [[], ['--overwrite']]) {
    const r = metatune('evaluate', csv, ...FAST, '--save-model', d, ...extra);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /model\.json: is a symbolic link, not a regular file; refusing to write through it/);
  }
  assert.equal(readFileSync(victim, 'utf8'), 'secret');
  assert.ok(lstatSync(path.join(d, 'model.json')).isSymbolicLink());
});

test('--save-model refuses FIFOs, non-folders, missing parents and unwritable places without hanging', { skip: process.platform === 'win32' }, () => {
  const fifoDir = folder('fifo');
  spawnSync('mkfifo', [path.join(fifoDir, 'model.json')]);
  const file = path.join(dir, 'plain-file');
  writeFileSync(file, '');
  const cases: [string, RegExp][] = [
    [fifoDir, /is a FIFO, not a regular file/],
    [file, /not a folder/],
    [path.join(dir, 'no', 'such', 'parent'), /its parent .* is not an existing folder/],
    ['', /option --save-model: needs a folder/],
  ];
  if (existsSync('/proc/self')) cases.push(['/proc/self/foo', /\/proc\/self\/foo/]);
  for (const [target, message] of cases) {
    const r = metatune('evaluate', csv, ...FAST, '--save-model', target);
    assert.equal(r.status, 2, `${target}: ${r.stderr}`);
    assert.match(r.stderr, message, target);
    assert.doesNotMatch(r.stderr, /^\s+at /m);
  }
  const search = metatune('search', csv, '--budget', '1', '--db', path.join(dir, 's.sqlite'), '--save-model', file);
  assert.equal(search.status, 2, search.stderr);
  assert.match(search.stderr, /not a folder/);
  assert.equal(existsSync(path.join(dir, 's.sqlite')), false, 'search checked before it opened the store');
});

test('--overwrite alone is a usage error', () => {
  const r = metatune('evaluate', csv, '--overwrite');
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--overwrite applies to --save-model only/);
});

test('saveTrainedModel creates model.json exclusively: a link planted after the check is not followed', async () => {
  const dataset = await loadDataset(csv);
  const space = loadSearchSpace('mlp');
  const [evaluation] = await evaluate(dataset, space, [space.defaultConfiguration()], { backend: 'cpu', epochs: 1, keepModels: true });
  const d = folder('race');
  assert.deepEqual(checkModelTarget(d), { file: path.join(d, 'model.json'), exists: false });
  const victim = path.join(dir, 'race-victim.txt');
  writeFileSync(victim, 'secret');
  symlinkSync(victim, path.join(d, 'model.json'));
  await assert.rejects(saveTrainedModel(d, evaluation), (e: unknown) => e instanceof InputError && /model\.json: is a symbolic link/.test(e.message));
  await assert.rejects(saveTrainedModel(d, evaluation, { overwrite: true }), /symbolic link/);
  assert.equal(readFileSync(victim, 'utf8'), 'secret');
  assert.deepEqual(readdirSync(d), ['model.json'], 'the files written before model.json failed are removed');

  const fresh = path.join(dir, 'fresh');
  await saveTrainedModel(fresh, evaluation);
  await assert.rejects(saveTrainedModel(fresh, evaluation), /model\.json: already exists/);
  await saveTrainedModel(fresh, evaluation, { overwrite: true });
  assert.equal((await loadSavedModel(fresh)).info.configHash, evaluation.configHash);
  assert.deepEqual(readdirSync(fresh).sort(), ['model.json', 'preprocessing.json', 'weights.bin'], 'no temporary file left behind');
  await assert.rejects(saveTrainedModel(path.join(dir, 'a', 'b'), evaluation), /parent .* is not an existing folder/);
});

