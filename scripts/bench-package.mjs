#!/usr/bin/env node
// What a user pays for the package, before and after a change, measured in one run:
//   node scripts/bench-package.mjs --before OLD.tgz [--runs 5]
// packs the working tree (after), installs each tarball into its own fresh project (the same npm,
// cache and machine, one after the other), and prints for each: the tarball's files and size, the
// install's wall time (the faster of two, interleaved) and node_modules size, and the CLI's start-up (median wall time of `metatune
// --help` and of `metatune recommend examples/wdbc.csv` over --runs runs), then the ratios
// after/before.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { NPM_INSTALL, newConsumerProject } from './consumer-project.mjs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { before: { type: 'string' }, runs: { type: 'string', default: '5' } } });
if (values.before === undefined) throw new Error('usage: node scripts/bench-package.mjs --before OLD.tgz [--runs 5]');
const runs = Number(values.runs);
const work = mkdtempSync(join(tmpdir(), 'metatune-bench-package-'));

function timed(command, args, cwd) {
  const start = performance.now();
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, METATUNE_HOME: join(work, 'home') } });
  const seconds = (performance.now() - start) / 1000;
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return seconds;
}

function tarballFacts(tgz) {
  const list = execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).trim().split('\n').filter((l) => !l.endsWith('/'));
  const size = Number(execFileSync('stat', ['-c', '%s', tgz], { encoding: 'utf8' }));
  return { files: list.length, packedMB: size / 1e6 };
}

/** Installs a tarball into a fresh project. @returns the folder, the wall time and node_modules' size */
function install(label, round, tgz) {
  const dir = join(work, `${label}-${round}`);
  newConsumerProject(dir, `bench-${label}`);
  const seconds = timed('npm', [...NPM_INSTALL, tgz], dir);
  const modulesMB = Number(execFileSync('du', ['-sk', join(dir, 'node_modules')], { encoding: 'utf8' }).split('\t')[0]) / 1024;
  return { dir, seconds, modulesMB };
}

/** The CLI's start-up in an installed project: median wall time over `runs` runs. */
function startup(dir) {
  const bin = join(dir, 'node_modules/.bin/metatune');
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  timed(bin, ['--help'], dir); // warm the file cache
  return {
    help: median(Array.from({ length: runs }, () => timed(bin, ['--help'], dir))),
    recommend: median(Array.from({ length: runs }, () => timed(bin, ['recommend', 'wdbc.csv'], dir))),
  };
}

const packed = execFileSync('npm', ['pack', '--pack-destination', work], { cwd: root, encoding: 'utf8' }).trim().split('\n').pop();
// Installs alternate (before, after, before, after) and the faster of each pair counts: the
// machine's other load moves single installs by minutes (most of an install is compiling
// better-sqlite3 where its prebuilt binary cannot be downloaded).
const tarballs = { before: resolve(values.before), after: join(work, basename(packed)) };
const installs = { before: [], after: [] };
for (let round = 0; round < 2; round++) for (const label of ['before', 'after']) installs[label].push(install(label, round, tarballs[label]));
const rows = ['before', 'after'].map((label) => {
  const best = installs[label].reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { label, ...tarballFacts(tarballs[label]), install: best.seconds, installs: installs[label].map((i) => i.seconds), modulesMB: best.modulesMB, ...startup(best.dir) };
});
const fmt = (r) => `${r.label.padEnd(6)}  ${String(r.files).padStart(5)}  ${r.packedMB.toFixed(2).padStart(9)}  ${r.install.toFixed(1).padStart(9)}  ${r.modulesMB.toFixed(0).padStart(15)}  ${r.help.toFixed(2).padStart(8)}  ${r.recommend.toFixed(2).padStart(13)}`;
console.log('        files  packed MB  install s  node_modules MB  --help s  recommend s');
for (const r of rows) console.log(fmt(r));
for (const r of rows) console.log(`${r.label} installs: ${r.installs.map((x) => x.toFixed(1)).join(' s, ')} s (the faster counts)`);
const [b, a] = rows;
console.log(`ratio after/before: packed ${(a.packedMB / b.packedMB).toFixed(2)}, install ${(a.install / b.install).toFixed(2)}, node_modules ${(a.modulesMB / b.modulesMB).toFixed(2)}, --help ${(a.help / b.help).toFixed(2)}, recommend ${(a.recommend / b.recommend).toFixed(2)} (median of ${runs})`);
rmSync(work, { recursive: true, force: true });
