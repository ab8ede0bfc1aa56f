/**
 * A real report in headless Chromium: a tiny search through the library (warm start, TPE,
 * successive halving), `metatune report` as a user runs it, the page opened from file:// with no
 * console error, no request outside the file, the six plots, and a screenshot in a temp folder;
 * the same for `metatune report --bench` on the shipped mlp benchmark (two plots).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { STUDY_PLOTS } from '../../src/report/study-report.ts';
import { chromiumMissing, launchChromium, renderPage, type Browser } from './browser.ts';
import { makeStudy, STUDY } from './fixtures.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const benchDir = fileURLToPath(new URL('../../meta-db/bench/mlp', import.meta.url));
const skip = chromiumMissing();
let dir = '';
let db = '';
let browser: Browser | undefined;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-report-browser-'));
  if (skip !== false) return;
  db = (await makeStudy(dir)).db;
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

function metatune(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' } });
}

test('a study report renders in Chromium: six plots, no console error, nothing fetched, a screenshot', { skip, timeout: 180_000 }, async (t) => {
  const out = join(dir, 'report.html');
  const run = metatune('report', STUDY, '--db', db, '--out', out);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /study tiny-report: 12 trials → .*report\.html/);
  const html = readFileSync(out, 'utf8');
  assert.doesNotMatch(html, /<script|<link |src=/i, 'self-contained: no script, no linked resource');
  const shot = join(dir, 'report.png');
  const page = await renderPage(browser as Browser, pathToFileURL(out).href, shot);
  t.diagnostic(`screenshot ${shot} (${page.screenshotBytes} bytes)`);
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.foreignRequests, []);
  assert.deepEqual(page.plotNames, [...STUDY_PLOTS]);
  assert.match(page.title, /tiny-report/);
  assert.ok(page.screenshotBytes > 20_000, `screenshot of ${page.screenshotBytes} bytes`);
  assert.doesNotMatch(html, /data-empty="true"/, 'every plot has data (importance needs ≥ 2 complete trials, the map ≥ 2 tasks)');
  assert.match(html, /warm-start/);
  assert.match(html, /pruned/);
  assert.match(html, /rung 0/);
  assert.match(html, /synthetic-0\d\d/, 'nearest tasks named');
});

test('a benchmark report renders in Chromium: regret and rank plots', { skip, timeout: 120_000 }, async () => {
  const out = join(dir, 'bench.html');
  const run = metatune('report', '--bench', benchDir, '--out', out);
  assert.equal(run.status, 0, run.stderr);
  const page = await renderPage(browser as Browser, pathToFileURL(out).href, join(dir, 'bench.png'));
  assert.deepEqual(page.errors, []);
  assert.deepEqual(page.foreignRequests, []);
  assert.deepEqual(page.plotNames, ['bench-regret', 'bench-rank']);
});
