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
import { FEATURE_THRESHOLD, Grower } from './tree-grower.ts';
import { toColumnMajor } from './gram.ts';
import { SortScratch, argsort } from '../sort.ts';


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
  const values = toColumnMajor(x.data, n, x.nCols).values;
  const orders: Int32Array[] = [];
  const separated = new Uint8Array(x.nCols);
  const scratch = new SortScratch(); // one set of work arrays for every column
  for (let j = 0; j < x.nCols; j++) {
    const column = values.subarray(j * n, (j + 1) * n);
    const order = argsort(column, scratch);
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


/** Options of {@link DecisionTree}. */
export interface TreeOptions {
  /** Deepest level that may split; Infinity for a full tree, 1 for a stump. */
  readonly maxDepth: number;
  /** Columns the tree may split on; default all. */
  readonly features?: readonly number[];
  /**
   * Shares fits between trees over all columns: a full tree records itself, and a depth-limited
   * one on the same training rows is read off the full tree's first levels instead of grown.
   */
  readonly memo?: TreeMemo;
}

/**
 * Full trees over all columns by their training rows. A tree limited to depth d is the same as
 * the full tree on the same rows cut at depth d: the nodes down to depth d get the same lists,
 * the same split searches and the same partition of the first list (what their leaves count on),
 * so the same splits and labels.
 */
export class TreeMemo {
  private readonly fitted: { rows: Int32Array; tree: DecisionTree }[] = [];

  /** Records a full tree fitted on `rows`. */
  remember(rows: Int32Array, tree: DecisionTree): void {
    this.fitted.push({ rows: rows.slice(), tree });
  }

  /** Drops what was recorded for `tree` (it is being refitted). */
  forget(tree: DecisionTree): void {
    for (let i = this.fitted.length - 1; i >= 0; i--) if (this.fitted[i].tree === tree) this.fitted.splice(i, 1);
  }

  /** @returns the full tree fitted on exactly these rows, or null */
  find(rows: Int32Array): DecisionTree | null {
    for (const entry of this.fitted) {
      if (entry.rows.length !== rows.length) continue;
      let same = true;
      for (let k = 0; k < rows.length && same; k++) same = entry.rows[k] === rows[k];
      if (same) return entry.tree;
    }
    return null;
  }
}

/** An entropy decision tree classifier. */
export class DecisionTree implements Classifier {
  private feature: number[] = [];
  private threshold: number[] = [];
  private left: number[] = [];
  private right: number[] = [];
  private label: number[] = [];
  /** Depth-limited tree read off a full one ({@link TreeMemo}); null: this tree's own nodes. */
  private fullTree: DecisionTree | null = null;

  constructor(private readonly nClasses: number, private readonly sorted: SortedColumns, private readonly options: TreeOptions) {}

  fit(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    this.feature = [];
    this.threshold = [];
    this.left = [];
    this.right = [];
    this.label = [];
    const { memo, features: allowed, maxDepth } = this.options;
    memo?.forget(this);
    this.fullTree = memo !== undefined && allowed === undefined && maxDepth !== Infinity ? memo.find(rows) : null;
    if (this.fullTree !== null) return;
    this.grow(x, y, rows);
    if (memo !== undefined && allowed === undefined && maxDepth === Infinity) memo.remember(rows, this);
  }

  private grow(x: DesignMatrix, y: Int32Array, rows: Int32Array): void {
    const features = this.options.features ?? this.sorted.orders.map((_, j) => j);
    const grower = new Grower(this.sorted.values, x.nRows, this.sorted.orders, this.sorted.separated, y, this.nClasses, features, rows);
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
    if (this.fullTree !== null) return this.fullTree.predictToDepth(x, rows, this.options.maxDepth);
    return this.predictToDepth(x, rows, Infinity);
  }

  /** Predictions of this tree cut at `maxDepth` (a node at that depth is a leaf with its label). */
  predictToDepth(x: DesignMatrix, rows: Int32Array, maxDepth: number): Int32Array {
    return rows.map((r) => {
      let node = 0;
      for (let depth = 0; depth < maxDepth && this.feature[node] >= 0; depth++) {
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

