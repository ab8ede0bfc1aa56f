/**
 * The split search and partition of the entropy tree ({@link DecisionTree}), over presorted
 * lists: each node is a segment of every feature's sorted row list, partitioned stably after a
 * split. Separated columns (no two values within the split threshold) are scanned without
 * reading values. Where WebAssembly is available, a node's whole split search runs in the
 * `bestSplit` kernel (no typed-array bounds checks; the same integer counts and double operations
 * in the same order, so the same cuts) and the lists are partitioned by `partitionLists` (the
 * same stable partition).
 */
import { simdKernels, type SimdKernels } from '../simd-kernels.ts';

/** Values closer than this are not split (scikit-learn's FEATURE_THRESHOLD). */
export const FEATURE_THRESHOLD = 1e-7;

/** A chosen split: the feature, its threshold (≤ goes left) and the rows going left. */
export interface Split {
  readonly feature: number;
  readonly threshold: number;
  readonly leftSize: number;
}

/** c log c for c = 0..n, and its forward differences (the change of Σ c log c when a count grows by one). */
interface EntropyTables {
  readonly xlogx: Float64Array;
  /** step[c] = xlogx[c + 1] − xlogx[c]. */
  readonly step: Float64Array;
}

/** Fills the tables (n + 1 entries each). */
function entropyTables(xlogx: Float64Array, step: Float64Array): EntropyTables {
  const n = xlogx.length - 1;
  for (let i = 1; i <= n; i++) xlogx[i] = i * Math.log(i);
  for (let c = 0; c < n; c++) step[c] = xlogx[c + 1] - xlogx[c];
  return { xlogx, step };
}

/** Byte offsets of the grower's arrays in its buffer. */
interface KernelOffsets {
  readonly out: number;
  readonly xlogx: number;
  readonly step: number;
  readonly y: number;
  readonly left: number;
  readonly total: number;
  readonly lists: number;
  readonly buffer: number;
  readonly goesLeft: number;
  /** Copies of the columns of the allowed features that are not separated, in feature order (for the kernel's generic scan). */
  readonly values: number;
  /** Per allowed feature, −1 if separated, else the index of its column copy (32-bit). */
  readonly slots: number;
}

/** One buffer for the arrays the scan reads: the kernel's memory where it runs, else a plain buffer. */
function growerStorage(nRows: number, nClasses: number, nFeatures: number, n: number, nValues: number): { kernel: SimdKernels | null; buffer: ArrayBufferLike; offsets: KernelOffsets } {
  const align = (bytes: number) => Math.ceil(bytes / 8) * 8;
  const values = 8;
  const xlogx = values + 8 * nValues;
  const step = xlogx + 8 * (n + 1);
  const y = step + 8 * (n + 1);
  const left = align(y + 4 * nRows);
  const total = align(left + 4 * nClasses);
  const lists = align(total + 4 * nClasses);
  const partitionBuffer = align(lists + 4 * nFeatures * (n + 1));
  const goesLeft = align(partitionBuffer + 4 * n);
  const slots = align(goesLeft + nRows);
  const bytes = align(slots + 4 * nFeatures);
  const kernel = simdKernels(bytes / 8);
  const buffer = kernel !== null ? kernel.memory.buffer : new ArrayBuffer(bytes - 8 * nValues);
  const valuesAt = kernel !== null ? values : -1; // no copy of the values without the kernel
  const shift = kernel !== null ? 0 : 8 * nValues;
  return {
    kernel,
    buffer,
    offsets: {
      out: 0, values: valuesAt, xlogx: xlogx - shift, step: step - shift, y: y - shift, left: left - shift, total: total - shift, lists: lists - shift,
      buffer: partitionBuffer - shift, goesLeft: goesLeft - shift, slots: slots - shift,
    },
  };
}

/** Each allowed feature's sorted list restricted to the training rows (branch-free filter). */
function trainingLists(orders: readonly Int32Array[], features: readonly number[], rows: Int32Array, nRows: number, allocate: (feature: number) => Int32Array): Int32Array[] {
  const inTrain = new Uint8Array(nRows);
  for (let k = 0; k < rows.length; k++) inTrain[rows[k]] = 1;
  return features.map((f, fi) => {
    const order = orders[f];
    const list = allocate(fi); // rows.length + 1: one slot of slack for the last write
    let k = 0;
    for (let i = 0; i < order.length; i++) {
      const r = order[i];
      list[k] = r;
      k += inTrain[r];
    }
    return list.subarray(0, rows.length);
  });
}

/** The split search and partition over the segment lists. */
export class Grower {
  private readonly goesLeft: Uint8Array;
  private readonly buffer: Int32Array;
  private readonly y: Int32Array;
  private readonly lists: Int32Array[];
  private readonly tables: EntropyTables;
  /** Class counts left of the scanned cut (scratch of bestSplit), and of the whole node. */
  private readonly left: Int32Array;
  private readonly total: Int32Array;
  /** The scan kernel, and the byte offsets of the arrays it reads; null: scalar scans. */
  private readonly kernel: SimdKernels | null;
  private readonly at: KernelOffsets;
  /** The cut a scan found (valid when it returned true). */
  private cutCost = 0;
  private cutThreshold = 0;
  private cutLeftSize = 0;

