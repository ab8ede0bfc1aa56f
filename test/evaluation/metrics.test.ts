import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accuracy,
  argmaxRows,
  balancedAccuracy,
  classificationReport,
  higherIsBetter,
  logLoss,
  mae,
  r2,
  regressionReport,
  rmse,
} from '../../src/evaluation/metrics.ts';
import { averageRanks, binaryRocAuc, macroOvrRocAuc } from '../../src/evaluation/roc-auc.ts';

const close = (actual: number, expected: number, tol = 1e-12) =>
  assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);

const i32 = (xs: number[]) => Int32Array.from(xs);

test('accuracy and balanced accuracy match the scikit-learn docstring examples', () => {
  assert.equal(accuracy(i32([0, 2, 1, 3]), i32([0, 1, 2, 3])), 0.5);
  assert.equal(balancedAccuracy(i32([0, 1, 0, 0, 1, 0]), i32([0, 1, 0, 0, 0, 1])), 0.625);
});

test('balanced accuracy averages recall over classes present in y_true only', () => {
  // class 2 is predicted but never true: it must not enter the mean
  assert.equal(balancedAccuracy(i32([0, 0, 1, 1]), i32([0, 2, 1, 1])), (0.5 + 1) / 2);
  assert.ok(Number.isNaN(balancedAccuracy(i32([]), i32([]))));
});

test('log loss matches scikit-learn and clips hard zeros', () => {
  // log_loss(["spam","ham","ham","spam"], [[.1,.9],[.9,.1],[.8,.2],[.35,.65]]) = 0.21616...
  const proba = Float32Array.from([0.1, 0.9, 0.9, 0.1, 0.8, 0.2, 0.35, 0.65]);
  close(logLoss(i32([1, 0, 0, 1]), proba, 2), 0.21616187468057912, 1e-7);
  // a certain mistake costs -log(1e-15), not infinity
  close(logLoss(i32([0]), Float32Array.from([0, 1]), 2), -Math.log(1e-15), 1e-9);
});

test('binary ROC AUC matches scikit-learn and counts ties as one half', () => {
  close(binaryRocAuc([false, false, true, true], [0.1, 0.4, 0.35, 0.8]), 0.75);
  close(binaryRocAuc([false, true], [0.5, 0.5]), 0.5);
  close(binaryRocAuc([false, false, true], [0.2, 0.7, 0.7]), 0.75);
  assert.ok(Number.isNaN(binaryRocAuc([true, true], [0.1, 0.2])));
});

test('average ranks give tied values their mean rank', () => {
  assert.deepEqual(Array.from(averageRanks([10, 20, 10, 30])), [1.5, 3, 1.5, 4]);
});

test('macro one-vs-rest ROC AUC matches a hand count of pairs', () => {
  const y = i32([0, 1, 2, 2, 1, 0]);
  const p = [0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.3, 0.4, 0.3, 0.3, 0.4, 0.5, 0.5, 0];
  // per class, counting (positive, negative) pairs by hand: 1.0, 0.625, 0.9375
  const result = macroOvrRocAuc(y, p, 3);
  close(result.value, (1 + 0.625 + 0.9375) / 3);
  assert.deepEqual(result.skippedClasses, []);
});

test('macro ROC AUC skips and reports classes absent from the fold', () => {
  const y = i32([0, 0, 1, 1]);
  const p = [0.9, 0.1, 0, 0.6, 0.4, 0, 0.3, 0.7, 0, 0.2, 0.8, 0];
  const result = macroOvrRocAuc(y, p, 3);
  assert.equal(result.value, 1);
  assert.deepEqual(result.skippedClasses, [2]);
});

test('for two classes the macro AUC equals the binary AUC of the positive class', () => {
  const y = i32([0, 0, 1, 1, 1, 0]);
  const p1 = [0.1, 0.4, 0.35, 0.8, 0.4, 0.9];
  const proba = p1.flatMap((q) => [1 - q, q]);
  close(macroOvrRocAuc(y, proba, 2).value, binaryRocAuc(Array.from(y, (c) => c === 1), p1));
});

test('classification report combines all four metrics', () => {
  const y = i32([0, 1, 2, 2, 1, 0]);
  const p = Float32Array.from([0.6, 0.3, 0.1, 0.2, 0.5, 0.3, 0.1, 0.3, 0.6, 0.3, 0.3, 0.4, 0.3, 0.3, 0.4, 0.5, 0.5, 0]);
  assert.deepEqual(Array.from(argmaxRows(p, 3)), [0, 1, 2, 2, 2, 0]);
  const report = classificationReport(y, p, 3);
  close(report.metrics.accuracy, 5 / 6);
  close(report.metrics.balancedAccuracy, (1 + 0.5 + 1) / 3);
  close(report.metrics.logLoss, 0.7547015241419938, 1e-6);
  close(report.metrics.rocAuc, 0.8541666666666666);
});

test('regression metrics match the scikit-learn docstring examples', () => {
  const yTrue = [3, -0.5, 2, 7];
  const yPred = [2.5, 0.0, 2, 8];
  close(mae(yTrue, yPred), 0.5);
  close(rmse(yTrue, yPred), Math.sqrt(0.375));
  close(r2(yTrue, yPred), 0.9486081370449679);
  assert.deepEqual(Object.keys(regressionReport(yTrue, yPred)).sort(), ['mae', 'r2', 'rmse']);
});

test('R² of a constant target follows force_finite: 1 when exact, 0 otherwise', () => {
  assert.equal(r2([-2, -2, -2], [-2, -2, -2]), 1);
  assert.equal(r2([-2, -2, -2], [-2, -2, -2 + 1e-8]), 0);
  close(r2([1, 2, 3], [2, 2, 2]), 0);
});

test('higherIsBetter negates minimised metrics only', () => {
  assert.equal(higherIsBetter('logLoss', 0.3), -0.3);
  assert.equal(higherIsBetter('rmse', 2), -2);
  assert.equal(higherIsBetter('balancedAccuracy', 0.7), 0.7);
});

test('mismatched lengths are an error, not a silent truncation', () => {
  assert.throws(() => accuracy(i32([0, 1]), i32([0])), RangeError);
  assert.throws(() => logLoss(i32([0, 1]), [0.5, 0.5], 2), RangeError);
});
