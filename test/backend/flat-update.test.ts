import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../src/backend/tf.ts';
import { selectBackend } from '../../src/backend/index.ts';
import { flatUpdate, fusedUpdateAvailable, useFusedUpdate, type FlatUpdateTerms } from '../../src/backend/flat-update.ts';
import { trainBatch, type TrainRequest } from '../../src/learners/index.ts';
import { syntheticTask } from '../../src/learners/synthetic.ts';
import { Random } from '../../src/random.ts';
import { mlp } from '../learners/helpers.ts';

const f = Math.fround;

/** The update in float32 arithmetic, term by term as optimizer.ts's ops (each result rounded to float32). */
function reference(t: FlatUpdateTerms, x: Record<string, Float32Array>, bc: number, i: number): { w: number; m: number; s: number } {
  const w = x.params[i];
  let g = x.grad[i];
  if (t.l2) g = f(g + f(x.l2[i] * w));
  if (t.l1) g = f(g + f(x.l1[i] * (w > 0 ? 1 : w < 0 ? -1 : 0)));
  const m = t.moment ? f(f(x.a1[i] * x.m[i]) + f(x.c1[i] * g)) : g;
  const s = t.second ? f(f(x.a2[i] * x.s[i]) + f(x.c2[i] * f(g * g))) : x.s[i];
  const d = t.second ? f(m / f(f(Math.sqrt(s)) + x.epsilon[i])) : m;
  let lr = 0;
  if (t.adam) lr = f(x.adam[i] * f(bc));
  if (t.plain) lr = t.adam ? f(lr + x.plain[i]) : x.plain[i];
  let next = f(w - f(lr * d));
  if (t.decay) next = f(next - f(f(lr * x.decay[i]) * w));
  return { w: next, m: t.moment ? m : x.m[i], s };
}

function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

test('the fused update equals float32 arithmetic term by term, for every combination of terms (4-lane part and tail)', async () => {
  await selectBackend('wasm');
  assert.ok(fusedUpdateAvailable(), 'WebAssembly SIMD is available in Node 20');
  const n = 1031; // 257 four-lane steps and a 3-element tail
  const rng = new Random(5);
  const draw = (scale: number, positive = false) => Float32Array.from({ length: n }, (_, i) => {
    if (i % 97 === 0) return 0;
    if (i % 89 === 0) return -0;
    if (i % 83 === 0) return 1e-39; // subnormal
    const v = (rng.next() - (positive ? 0 : 0.5)) * scale * Math.exp(8 * (rng.next() - 0.5));
    return v;
  });
  const x: Record<string, Float32Array> = {
    params: draw(2), grad: draw(1), m: draw(0.5), s: draw(0.01, true), adam: draw(1e-2, true), plain: draw(1e-2, true),
    a1: draw(1, true), c1: draw(1, true), a2: draw(1, true), c2: draw(0.01, true), epsilon: draw(1e-6, true),
    l2: draw(1e-3, true), l1: draw(1e-3, true), decay: draw(1e-3, true),
  };
  x.grad[7] = NaN;
  const names = ['adam', 'plain', 'l2', 'l1', 'moment', 'second', 'decay'] as const;
  let checked = 0;
  for (let bits = 0; bits < 128; bits++) {
    const terms = Object.fromEntries(names.map((k, b) => [k, ((bits >> b) & 1) === 1])) as unknown as FlatUpdateTerms;
    const bc = 1 + bits / 7;
    const got = tf.tidy(() => {
      const t = (k: string) => tf.tensor1d(x[k]);
      const out = flatUpdate({
        params: t('params'), grad: t('grad'), m: t('m'), s: t('s'), a1: t('a1'), c1: t('c1'), a2: t('a2'), c2: t('c2'), epsilon: t('epsilon'),
        adam: terms.adam ? t('adam') : undefined, plain: terms.plain ? t('plain') : undefined, l2: terms.l2 ? t('l2') : undefined,
        l1: terms.l1 ? t('l1') : undefined, decay: terms.decay ? t('decay') : undefined,
      }, terms, bc);
      return { w: out.params.dataSync().slice(), m: out.m?.dataSync().slice(), s: out.s?.dataSync().slice() };
    });
    assert.equal(got.m === undefined, !terms.moment);
    assert.equal(got.s === undefined, !terms.second);
    for (let i = 0; i < n; i++) {
      const want = reference(terms, x, bc, i);
      assert.ok(sameBits(got.w[i], want.w), `terms ${bits.toString(2)}, element ${i}: params ${got.w[i]} vs ${want.w}`);
      if (got.m !== undefined) assert.ok(sameBits(got.m[i], want.m), `terms ${bits.toString(2)}, element ${i}: m`);
      if (got.s !== undefined) assert.ok(sameBits(got.s[i], want.s), `terms ${bits.toString(2)}, element ${i}: s`);
      checked++;
    }
  }
  assert.equal(checked, 128 * n);
});

test('training with the fused update gives bit-identical results to the op-by-op update, no tensor leaks', async () => {
  await selectBackend('wasm');
  const task = syntheticTask({ seed: 3, nRows: 200, nCols: 5, nClasses: 3 });
  const requests: TrainRequest[] = [
    mlp({ max_epochs: 4, optimizer: 'adam', l2: 1e-3 }, 1),
    mlp({ max_epochs: 4, optimizer: 'adamw', l2: 1e-2, units: 9 }, 2),
    mlp({ max_epochs: 4, optimizer: 'rmsprop', dropout: 0.2 }, 3),
    mlp({ max_epochs: 4, optimizer: 'sgd-momentum', momentum: 0.8, lr_schedule: 'cosine' }, 4),
    mlp({ max_epochs: 4, optimizer: 'sgd', batch_norm: true }, 5),
    { learner: 'linear', config: { alpha: 1e-3, l1_ratio: 0.5, max_epochs: 4, learning_rate: 0.01 }, seed: 6, shuffleSeed: 99 },
  ];
  const before = tf.memory().numTensors;
  const previous = useFusedUpdate(false);
  let plain;
  try {
    plain = await trainBatch(task, requests);
  } finally {
    useFusedUpdate(previous);
  }
  const fused = await trainBatch(task, requests);
  assert.equal(tf.memory().numTensors, before);
  for (let i = 0; i < requests.length; i++) {
    assert.equal(fused[i].status, plain[i].status);
    assert.deepEqual(fused[i].curve, plain[i].curve, `request ${i}: curves`);
    assert.deepEqual(fused[i].validPredictions, plain[i].validPredictions, `request ${i}: predictions`);
  }
});
