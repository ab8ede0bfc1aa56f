/** The numerics under TPE: erfc, truncated kernels, Parzen densities and discrete masses. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Random } from '../../src/random.ts';
import { axisOf } from '../../src/search/samplers/axes.ts';
import {
  bandwidths,
  CategoricalKernels,
  NumericKernels,
  observationWeights,
  ParzenMixture,
} from '../../src/search/samplers/parzen.ts';
import { erfc, logNormalMass, sampleTruncatedNormal } from '../../src/search/samplers/truncated-normal.ts';
import { defaultGamma } from '../../src/search/samplers/tpe.ts';
import { mlp } from './helpers.ts';

const settings = { priorWeight: 1, considerMagicClip: true };

/** A univariate Parzen estimator as TPE fits it. */
function numericParzen(mus: readonly number[], bucketOf?: (u: number) => readonly [number, number] | undefined): ParzenMixture {
  const kernels = new NumericKernels([...mus, 0.5], [...bandwidths(mus, settings), 1], bucketOf);
  return new ParzenMixture([kernels], mus.length, settings.priorWeight);
}

test('erfc matches reference values, also deep in the tail', () => {
  const reference: [number, number][] = [[0, 1], [0.5, 0.4795001221869535], [1, 0.15729920705028513], [-1, 1.8427007929497148], [3, 2.209049699858544e-5], [6, 2.1519736712498913e-17]];
  for (const [x, expected] of reference) assert.ok(Math.abs(erfc(x) - expected) <= 1.2e-7 * expected, `erfc(${x}) = ${erfc(x)}`);
  assert.ok(Math.abs(logNormalMass(0, 1, 8, 9) - Math.log(6.2209e-16)) < 0.01, 'no cancellation in the upper tail');
});

test('a Parzen density integrates to 1 on [0, 1]', () => {
  const parzen = numericParzen([0.1, 0.15, 0.8, 0.95, 0.5]);
  let integral = 0;
  const steps = 20000;
  for (let i = 0; i < steps; i++) integral += Math.exp(parzen.logDensity([(i + 0.5) / steps])) / steps;
  assert.ok(Math.abs(integral - 1) < 1e-4, `integral ${integral}`);
});

test('on an integer axis the bucket masses sum to 1 and favour the observed values', () => {
  const axis = axisOf(mlp.hyperparameter('units'));
  assert.equal(axis.kind, 'numeric');
  if (axis.kind !== 'numeric') return;
  const parzen = numericParzen([64, 64, 70].map((v) => axis.encode(v)), axis.bucket);
  let total = 0;
  const mass = (k: number) => Math.exp(parzen.logDensity([axis.encode(k)]));
  for (let k = 16; k <= 1024; k++) total += mass(k);
  assert.ok(Math.abs(total - 1) < 1e-4, `total ${total}`);
  assert.ok(mass(64) > 5 * mass(512));
  for (let k = 16; k <= 1024; k += 37) assert.equal(axis.decode(axis.encode(k)), k);
});

test('draws follow the mixture: most land near the observations', () => {
  const parzen = numericParzen([0.2, 0.21, 0.19, 0.2, 0.22, 0.18, 0.2, 0.2]);
  const draws = parzen.sample(new Random(3), 2000).map((point) => point[0]);
  assert.ok(draws.every((x) => x >= 0 && x <= 1));
  const near = draws.filter((x) => Math.abs(x - 0.2) < 0.15).length / draws.length;
  assert.ok(near > 0.7, `${near} near the observations`);
  const rng = new Random(4);
  for (let i = 0; i < 200; i++) {
    const x = sampleTruncatedNormal(0.99, 1, rng);
    assert.ok(x >= 0 && x <= 1);
  }
});

test('categorical kernels: observed choices gain mass, probabilities sum to 1', () => {
  const parzen = new ParzenMixture([new CategoricalKernels([2, 2, 2, 0], 4, 1)], 4, 1);
  const p = [0, 1, 2, 3].map((c) => Math.exp(parzen.logDensity([c])));
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  assert.ok(p[2] > p[0] && p[0] > p[1] && Math.abs(p[1] - p[3]) < 1e-12);
  const counts = [0, 0, 0, 0];
  for (const [c] of parzen.sample(new Random(1), 4000)) counts[c]++;
  for (let c = 0; c < 4; c++) assert.ok(Math.abs(counts[c] / 4000 - p[c]) < 0.03, `choice ${c}: ${counts[c] / 4000} vs ${p[c]}`);
});

test('a multivariate mixture is a product over dimensions: it integrates to 1 on the square', () => {
  const points = [[0.2, 0.7], [0.25, 0.75], [0.8, 0.1]];
  const dims = [0, 1].map((d) => {
    const mus = points.map((p) => p[d]);
    return new NumericKernels([...mus, 0.5], [...bandwidths(mus, settings), 1]);
  });
  const parzen = new ParzenMixture(dims, points.length, 1);
  let integral = 0;
  const steps = 300;
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < steps; j++) integral += Math.exp(parzen.logDensity([(i + 0.5) / steps, (j + 0.5) / steps])) / steps ** 2;
  }
  assert.ok(Math.abs(integral - 1) < 1e-3, `integral ${integral}`);
  assert.ok(parzen.logDensity([0.22, 0.72]) > parzen.logDensity([0.22, 0.1]), 'the joint mode, not the marginal one');
});

test("bandwidths follow Optuna's neighbour rule with the magic clip", () => {
  // sorted 0 | .1 .3 .7 | 1: inner points take the larger gap, the extremes the gap inward
  const sigmas = bandwidths([0.7, 0.1, 0.3], { priorWeight: 1, considerMagicClip: false });
  assert.deepEqual(sigmas.map((x) => Number(x.toFixed(12))), [0.4, 0.2, 0.4]);
  assert.deepEqual(bandwidths([0.5, 0.5, 0.5], settings), [0.2, 0.2, 0.2], 'clipped at 1/min(100, n+2)');
});

test('Optuna defaults: gamma is 10 % up to 25, old observations ramp up to weight 1', () => {
  assert.deepEqual([1, 10, 11, 100, 300].map(defaultGamma), [1, 1, 2, 10, 25]);
  assert.deepEqual(observationWeights(3), [1, 1, 1]);
  const w = observationWeights(30);
  assert.equal(w.length, 30);
  assert.ok(Math.abs(w[0] - 1 / 30) < 1e-12 && w[4] === 1 && w[29] === 1);
  assert.ok(w[1] > w[0] && w[3] > w[2]);
});
