/**
 * The hostile-input suite: every `test/fixtures/hostile/<area>-<case>/case.json` is one run of the
 * real CLI (`node bin/metatune.js ...args`) on a temporary copy of its folder, with the exit code,
 * stdout and stderr it must give:
 *
 *     {
 *       "description": "what is hostile about it and what must happen",
 *       "args": ["data", "{dir}/input.csv"],   // {dir}: the temp copy of the folder, {tmp}: an empty temp dir
 *       "exit": 2,                              // 0 when the input must load correctly
 *       "stderr": "input\\.csv.*line 3",        // regex; required for exit 2 (it must name the file)
 *       "stdout": "regex",                      // optional
 *       "env": { "METATUNE_HOME": "{tmp}/home" }, // optional; METATUNE_HOME defaults to a fresh temp dir
 *       "timeoutMs": 20000,                     // optional, default 20000
 *       "generate": "gen.mjs"                   // optional: a Node script run first in the copy (big inputs)
 *     }
 *
 * Regexes are JavaScript, without flags (`[\\s\\S]*` spans lines). METATUNE_DEBUG is removed
 * from the environment.
 *
 * Every case must end within its time limit (default 20 s; the process is killed and the case
 * fails), never print a stack trace, and — when it is refused as bad input (exit 2) — never ask
 * the user to report a bug. Cases run two at a time.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../fixtures/hostile/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
/** The repository root, for a case's gen.mjs (METATUNE_REPO). */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_TIMEOUT_MS = 20_000;
const GENERATE_TIMEOUT_MS = 60_000;

/** The content of a case.json. */
interface HostileCase {
  description: string;
  args: string[];
  exit: number;
  stderr?: string;
  stdout?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  generate?: string;
}

interface RunResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** @returns the case folders' names, sorted */
function caseNames(): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(root, entry.name, 'case.json')))
    .map((entry) => entry.name)
    .sort();
}

/** Reads and checks a case.json, so that a malformed case fails loudly instead of passing vacuously. */
function readCase(name: string): HostileCase {
  const raw: unknown = JSON.parse(readFileSync(join(root, name, 'case.json'), 'utf8'));
  assert.ok(typeof raw === 'object' && raw !== null && !Array.isArray(raw), `${name}/case.json must be an object`);
  const c = new Map(Object.entries(raw));
  const text = (key: string): string | undefined => {
    const value = c.get(key);
    assert.ok(value === undefined || typeof value === 'string', `${name}: ${key} must be a string`);
    return value;
  };
  const description = text('description');
  assert.ok(description !== undefined, `${name}: description is required`);
  const args = c.get('args');
  assert.ok(Array.isArray(args) && args.every((a) => typeof a === 'string'), `${name}: args must be an array of strings`);
  const exit = c.get('exit');
  assert.ok(typeof exit === 'number' && Number.isInteger(exit), `${name}: exit must be an integer`);
  const timeoutMs = c.get('timeoutMs');
  assert.ok(timeoutMs === undefined || (typeof timeoutMs === 'number' && Number.isInteger(timeoutMs) && timeoutMs > 0), `${name}: timeoutMs must be a positive integer`);
  const env = c.get('env');
  assert.ok(env === undefined || (typeof env === 'object' && env !== null && !Array.isArray(env)), `${name}: env must be an object`);
  const envEntries = Object.entries(env ?? {});
  assert.ok(envEntries.every(([, v]) => typeof v === 'string'), `${name}: env must map names to strings`);
  const stderr = text('stderr');
  if (exit === 2) assert.ok(stderr !== undefined, `${name}: an exit-2 case must give a stderr regex that names the file`);
  const known = new Set(['description', 'args', 'exit', 'stderr', 'stdout', 'env', 'timeoutMs', 'generate']);
  for (const key of c.keys()) assert.ok(known.has(key), `${name}: unknown key '${key}' in case.json`);
  return {
    description,
    args,
    exit,
    stderr,
    stdout: text('stdout'),
    env: Object.fromEntries(envEntries.map(([k, v]) => [k, String(v)])),
    timeoutMs,
    generate: text('generate'),
  };
}

/** Replaces `{dir}` and `{tmp}` in a case's argument or environment value. */
function expand(text: string, dir: string, tmp: string): string {
  return text.replaceAll('{dir}', dir).replaceAll('{tmp}', tmp);
}

/**
 * Runs a command, killing it (and failing) at the time limit.
 * @returns its exit status or signal and its output
 */
function run(args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => stderr.push(b));
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, timedOut, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') });
    });
  });
}

/** The environment of a case: ours, without debug switches, with a fresh METATUNE_HOME unless the case sets one. */
function caseEnv(c: HostileCase, dir: string, tmp: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, METATUNE_HOME: join(tmp, '.metatune-home') };
  delete env.METATUNE_DEBUG;
  for (const [key, value] of Object.entries(c.env ?? {})) env[key] = expand(value, dir, tmp);
  return env;
}

async function runCase(name: string): Promise<void> {
  const c = readCase(name);
  const base = mkdtempSync(join(tmpdir(), `metatune-hostile-${name}-`));
  const dir = join(base, 'case');
  const tmp = join(base, 'tmp');
  try {
    cpSync(join(root, name), dir, { recursive: true });
    mkdirSync(tmp);
    if (c.generate !== undefined) {
      const gen = await run([c.generate], { cwd: dir, env: { ...process.env, METATUNE_REPO: REPO }, timeoutMs: GENERATE_TIMEOUT_MS });
      assert.equal(gen.status, 0, `${name}: generator ${c.generate} failed (timed out: ${gen.timedOut})\n${gen.stderr}`);
    }
    const timeoutMs = c.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const args = c.args.map((a) => expand(a, dir, tmp));
    const r = await run([bin, ...args], { cwd: dir, env: caseEnv(c, dir, tmp), timeoutMs });
    const shown = `\n--- ${name}: ${c.description}\n--- stdout:\n${r.stdout.slice(0, 4000)}\n--- stderr:\n${r.stderr.slice(0, 4000)}`;
    assert.ok(!r.timedOut, `${name}: killed after ${timeoutMs} ms (a hang)${shown}`);
    assert.equal(r.status, c.exit, `${name}: exit code${shown}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${name}: a stack trace on stderr${shown}`);
    if (c.exit === 2) assert.doesNotMatch(r.stderr, /please report this as a bug/, `${name}: bad input reported as a bug${shown}`);
    if (c.stderr !== undefined) assert.match(r.stderr, new RegExp(c.stderr), `${name}: stderr${shown}`);
    if (c.stdout !== undefined) assert.match(r.stdout, new RegExp(c.stdout), `${name}: stdout${shown}`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

describe('hostile inputs', { concurrency: 2 }, () => {
  const names = caseNames();
  test('the suite has cases', () => assert.ok(names.length > 0, `no case.json under ${root}`));
  for (const name of names) test(name, () => runCase(name));
});
