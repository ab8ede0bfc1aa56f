import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianDistance, residualCorrection } from '../../src/metamodel/residual-gp.ts';

const point = (...xs: number[]) => Float64Array.from(xs);

test('residual GP: interpolates near evaluations, returns to the prior far from them', () => {
  const observed = [point(0, 0), point(1, 0)];
  const settings = { lengthscale: 0.5, signalStd: 0.2, noiseShare: 1e-6 };
  const gp = residualCorrection(observed, [0.1, -0.05], [point(0, 0), point(1, 0), point(10, 10), point(0.5, 0)], settings);
  assert.ok(Math.abs(gp.mean[0] - 0.1) < 1e-4);
  assert.ok(Math.abs(gp.mean[1] + 0.05) < 1e-4);
  assert.ok(gp.variance[0] < 1e-5 && gp.variance[1] < 1e-5);
  assert.ok(Math.abs(gp.mean[2]) < 1e-12);
  assert.ok(Math.abs(gp.variance[2] - 0.04) < 1e-12);
  assert.ok(gp.variance[3] > gp.variance[0] && gp.variance[3] < 0.04);
  // Noise shrinks the fit towards zero.
  const noisy = residualCorrection(observed, [0.1, -0.05], [point(0, 0)], { ...settings, noiseShare: 1 });
  assert.ok(noisy.mean[0] > 0 && noisy.mean[0] < 0.1);
});

test('median distance of a point set; 1 when there is none', () => {
  assert.equal(medianDistance([point(0), point(1), point(3)]), 2);
  assert.equal(medianDistance([point(0)]), 1);
});
