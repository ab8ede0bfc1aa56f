/**
 * `metatune report` as a user runs it: a study report through --storage, the default file name,
 * an unknown study (exit 2, the stored studies listed), bad argument combinations, --out onto a
 * folder or into a missing one, a malformed bench.json, and a report that leaves the database as
 * it was.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeStudy, STUDY } from './fixtures.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
let dir = '';
let db = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-report-cli-'));
  db = (await makeStudy(dir)).db;
});
after(() => rmSync(dir, { recursive: true, force: true }));

function metatune(args: string[], cwd = dir) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, env: { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' } });
}

test('report through --storage sqlite:////abs…, default file name, database unchanged', () => {
  const hash = createHash('sha256').update(readFileSync(db)).digest('hex');
  const work = join(dir, 'work');
  mkdirSync(work);
  const run = metatune(['report', STUDY, '--storage', `sqlite:///${db}`], work);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  assert.ok(existsSync(join(work, `${STUDY}.html`)));
  assert.match(readFileSync(join(work, `${STUDY}.html`), 'utf8'), /^<!doctype html>/);
  assert.equal(createHash('sha256').update(readFileSync(db)).digest('hex'), hash);
});

test('an unknown study exits 2 and lists the stored ones; bad combinations exit 2', () => {
  const unknown = metatune(['report', 'typo', '--db', db, '--out', join(dir, 'x.html')]);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /no study named 'typo'; stored studies: tiny-report/);
  assert.doesNotMatch(unknown.stderr, /^\s+at /m);
  assert.ok(!existsSync(join(dir, 'x.html')));
  const cases: [string[], RegExp][] = [
    [['report'], /name a study/],
    [['report', STUDY, '--bench', dir], /not both/],
    [['report', STUDY, '--db', db, '--storage', db], /--db or --storage/],
    [['report', STUDY, '--db', db, '--out', dir], /is a folder/],
    [['report', STUDY, '--db', db, '--out', join(dir, 'missing', 'r.html')], /does not exist/],
    [['report', STUDY, '--db', join(dir, 'absent.sqlite')], /absent\.sqlite/],
    [['report', STUDY, '--db', db, '--neighbors', '0'], /--neighbors/],
    [['report', STUDY, '--storage', 'mysql://h/d'], /unsupported storage 'mysql'/],
  ];
  for (const [args, message] of cases) {
    const r = metatune(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
});

test('report --bench: a folder or its bench.json; a malformed file exits 2 naming it', () => {
  const benchDir = fileURLToPath(new URL('../../meta-db/bench/linear', import.meta.url));
  const out = join(dir, 'bench.html');
  const ok = metatune(['report', '--bench', benchDir, '--out', out]);
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stdout, /benchmark of linear: 7 methods, 108 tasks/);
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"space": "mlp"}');
  const r = metatune(['report', '--bench', bad, '--out', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad\.json/);
});
