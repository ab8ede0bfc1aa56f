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
