/**
 * Decision trees with the entropy criterion, grown on presorted columns (each node is a segment
 * of every column's sorted row list, partitioned stably after a split), as scikit-learn's
 * `DecisionTreeClassifier(criterion='entropy')`: thresholds half-way between consecutive distinct
 * values (gaps ≤ 1e-7 are not split), minimum one row per leaf, a node splits whenever some
 * feature varies in it, until it is pure or `maxDepth` is reached. Features are tried in column
 * order and the first best split wins (scikit-learn draws the order at random).
 */
import type { DesignMatrix } from '../design.ts';
import { argmax, type Classifier } from './learner.ts';

const FEATURE_THRESHOLD = 1e-7;

/** The sample's columns, each stored contiguously, with their rows sorted by value. */
export interface SortedColumns {
  /** Column-major copy of the design matrix: value of row r in column j at `values[j * nRows + r]`. */
  readonly values: Float64Array;
  /** Per column, the rows in ascending order of value (ties by row). */
  readonly orders: readonly Int32Array[];
}

/**
 * Sorts every column once per sample; all folds and trees share the result.
 * @param x - the design matrix
 * @returns the column-major values and one ascending row list per column
 */
export function presortColumns(x: DesignMatrix): SortedColumns {
  const n = x.nRows;
  const values = new Float64Array(n * x.nCols);
  const orders: Int32Array[] = [];
  for (let j = 0; j < x.nCols; j++) {
    for (let i = 0; i < n; i++) values[j * n + i] = x.data[i * x.nCols + j];
    orders.push(argsort(values.subarray(j * n, (j + 1) * n)));
  }
  return { values, orders };
}

/**
 * Indices that sort `keys` ascending, equal keys by index. Uses the native numeric sort and a
 * binary search per key instead of a comparator callback (several times faster).
 */
function argsort(keys: Float64Array): Int32Array {
  const n = keys.length;
  const sorted = keys.slice().sort();
  const used = new Int32Array(n);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = keys[i];
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < v) lo = mid + 1;
      else hi = mid;
    }
    order[lo + used[lo]++] = i;
  }
  return order;
}

/** Options of {@link DecisionTree}. */
export interface TreeOptions {
  /** Deepest level that may split; Infinity for a full tree, 1 for a stump. */
  readonly maxDepth: number;
  /** Columns the tree may split on; default all. */
  readonly features?: readonly number[];
}

interface Split {
  readonly feature: number;
  readonly threshold: number;
  readonly leftSize: number;
}

/** An entropy decision tree classifier. */
export class DecisionTree implements Classifier {
  private feature: number[] = [];
  private threshold: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private label: number[] = [];

  constructor(private readonly nClasses: number, private readonly sorted: SortedColumns, private readonly options: TreeOptions) {}

  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    this.feature = [];
    this.threshold = [];
    this.left = [];
    this.right = [];
    this.label = [];
    const features = this.options.features ?? this.sorted.orders.map((_, j) => j);
    const lists = trainingLists(this.sorted.orders, features, rows, x.nRows);
    const xlogx = Float64Array.from({ length: rows.length + 1 }, (_, i) => (i > 0 ? i * Math.log(i) : 0));
    const grower = new Grower(this.sorted.values, x.nRows, y, this.nClasses, features, lists, xlogx);
    const stack: { node: number; start: number; end: number; depth: number }[] = [];
    stack.push({ node: this.addNode(), start: 0, end: rows.length, depth: 0 });
    while (stack.length > 0) {
      const { node, start, end, depth } = stack.pop()!;
      const counts = grower.classCounts(start, end);
      this.label[node] = argmax(counts);
      const pure = counts[this.label[node]] === end - start;
      const split = pure || depth >= this.options.maxDepth ? null : grower.bestSplit(start, end);
      if (split === null) continue;
      grower.partition(start, end, split, depth + 1 >= this.options.maxDepth);
      this.feature[node] = split.feature;
      this.threshold[node] = split.threshold;
      this.left[node] = this.addNode();
      this.right[node] = this.addNode();
      stack.push({ node: this.right[node], start: start + split.leftSize, end, depth: depth + 1 });
      stack.push({ node: this.left[node], start, end: start + split.leftSize, depth: depth + 1 });
    }
  }

  predict(x: DesignMatrix, rows: Int32Array): Int32Array {
    return rows.map((r) => {
      let node = 0;
      while (this.feature[node] >= 0) {
        node = x.data[r * x.nCols + this.feature[node]] <= this.threshold[node] ? this.left[node] : this.right[node];
      }
      return this.label[node];
    });
  }

  private addNode(): number {
    this.feature.push(-1);
    this.threshold.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.label.push(0);
    return this.feature.length - 1;
  }
}

