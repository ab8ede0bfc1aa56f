/**
 * Row handling of the landmarks: a canonical row order (so that shuffling the file changes
 * nothing), a seeded stratified subsample, and k-fold assignments — stratified as scikit-learn's
 * `StratifiedKFold`, or plain contiguous blocks for regression.
 */
import type { Column } from '../data/table.ts';
import type { Random } from '../random.ts';
import type { DatasetView } from './view.ts';
import { argsort } from './sort.ts';

function compareCells(column: Column, a: number, b: number): number {
  if (column.kind === 'numeric') {
    const x = column.values[a];
    const y = column.values[b];
    if (x === y) return 0;
    if (x !== x) return y !== y ? 0 : -1; // missing first
    if (y !== y) return 1;
    return x < y ? -1 : 1;
  }
  return column.codes[a] - column.codes[b];
}

/**
 * Sorts rows by their content (every feature, then the target). Identical rows are
 * interchangeable, so the result depends on the multiset of rows only, not on their file order.
 * The order is that of a stable sort by {@link compareCells} over the columns in turn, computed
 * column by column: a stable sort of the rows by the first column, then of each run of equal
 * cells by the next column, and so on (most runs end after one or two columns).
 * @param view - the prepared dataset
 * @param rows - the rows to order
 * @returns a new array with the rows in canonical order
 */
export function canonicalOrder(view: DatasetView, rows: Int32Array): Int32Array {
  const columns = [...view.dataset.features, view.dataset.target];
  const order = rows.slice();
  const stack: [number, number, number][] = [[0, order.length, 0]]; // segment [from, to) and its column
  while (stack.length > 0) {
    const [from, to, c] = stack.pop()!;
    const column = columns[c];
    sortSegment(order, from, to, column);
    if (c + 1 === columns.length) continue;
    for (let start = from; start < to; ) {
      let end = start + 1;
      while (end < to && compareCells(column, order[start], order[end]) === 0) end++;
      if (end - start > 1) stack.push([start, end, c + 1]);
      start = end;
    }
  }
  return order;
}

/** Stable sort of order[from..to) by one column ({@link compareCells}: missing first, −0 = 0). */
function sortSegment(order: Int32Array, from: number, to: number, column: Column): void {
  if (to - from <= 24) {
    for (let i = from + 1; i < to; i++) {
      const r = order[i];
      let j = i - 1;
      while (j >= from && compareCells(column, order[j], r) > 0) {
        order[j + 1] = order[j];
        j--;
      }
      order[j + 1] = r;
    }
    return;
  }
  const present = new Int32Array(to - from);
  const keys = new Float64Array(to - from);
  let n = 0;
  let missing = 0;
  for (let k = from; k < to; k++) {
    const r = order[k];
    const v = column.kind === 'numeric' ? column.values[r] : column.codes[r];
    if (v !== v) {
      order[from + missing++] = r; // missing numeric cells first, in their current order
    } else {
      keys[n] = v;
      present[n++] = r;
    }
  }
  const sorted = argsort(keys.subarray(0, n));
  for (let k = 0; k < n; k++) order[from + missing + k] = present[sorted[k]];
}

/**
 * Draws at most `cap` rows, keeping class proportions (largest remainder; every class keeps at
 * least one row when cap allows). The result keeps the input order.
 * @param rows - candidate rows (canonical order)
 * @param classes - class index per dataset row, or null for an unstratified draw
 * @param cap - the most rows to keep
 * @param rng - seeded generator
 */