  /**
   * @param values - the sample's columns, column-major ({@link SortedColumns})
   * @param orders - each column's rows in ascending order of value
   * @param separated - per column, whether its sorted values are all more than 1e-7 apart
   * @param y - class of every sample row
   * @param features - the columns the tree may split on
   * @param rows - the training rows
   */
  constructor(
    private readonly values: Float64Array,
    private readonly nRows: number,
    orders: readonly Int32Array[],
    private readonly separated: Uint8Array,
    y: Int32Array,
    private readonly nClasses: number,
    private readonly features: readonly number[],
    rows: Int32Array,
  ) {
    const n = rows.length;
    const tied = features.filter((f) => separated[f] === 0);
    const storage = growerStorage(nRows, nClasses, features.length, n, tied.length * nRows);
    this.kernel = storage.kernel;
    this.at = storage.offsets;
    const { buffer, offsets } = storage;
    if (this.kernel !== null) {
      // The kernel reads the values of the columns that are not separated only: copies of those,
      // in feature order, and per feature its copy's index (−1: separated).
      const copy = new Float64Array(buffer, offsets.values, tied.length * nRows);
      const slots = new Int32Array(buffer, offsets.slots, features.length);
      let next = 0;
      features.forEach((f, fi) => {
        if (separated[f] === 1) {
          slots[fi] = -1;
        } else {
          copy.set(values.subarray(f * nRows, (f + 1) * nRows), next * nRows);
          slots[fi] = next++;
        }
      });
    }
    this.y = new Int32Array(buffer, offsets.y, nRows);
    this.y.set(y);
    this.left = new Int32Array(buffer, offsets.left, nClasses);
    this.total = new Int32Array(buffer, offsets.total, nClasses);
    this.tables = entropyTables(new Float64Array(buffer, offsets.xlogx, n + 1), new Float64Array(buffer, offsets.step, n + 1));
    this.lists = trainingLists(orders, features, rows, nRows, (f) => new Int32Array(buffer, offsets.lists + 4 * f * (n + 1), n + 1));
    this.goesLeft = new Uint8Array(buffer, offsets.goesLeft, nRows);
    this.buffer = new Int32Array(buffer, offsets.buffer, n);
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
    if (this.kernel !== null) return this.bestSplitInKernel(this.kernel, start, end, sumTotal);
    for (let fi = 0; fi < this.features.length; fi++) {
      const base = this.features[fi] * this.nRows; // the column starts here in `values`
      const list = this.lists[fi];
      if (this.values[base + list[end - 1]] <= this.values[base + list[start]] + FEATURE_THRESHOLD) continue; // constant in this node
      const better = this.separated[this.features[fi]] === 1
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
    return this.setCut(cost, base, list, start, leftSize);
  }

  /**
   * The loop of {@link bestSplit} over the features in the `bestSplit` kernel (each feature
   * skipped, or scanned as {@link scanSeparated} or {@link scanFeature} scan it, the best cost
   * carried along); the threshold is placed here, from the same two values.
   */
  private bestSplitInKernel(kernel: SimdKernels, start: number, end: number, sumTotal: number): Split | null {
    const at = this.at;
    const listStride = this.lists.length > 1 ? this.lists[1].byteOffset - this.lists[0].byteOffset : 0;
    const fi = kernel.bestSplit(
      this.lists[0].byteOffset, listStride, this.features.length, at.slots, at.values, 8 * this.nRows,
      at.y, at.left, at.total, at.step, at.xlogx, start, end, this.nClasses, sumTotal, at.out,
    );
    if (fi < 0) return null;
    const leftSize = new Int32Array(kernel.memory.buffer, at.out + 8, 1)[0];
    const cost = kernel.memory[at.out / 8];
    this.setCut(cost, this.features[fi] * this.nRows, this.lists[fi], start, leftSize);
    return { feature: this.features[fi], threshold: this.cutThreshold, leftSize };
  }

  /** Records a cut found by a separated scan; its threshold is half-way between the values either side. */
  private setCut(cost: number, base: number, list: Int32Array, start: number, leftSize: number): true {
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
    const count = leavesOnly ? 1 : this.lists.length;
    if (this.kernel !== null) {
      const stride = this.lists.length > 1 ? this.lists[1].byteOffset - this.lists[0].byteOffset : 0;
      this.kernel.partitionLists(this.lists[0].byteOffset, count, stride, goesLeft.byteOffset, buffer.byteOffset, start, end);
      return;
    }
    for (let fi = 0; fi < count; fi++) {
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
