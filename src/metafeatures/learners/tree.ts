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
  /**
   * Per column, 1 when every two consecutive sorted values are more than the split threshold
   * (1e-7) apart: then every cut between two rows of any subset is a candidate split, and the
   * split scan need not read the values.
   */
  readonly separated: Uint8Array;
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
  const separated = new Uint8Array(x.nCols);
  for (let j = 0; j < x.nCols; j++) {
    for (let i = 0; i < n; i++) values[j * n + i] = x.data[i * x.nCols + j];
    const column = values.subarray(j * n, (j + 1) * n);
    const order = argsort(column);
    orders.push(order);
    separated[j] = 1;
    for (let k = 0; k + 1 < n; k++) {
      // The scan's own test: a subset's consecutive values are at least this far apart.
      if (column[order[k + 1]] <= column[order[k]] + FEATURE_THRESHOLD) {
        separated[j] = 0;
        break;
      }
    }
  }
  return { values, orders, separated };
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
    const grower = new Grower(this.sorted.values, x.nRows, y, this.nClasses, features, lists, entropyTables(rows.length), this.sorted.separated);
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

/** Each allowed feature's sorted list restricted to the training rows (branch-free filter). */
function trainingLists(orders: readonly Int32Array[], features: readonly number[], rows: Int32Array, nRows: number): Int32Array[] {
  const inTrain = new Uint8Array(nRows);
  for (let k = 0; k < rows.length; k++) inTrain[rows[k]] = 1;
  return features.map((f) => {
    const order = orders[f];
    const list = new Int32Array(rows.length + 1); // one slot of slack for the last write
    let k = 0;
    for (let i = 0; i < order.length; i++) {
      const r = order[i];
      list[k] = r;
      k += inTrain[r];
    }
    return list.subarray(0, rows.length);
  });
}

/** c log c for c = 0..n, and its forward differences (the change of Σ c log c when a count grows by one). */
interface EntropyTables {
  readonly xlogx: Float64Array;
  /** step[c] = xlogx[c + 1] − xlogx[c]. */
  readonly step: Float64Array;
}

function entropyTables(n: number): EntropyTables {
  const xlogx = Float64Array.from({ length: n + 1 }, (_, i) => (i > 0 ? i * Math.log(i) : 0));
  const step = new Float64Array(n + 1);
  for (let c = 0; c < n; c++) step[c] = xlogx[c + 1] - xlogx[c];
  return { xlogx, step };
}

/** The split search and partition over the segment lists. */
class Grower {
  private readonly goesLeft: Uint8Array;
  private readonly buffer: Int32Array;
  /** Class counts left of the scanned cut (scratch of bestSplit). */
  private readonly left: Int32Array;
  private readonly total: Int32Array;
  /** The cut a scan found (valid when it returned true). */
  private cutCost = 0;
  private cutThreshold = 0;
  private cutLeftSize = 0;

  constructor(
    private readonly values: Float64Array,
    private readonly nRows: number,
    private readonly y: Int32Array,
    private readonly nClasses: number,
    private readonly features: readonly number[],
    private readonly lists: Int32Array[],
    private readonly tables: EntropyTables,
    private readonly separated: Uint8Array,
  ) {
    this.goesLeft = new Uint8Array(nRows);
    this.buffer = new Int32Array(lists.length > 0 ? lists[0].length : 0);
    this.left = new Int32Array(nClasses);
    this.total = new Int32Array(nClasses);
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
    const total = this.total;
    total.fill(0);
    const y = this.y;
    const first = this.lists[0];
    for (let k = start; k < end; k++) total[y[first[k]]]++;
    let sumTotal = 0;
    for (let c = 0; c < this.nClasses; c++) sumTotal += this.tables.xlogx[total[c]];
    for (let fi = 0; fi < this.features.length; fi++) {
      const base = this.features[fi] * this.nRows; // the column starts here in `values`
      const list = this.lists[fi];
      if (this.values[base + list[end - 1]] <= this.values[base + list[start]] + FEATURE_THRESHOLD) continue; // constant in this node
      const better = this.separated[this.features[fi]]
        ? this.scanSeparated(base, list, start, end, sumTotal, bestCost)
        : this.scanFeature(base, list, start, end, sumTotal, bestCost);
      if (better) {
        bestCost = this.cutCost;
        bestFeature = fi;
        bestThreshold = this.cutThreshold;
        bestLeftSize = this.cutLeftSize;
      }
    }
    return bestFeature < 0 ? null : { feature: this.features[bestFeature], threshold: bestThreshold, leftSize: bestLeftSize };
  }

