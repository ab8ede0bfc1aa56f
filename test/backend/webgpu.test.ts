/**
 * The `webgpu` backend (software adapter in CI: Dawn's OpenGL ES adapter on Mesa's llvmpipe, see
 * scripts/ci/install-webgpu.sh): started only with an adapter, never a silent cpu fallback; ops
 * and the fused trainer's block kernels (plain tfjs ops on webgpu) match the cpu backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { tf } from '../../src/backend/tf.ts';
import { describeAdapter, selectBackend } from '../../src/backend/index.ts';
import { stackBlocks, takeBlocks } from '../../src/backend/block-kernels.ts';
import { blockMatMul } from '../../src/backend/block-matmul.ts';

const backendModule = new URL('../../src/backend/index.ts', import.meta.url).href;
const tfModule = new URL('../../src/backend/tf.ts', import.meta.url).href;

test('a WebGPU start that finds no adapter is an error with the reason, and the previous backend stays active', () => {
  // libglvnd finds no EGL vendor, so Dawn's OpenGL ES adapter cannot start (and there is no Vulkan GPU here).
  const script = `
    const { selectBackend } = await import(${JSON.stringify(backendModule)});
    const { tf } = await import(${JSON.stringify(tfModule)});
    await selectBackend('wasm');
    let error;
    try { await selectBackend('webgpu'); } catch (e) { error = e; }
    console.log(JSON.stringify({ name: error?.name, message: error?.message, backend: tf.getBackend(), webgpuRegistered: tf.findBackendFactory('webgpu') !== null }));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('../..', import.meta.url)),
    env: { ...process.env, __EGL_VENDOR_LIBRARY_FILENAMES: '/nonexistent/egl-vendor.json' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(child.status, 0, child.stderr);
  const result = JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '{}');
  assert.equal(result.name, 'UsageError');
  assert.match(result.message, /backend 'webgpu' is not available \(webgpu: no WebGPU adapter: .+\)/);
  assert.equal(result.backend, 'wasm', 'no silent fallback: the backend in use is the one selected before');
  assert.equal(result.webgpuRegistered, false, "tfjs's own webgpu factory (which falls back silently) is never registered");
});

const selection = await selectBackend('webgpu');

test('asked for by name, webgpu starts on an adapter (here the software one) and reports it', () => {
  assert.equal(selection.name, 'webgpu');
  assert.equal(tf.getBackend(), 'webgpu');
  const adapter = selection.adapter;
  assert.ok(adapter !== undefined);
  assert.equal(typeof adapter.software, 'boolean');
  assert.ok(adapter.device !== '' || adapter.description !== '', 'the adapter has a name');
  assert.ok(describeAdapter(adapter).length > 0);
});

/** Runs `fn` on webgpu and on cpu with the same inputs; returns both results. */
async function onBoth(inputs: () => tf.Tensor[], fn: (...t: tf.Tensor[]) => tf.Tensor): Promise<[Float32Array, Float32Array]> {
  const results: Float32Array[] = [];
  for (const backend of ['webgpu', 'cpu'] as const) {
    await selectBackend(backend);
    const tensors = inputs();
    const out = fn(...tensors);
    results.push(Float32Array.from(await out.data()));
    tf.dispose([...tensors, out]);
  }
  await selectBackend('webgpu');
  return [results[0], results[1]];
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  return a.reduce((max, v, i) => Math.max(max, Math.abs(v - b[i])), 0);
}

const series = (n: number, f: (i: number) => number) => Float32Array.from({ length: n }, (_, i) => f(i));

test('matMul, softmax and reductions on webgpu match the cpu backend', async () => {
  const before = tf.memory().numTensors;
  const inputs = () => [tf.tensor2d(series(64 * 48, (i) => Math.sin(i)), [64, 48]), tf.tensor2d(series(48 * 32, (i) => Math.cos(i * 0.3)), [48, 32])];
  const [gpu, cpu] = await onBoth(inputs, (a, b) => tf.tidy(() => tf.concat([tf.reshape(tf.softmax(tf.matMul(a, b)), [-1]), tf.sum(a, 0), tf.max(b, 1)])));
  assert.ok(maxAbsDiff(gpu, cpu) < 1e-4, `max difference ${maxAbsDiff(gpu, cpu)}`);
  assert.equal(tf.memory().numTensors, before);
});

test('the block kernels fall back to plain tfjs ops on webgpu and match cpu', async () => {
  const before = tf.memory().numTensors;
  const products = [
    { aOffset: 0, bOffset: 10, rows: 3, inner: 4, cols: 5 },
    { aOffset: 50, bOffset: 100, rows: 7, inner: 6, cols: 2 },
  ];
  const blocks = [{ offset: 3, rows: 4, cols: 5 }, { offset: 40, rows: 2, cols: 3 }];
  const inputs = () => [tf.tensor1d(series(200, Math.sin)), tf.tensor1d(series(300, (i) => Math.cos(i * 0.7)))];
  const uniform = [0, 1, 2].map((k) => ({ aOffset: 20 + k * 12, bOffset: 30 + k * 20, rows: 3, inner: 4, cols: 5 }));
  const [gpu, cpu] = await onBoth(inputs, (a, b) => tf.tidy(() => tf.concat([
    blockMatMul(a, b, products),
    blockMatMul(a, b, uniform),
    stackBlocks(a, blocks, true),
    ...takeBlocks(b, blocks).map((t) => tf.reshape(t, [-1])),
  ])));
  assert.ok(maxAbsDiff(gpu, cpu) < 1e-5, `max difference ${maxAbsDiff(gpu, cpu)}`);
  assert.equal(tf.memory().numTensors, before);
});
