/**
 * The dashboard in headless Chromium: `metatune dashboard` started as a user starts it over a store
 * with a real study, then the studies page, a study's report page (six plots), the tasks map, a
 * task and a space page opened with no console error and nothing fetched from elsewhere, each
 * screenshotted into a temp folder; a bad study name is a 404 page.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STUDY_PLOTS } from '../../src/report/study-report.ts';
import { chromiumMissing, launchChromium, renderPage, type Browser } from '../report/browser.ts';
import { makeStudy, STUDY } from '../report/fixtures.ts';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const skip = chromiumMissing();
let dir = '';
let browser: Browser | undefined;
let child: ChildProcess | undefined;
let url = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metatune-dashboard-browser-'));
  if (skip !== false) return;
  const { db } = await makeStudy(dir);
  const proc = spawn(process.execPath, [bin, 'dashboard', '--port', '0', '--db', db], { env: { ...process.env, METATUNE_HOME: join(dir, 'home'), METATUNE_SHIPPED_DB: 'none' } });
  child = proc;
  url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /on (http:\/\/\S+)/.exec(out);
      if (m !== null) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`dashboard exited ${code}`)));
  });
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  if (child !== undefined && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

const PAGES: readonly [string, readonly string[]][] = [
  ['/', []],
  [`/studies/${STUDY}`, STUDY_PLOTS],
  ['/tasks', ['task-map']],
  ['/tasks/tiny', ['task-map']],
  ['/spaces', []],
  ['/spaces/mlp', ['space-heatmap']],
];

test('dashboard pages render in Chromium with their plots, no console error, nothing fetched elsewhere', { skip, timeout: 180_000 }, async (t) => {
  for (const [path, plots] of PAGES) {
    const shot = join(dir, `dashboard${path.replace(/[^a-z0-9]+/gi, '-')}.png`);
    const page = await renderPage(browser as Browser, new URL(path, url).href, shot);
    t.diagnostic(`${path}: ${page.plots} plots, screenshot ${shot} (${page.screenshotBytes} bytes)`);
    assert.equal(page.status, 200, path);
    assert.deepEqual(page.errors, [], path);
    assert.deepEqual(page.foreignRequests, [], path);
    assert.deepEqual(page.plotNames, [...plots], path);
    assert.ok(page.screenshotBytes > 5_000, path);
  }
});

test('a bad study name is a 404 page in the browser, and the server keeps serving', { skip, timeout: 60_000 }, async () => {
  const page = await renderPage(browser as Browser, new URL('/studies/not-a-study', url).href, join(dir, 'dashboard-404.png'));
  assert.equal(page.status, 404);
  assert.match(page.title, /Not found/);
  assert.ok(page.errors.every((e) => /404/.test(e)), page.errors.join('\n'));
  const again = await renderPage(browser as Browser, url, join(dir, 'dashboard-again.png'));
  assert.equal(again.status, 200);
});