  /**
   * Scans one feature's segment for a cut cheaper than `bestCost` − 1e-12 (the first such best
   * cut). Σ c log c of each side is updated incrementally: left += step[l] as a count l grows,
   * right −= step[r − 1] as a count r shrinks (= xlogx[r − 1] − xlogx[r], the same number).
   */
  private scanFeature(base: number, list: Int32Array, start: number, end: number, sumTotal: number, bestCost: number): boolean {
    const left = this.left;
    const total = this.total;
    const values = this.values;
    const y = this.y;
    const { xlogx, step } = this.tables;
    for (let c = 0; c < left.length; c++) left[c] = 0;
    const n = end - start;
    let found = false;
    let cost = bestCost;
    let threshold = 0;
    let leftSize = 0;
    let sumLeft = 0; // Σ c log c over left counts
    let sumRight = sumTotal;
    let v = values[base + list[start]];
    for (let k = start; k < end - 1; k++) {
      const c = y[list[k]];
      const l = left[c];
      sumLeft += step[l];
      sumRight -= step[total[c] - l - 1];
      left[c] = l + 1;
      const next = values[base + list[k + 1]];
      if (next <= v + FEATURE_THRESHOLD) {
        v = next;
        continue;
      }
      const nLeft = k - start + 1;
      // n · weighted child entropy (nats) = nL log nL − Σ cL log cL + nR log nR − Σ cR log cR
      const candidate = xlogx[nLeft] - sumLeft + xlogx[n - nLeft] - sumRight;
      if (candidate < cost - 1e-12) {
        found = true;
        cost = candidate;
        threshold = (v + next) / 2;
        if (threshold === next) threshold = v;
        leftSize = nLeft;
      }
      v = next;
    }
    if (!found) return false;
    this.cutCost = cost;
    this.cutThreshold = threshold;
    this.cutLeftSize = leftSize;
    return true;
  }

  /**
   * {@link scanFeature} for a separated column (no two values within the threshold): every cut is
   * a candidate, so the values are read only to place the threshold of a better cut. Same sums,
   * same comparisons, same result.
   */
  private scanSeparated(base: number, list: Int32Array, start: number, end: number, sumTotal: number, bestCost: number): boolean {
    const left = this.left;
    const total = this.total;
    const y = this.y;
    const { xlogx, step } = this.tables;
    for (let c = 0; c < left.length; c++) left[c] = 0;
    const n = end - start;
    let cost = bestCost;
    let leftSize = 0;
    let sumLeft = 0;
    let sumRight = sumTotal;
    for (let k = start; k < end - 1; k++) {
      const c = y[list[k]];
      const l = left[c];
      sumLeft += step[l];
      sumRight -= step[total[c] - l - 1];
      left[c] = l + 1;
      const nLeft = k - start + 1;
      const candidate = xlogx[nLeft] - sumLeft + xlogx[n - nLeft] - sumRight;
      if (candidate < cost - 1e-12) {
        cost = candidate;
        leftSize = nLeft;
      }
    }
    if (leftSize === 0) return false;
    const v = this.values[base + list[start + leftSize - 1]];
    const next = this.values[base + list[start + leftSize]];
    let threshold = (v + next) / 2;
    if (threshold === next) threshold = v;
    this.cutCost = cost;
    this.cutThreshold = threshold;
    this.cutLeftSize = leftSize;
    return true;
  }

  /**
   * Stable partition of every list's segment into the rows going left, then right (branch-free:
   * each row is written to both the left cursor and the right buffer, one of the two cursors
   * moves). When the children are leaves (`leavesOnly`) only the first list is partitioned: a
   * leaf just counts its classes, over that list.
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
        const g = goesLeft[r];
        list[l] = r; // l ≤ k: never a position still to be read
        buffer[b] = r;
        l += g;
        b += 1 - g;
      }
      for (let k = 0; k < b; k++) list[l + k] = buffer[k]; // no subarray view per list and node
    }
  }
}
