/** One-nearest-neighbour classifier and regressor (Euclidean distance, brute force). */
import type { DesignMatrix } from '../design.ts';
import { nearestNeighbors, type Classifier, type Regressor } from './learner.ts';
import { simdKernels } from '../simd-kernels.ts';

/** 1-NN classifier: predicts the class of the nearest training row. */
export class OneNearestNeighborClassifier implements Classifier {
  private train: Int32Array = new Int32Array(0);
  private labels: Int32Array = new Int32Array(0);

  fit(_x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    this.train = rows;
    this.labels = y;
  }

  predict(x: DesignMatrix, rows: Int32Array): Int32Array {
    const nn = nearestNeighbors(x, this.train, rows);
    return nn.map((k) => this.labels[this.train[k]]);
  }
}

/** 1-NN regressor: predicts the target of the nearest training row. */
export class OneNearestNeighborRegressor implements Regressor {
  private train: Int32Array = new Int32Array(0);
  private targets: Float64Array = new Float64Array(0);

  fit(_x: DesignMatrix, y: Float64Array, rows: Int32Array): void {
    this.train = rows;
    this.targets = y;
  }

  predict(x: DesignMatrix, rows: Int32Array): Float64Array {
    const nn = nearestNeighbors(x, this.train, rows);
    return Float64Array.from(nn, (k) => this.targets[this.train[k]]);
  }
}

/**
 * Cross-validated 1-NN in one symmetric pass: every pair of rows in different folds is measured
 * once and serves both rows as queries, half the work of fitting fold by fold. For dense data the
 * result is identical to {@link OneNearestNeighborClassifier} per fold (same sums, ties to the
 * earliest row); mostly-zero data is faster fold by fold with sparse dot products. The distances
 * come from the WebAssembly SIMD kernel where available ({@link simdKernels}: the same
 * sums, lane by lane), else from scalar loops.
 * @param x - design matrix of the sample
 * @param y - class of each row
 * @param folds - test fold of each row
 * @returns the accuracy of each fold, in fold order (empty folds skipped)
 */
export function crossValidatedNearestNeighbor(x: DesignMatrix, y: Int32Array, folds: Int32Array): number[] {
  const n = x.nRows;
  const nearest = nearestWithKernel(x, folds) ?? nearestAcrossFolds(x, folds);
  const k = folds.reduce((m, f) => Math.max(m, f), 0) + 1;
  const correct = new Float64Array(k);
  const size = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    size[folds[i]]++;
    if (nearest[i] >= 0 && y[nearest[i]] === y[i]) correct[folds[i]]++;
  }
  const out: number[] = [];
  for (let f = 0; f < k; f++) if (size[f] > 0 && size[f] < n) out.push(correct[f] / size[f]);
  return out;
}

/**
 * For each row, its nearest row in another fold (−1 when none; ties to the earliest row), by
 * scalar loops (the path without WebAssembly SIMD).
 */