export function stratifiedSubsample(rows: Int32Array, classes: Int32Array | null, cap: number, rng: Random): Int32Array {
  if (rows.length <= cap) return rows;
  const groups = new Map<number, number[]>();
  for (const r of rows) {
    const c = classes ? classes[r] : 0;
    const list = groups.get(c);
    if (list) list.push(r);
    else groups.set(c, [r]);
  }
  const keys = [...groups.keys()].sort((a, b) => a - b);
  const quotas = allocate(keys.map((k) => groups.get(k)!.length), cap);
  let largest = -1; // a loop, not Math.max(...rows): spreading ~300,000 arguments overflows the stack
  for (let i = 0; i < rows.length; i++) if (rows[i] > largest) largest = rows[i];
  const keep = new Uint8Array(largest + 1);
  keys.forEach((k, i) => {
    const members = groups.get(k)!;
    const order = rng.permutation(members.length);
    for (let j = 0; j < quotas[i]; j++) keep[members[order[j]]] = 1;
  });
  return rows.filter((r) => keep[r] === 1);
}

/** Splits `cap` over groups proportionally to their sizes (largest remainder, ≥ 1 each when possible). */
function allocate(sizes: readonly number[], cap: number): number[] {
  const total = sizes.reduce((s, v) => s + v, 0);
  const exact = sizes.map((s) => (s * cap) / total);
  const quotas = exact.map((e, i) => Math.min(sizes[i], Math.max(cap >= sizes.length ? 1 : 0, Math.floor(e))));
  let left = cap - quotas.reduce((s, v) => s + v, 0);
  const byRemainder = exact.map((e, i) => i).sort((a, b) => exact[b] - Math.floor(exact[b]) - (exact[a] - Math.floor(exact[a])) || a - b);
  for (let k = 0; left > 0 && k < byRemainder.length * 2; k++) {
    const i = byRemainder[k % byRemainder.length];
    if (quotas[i] < sizes[i]) {
      quotas[i]++;
      left--;
    }
  }
  return quotas;
}

/**
 * scikit-learn's `StratifiedKFold` fold assignment: classes numbered by first appearance, the
 * per-fold allocation of each class taken from the sorted labels dealt round-robin, and each class's
 * rows given their folds in order — shuffled by `rng` when given (`shuffle=True`).
 * @param labels - class of each sample row
 * @param k - number of folds
 * @param rng - shuffles the within-class fold order; omit to reproduce `shuffle=False`
 * @returns the test fold of each row
 */
export function stratifiedFolds(labels: Int32Array, k: number, rng?: Random): Int32Array {
  const firstSeen = new Map<number, number>();
  for (const c of labels) if (!firstSeen.has(c)) firstSeen.set(c, firstSeen.size);
  const encoded = labels.map((c) => firstSeen.get(c)!);
  const nClasses = firstSeen.size;
  const sorted = encoded.slice().sort();
  const allocation = Array.from({ length: k }, () => new Int32Array(nClasses));
  for (let i = 0; i < sorted.length; i++) allocation[i % k][sorted[i]]++;
  const folds = new Int32Array(labels.length);
  for (let c = 0; c < nClasses; c++) {
    const forClass: number[] = [];
    for (let f = 0; f < k; f++) for (let j = 0; j < allocation[f][c]; j++) forClass.push(f);
    if (rng) rng.shuffle(forClass);
    let next = 0;
    for (let i = 0; i < encoded.length; i++) if (encoded[i] === c) folds[i] = forClass[next++];
  }
  return folds;
}

/**
 * Plain k-fold assignment of n rows (scikit-learn's `KFold`: contiguous blocks, the first n mod k
 * one row larger) over a permutation drawn from `rng`.
 */
export function shuffledFolds(n: number, k: number, rng: Random): Int32Array {
  const order = rng.permutation(n);
  const folds = new Int32Array(n);
  let position = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let j = 0; j < size; j++) folds[order[position++]] = f;
  }
  return folds;
}

/** The training and test rows of fold `f`. */
export function foldRows(folds: Int32Array, f: number): { train: Int32Array; test: Int32Array } {
  const train: number[] = [];
  const test: number[] = [];
  for (let i = 0; i < folds.length; i++) (folds[i] === f ? test : train).push(i);
  return { train: Int32Array.from(train), test: Int32Array.from(test) };
}