/** Each allowed feature's sorted list restricted to the training rows. */
function trainingLists(orders: readonly Int32Array[], features: readonly number[], rows: Int32Array, nRows: number): Int32Array[] {
  const inTrain = new Uint8Array(nRows);
  for (const r of rows) inTrain[r] = 1;
  return features.map((f) => {
    const list = new Int32Array(rows.length);
    let k = 0;
    for (const r of orders[f]) if (inTrain[r]) list[k++] = r;
    return list;
  });
}

/** The split search and partition over the segment lists. */
class Grower {
  private readonly goesLeft: Uint8Array;
  private readonly buffer: Int32Array;
  /** Class counts left and right of the scanned cut (scratch of bestSplit). */
  private readonly left: Int32Array;
  private readonly right: Int32Array;

  constructor(
    private readonly values: Float64Array,
    private readonly nRows: number,
    private readonly y: Int32Array,
    private readonly nClasses: number,
    private readonly features: readonly number[],
    private readonly lists: Int32Array[],
    private readonly xlogx: Float64Array,
  ) {
    this.goesLeft = new Uint8Array(nRows);
    this.buffer = new Int32Array(lists.length > 0 ? lists[0].length : 0);
    this.left = new Int32Array(nClasses);
    this.right = new Int32Array(nClasses);
  }

  classCounts(start: number, end: number): Int32Array {
    const counts = new Int32Array(this.nClasses);
    const list = this.lists[0];
    for (let k = start; k < end; k++) counts[this.y[list[k]]]++;
    return counts;
  }

  /** The split with the lowest weighted child entropy, or null when no feature varies. */
  bestSplit(start: number, end: number): Split | null {
    let bestFeature = -1;
    let bestThreshold = 0;
    let bestLeftSize = 0;
    let bestCost = Infinity;
    const nClasses = this.nClasses;
    const total = this.classCounts(start, end);
    const n = end - start;
    const left = this.left;
    const right = this.right;
    const values = this.values;
    const y = this.y;
    const xlogx = this.xlogx;
    for (let fi = 0; fi < this.features.length; fi++) {
      const base = this.features[fi] * this.nRows; // the column starts here in `values`
      const list = this.lists[fi];
      if (values[base + list[end - 1]] <= values[base + list[start]] + FEATURE_THRESHOLD) continue; // constant in this node
      let sumLeft = 0; // Σ c log c over left counts
      let sumRight = 0;
      for (let c = 0; c < nClasses; c++) {
        left[c] = 0;
        right[c] = total[c];
        sumRight += xlogx[right[c]];
      }
      let v = values[base + list[start]];
      for (let k = start; k < end - 1; k++) {
        const c = y[list[k]];
        const l = left[c];
        const r = right[c];
        sumLeft += xlogx[l + 1] - xlogx[l];
        sumRight += xlogx[r - 1] - xlogx[r];
        left[c] = l + 1;
        right[c] = r - 1;
        const next = values[base + list[k + 1]];
        if (next <= v + FEATURE_THRESHOLD) {
          v = next;
          continue;
        }
        const nLeft = k - start + 1;
        const nRight = n - nLeft;
        // n · weighted child entropy (nats) = nL log nL − Σ cL log cL + nR log nR − Σ cR log cR
        const cost = xlogx[nLeft] - sumLeft + xlogx[nRight] - sumRight;
        if (cost < bestCost - 1e-12) {
          bestCost = cost;
          let threshold = (v + next) / 2;
          if (threshold === next) threshold = v;
          bestFeature = fi;
          bestThreshold = threshold;
          bestLeftSize = nLeft;
        }
        v = next;
      }
    }
    return bestFeature < 0 ? null : { feature: this.features[bestFeature], threshold: bestThreshold, leftSize: bestLeftSize };
  }

  /**
   * Stable partition of every list's segment into the rows going left, then right. When the
   * children are leaves (`leavesOnly`) only the first list is partitioned: a leaf just counts its
   * classes, over that list.
   */
  partition(start: number, end: number, split: Split, leavesOnly: boolean): void {
    const f = split.feature;
    const pivot = this.lists[this.features.indexOf(f)];
    const base = f * this.nRows;
    const goesLeft = this.goesLeft;
    const buffer = this.buffer;
    for (let k = start; k < end; k++) {
      const r = pivot[k];
      goesLeft[r] = this.values[base + r] <= split.threshold ? 1 : 0;
    }
    for (let fi = 0; fi < (leavesOnly ? 1 : this.lists.length); fi++) {
      const list = this.lists[fi];
      let l = start;
      let b = 0;
      for (let k = start; k < end; k++) {
        const r = list[k];
        if (goesLeft[r]) list[l++] = r;
        else buffer[b++] = r;
      }
      for (let k = 0; k < b; k++) list[l + k] = buffer[k];
    }
  }
}