export function nearestAcrossFolds(x: DesignMatrix, folds: Int32Array): Int32Array {
  const n = x.nRows;
  const p = x.nCols;
  const data = x.data;
  const best = new Float64Array(n).fill(Infinity);
  const nearest = new Int32Array(n).fill(-1);
  const update = (i: number, j: number, d: number) => {
    // j > i: for row i, j comes later (strict <); for row j, i is the earliest so far (strict < too,
    // since rows are visited in increasing i).
    if (folds[i] === folds[j]) return;
    if (d < best[i]) {
      best[i] = d;
      nearest[i] = j;
    }
    if (d < best[j]) {
      best[j] = d;
      nearest[j] = i;
    }
  };
  const rowI = new Float64Array(n); // distances of rows i and i + 1 to the later rows
  const rowI1 = new Float64Array(n);
  let i = 0;
  // Two query rows against four candidate rows at a time: each loaded value serves several
  // distances (every distance is still summed over k in order, so the sums are bit-identical to
  // one pair at a time). Updates keep the one-pair-at-a-time order: i ascending, then j ascending.
  for (; i + 1 < n; i += 2) {
    const a0 = i * p;
    const a1 = a0 + p;
    const i1 = i + 1;
    // The pair (i, i + 1) first: it precedes every j ≥ i + 2 for row i.
    let d = 0;
    for (let k = 0; k < p; k++) {
      const t = data[a0 + k] - data[a1 + k];
      d += t * t;
    }
    update(i, i1, d);
    let j = i + 2;
    for (; j + 3 < n; j += 4) {
      const b0 = j * p;
      const b1 = b0 + p;
      const b2 = b1 + p;
      const b3 = b2 + p;
      let d00 = 0;
      let d01 = 0;
      let d02 = 0;
      let d03 = 0;
      let d10 = 0;
      let d11 = 0;
      let d12 = 0;
      let d13 = 0;
      for (let k = 0; k < p; k++) {
        const u = data[a0 + k];
        const v = data[a1 + k];
        const w0 = data[b0 + k];
        const w1 = data[b1 + k];
        const w2 = data[b2 + k];
        const w3 = data[b3 + k];
        let t = u - w0;
        d00 += t * t;
        t = u - w1;
        d01 += t * t;
        t = u - w2;
        d02 += t * t;
        t = u - w3;
        d03 += t * t;
        t = v - w0;
        d10 += t * t;
        t = v - w1;
        d11 += t * t;
        t = v - w2;
        d12 += t * t;
        t = v - w3;
        d13 += t * t;
      }
      rowI[j] = d00;
      rowI[j + 1] = d01;
      rowI[j + 2] = d02;
      rowI[j + 3] = d03;
      rowI1[j] = d10;
      rowI1[j + 1] = d11;
      rowI1[j + 2] = d12;
      rowI1[j + 3] = d13;
    }
    for (; j < n; j++) {
      const b = j * p;
      let e0 = 0;
      let e1 = 0;
      for (let k = 0; k < p; k++) {
        const t0 = data[a0 + k] - data[b + k];
        const t1 = data[a1 + k] - data[b + k];
        e0 += t0 * t0;
        e1 += t1 * t1;
      }
      rowI[j] = e0;
      rowI1[j] = e1;
    }
    for (let jj = i + 2; jj < n; jj++) update(i, jj, rowI[jj]);
    for (let jj = i + 2; jj < n; jj++) update(i1, jj, rowI1[jj]);
  }
  for (; i < n; i++) {
    const a = i * p;
    for (let j = i + 1; j < n; j++) {
      const b = j * p;
      let d = 0;
      for (let k = 0; k < p; k++) {
        const t = data[a + k] - data[b + k];
        d += t * t;
      }
      update(i, j, d);
    }
  }
  return nearest;
}

/**
 * {@link nearestAcrossFolds} with the distances of row i to the rows after it from the SIMD kernel,
 * then the same updates: pairs by increasing i, then j, each row's candidates in increasing
 * order, a strictly smaller distance replacing the best (ties to the earliest row).
 * @returns the nearest rows, or null without the kernel or for a matrix too large for it
 */
function nearestWithKernel(x: DesignMatrix, folds: Int32Array): Int32Array | null {
  const n = x.nRows;
  const p = x.nCols;
  const stride = Math.ceil(n / 8) * 8 + 8; // whole blocks of eight candidates from any start
  // Doubles: the two queries, the candidates coordinate-major, the two distance rows, each row's
  // best distance, then each row's nearest row and fold (32-bit integers, n doubles for both).
  const size = 2 * p + p * stride + 2 * stride + 2 * n;
  const kernel = simdKernels(size);
  if (kernel === null) return null;
  const mem = kernel.memory;
  const [q0, q1, xt, out0, out1] = [0, p, 2 * p, 2 * p + p * stride, 2 * p + p * stride + stride];
  const bestAt = out1 + stride;
  const nearestAt = bestAt + n;
  const best = mem.subarray(bestAt, bestAt + n).fill(Infinity);
  const nearest = new Int32Array(mem.buffer, 8 * nearestAt, n).fill(-1);
  const foldsOf = new Int32Array(mem.buffer, 8 * nearestAt + 4 * n, n);
  foldsOf.set(folds);
  const data = x.data;
  for (let j = 0; j < n; j++) for (let k = 0; k < p; k++) mem[xt + k * stride + j] = data[j * p + k];
  const update = (i: number, out: number) => kernel.nearestUpdate(i, 8 * out, n, foldsOf.byteOffset, best.byteOffset, nearest.byteOffset);
  // Rows i and i + 1 against the rows after i in one kernel call; then the updates of row i,
  // then of row i + 1 (its distance to itself, at j = i + 1, is not read) — `nearestUpdate`:
  // pairs by increasing i, then j, a strictly smaller distance replacing the best (ties to the
  // earliest row), as the scalar path. (With n odd, the last row has no later rows: it is only
  // ever a candidate.)
  for (let i = 0; i + 1 < n; i += 2) {
    for (let k = 0; k < p; k++) {
      mem[q0 + k] = data[i * p + k];
      mem[q1 + k] = data[(i + 1) * p + k];
    }
    kernel.sqdist(8 * q0, 8 * q1, 8 * xt, stride, p, i + 1, n, 8 * out0, 8 * out1);
    update(i, out0);
    update(i + 1, out1);
  }
  return nearest.slice();
}
