/** One-nearest-neighbour classifier and regressor (Euclidean distance, brute force). */
import type { DesignMatrix } from '../design.ts';
import { nearestNeighbors, type Classifier, type Regressor } from './learner.ts';

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
 * earliest row); mostly-zero data is faster fold by fold with sparse dot products.
 * @param x - design matrix of the sample
 * @param y - class of each row
 * @param folds - test fold of each row
 * @returns the accuracy of each fold, in fold order (empty folds skipped)
 */
export function crossValidatedNearestNeighbor(x: DesignMatrix, y: Int32Array, folds: Int32Array): number[] {
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
  for (let i = 0; i < n; i++) {
    const a = i * p;
    let j = i + 1;
    // Four candidate rows at a time: each value of row i is loaded once for four distances (every
    // distance is still summed over k in order, so the sums are bit-identical to one at a time).
    for (; j + 3 < n; j += 4) {
      const b0 = j * p;
      const b1 = b0 + p;
      const b2 = b1 + p;
      const b3 = b2 + p;
      let d0 = 0;
      let d1 = 0;
      let d2 = 0;
      let d3 = 0;
      for (let k = 0; k < p; k++) {
        const v = data[a + k];
        const t0 = v - data[b0 + k];
        const t1 = v - data[b1 + k];
        const t2 = v - data[b2 + k];
        const t3 = v - data[b3 + k];
        d0 += t0 * t0;
        d1 += t1 * t1;
        d2 += t2 * t2;
        d3 += t3 * t3;
      }
      update(i, j, d0);
      update(i, j + 1, d1);
      update(i, j + 2, d2);
      update(i, j + 3, d3);
    }
    for (; j < n; j++) {
      if (folds[i] === folds[j]) continue;
      const b = j * p;
      let d = 0;
      for (let k = 0; k < p; k++) {
        const t = data[a + k] - data[b + k];
        d += t * t;
      }
      update(i, j, d);
    }
  }
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
