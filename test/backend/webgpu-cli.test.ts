/**
 * `metatune evaluate --backend webgpu --json` as a user runs it (the compiled CLI in a child
 * process), against the wasm backend on the same configuration and seed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/metatune.js', import.meta.url));
const iris = fileURLToPath(new URL('../../meta-db/corpus/classification/iris.arff.gz', import.meta.url));

/**
 * Dawn's native code writes these to the process's stderr when it starts the OpenGL ES
 * (software) adapter; JavaScript cannot intercept them (see src/backend/webgpu.ts).
 */
const DAWN_NATIVE_WARNING = /^Warning: maxDynamic(Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.$/;

function evaluate(backend: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'evaluate', iris, '--backend', backend, '--epochs', '4', '--seed', '3', '--json']);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

test('metatune evaluate --backend webgpu --json reports the backend and adapter, and scores as wasm does', { timeout: 120_000 }, async () => {
  const [gpu, wasm] = [await evaluate('webgpu'), await evaluate('wasm')];
  assert.equal(gpu.code, 0, gpu.stderr);
  assert.equal(wasm.code, 0, wasm.stderr);
  const onGpu = JSON.parse(gpu.stdout);
  const onWasm = JSON.parse(wasm.stdout);
  assert.equal(onGpu.evaluations[0].backend, 'webgpu');
  assert.equal(onGpu.evaluations[0].status, 'ok');
  assert.equal(typeof onGpu.adapter.software, 'boolean');
  assert.equal(typeof onGpu.adapter.device, 'string');
  assert.equal(onWasm.adapter, null);
  const [a, b] = [onGpu.evaluations[0].primaryScore, onWasm.evaluations[0].primaryScore];
  assert.ok(Math.abs(a - b) <= 0.05, `webgpu ${a} vs wasm ${b}`);
  // Nothing from tfjs or metatune on stderr (a progress bar only goes to a terminal).
  const foreign = gpu.stderr.split('\n').filter((line) => line !== '' && !DAWN_NATIVE_WARNING.test(line));
  assert.deepEqual(foreign, []);
  assert.equal(wasm.stderr, '');
});
