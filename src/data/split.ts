/**
 * Stratified, seeded splits of a dataset's rows.
 *
 * Strata: the classes of a categorical target; for a numeric target, quantile bins of its values
 * (ranks cut into equal-count bins, at most 10, with enough rows per bin for the split to place
 * some in each part). Missing target values form a stratum of their own. Every random choice draws
 * from one {@link Random} built from `seed`, so equal seeds give equal splits.
 */
import { InputError } from '../errors.ts';
import { Random } from '../random.ts';
import type { Column } from './table.ts';

/** A train/test partition of row indices (each sorted ascending). */
export interface Split {
  readonly train: Int32Array;
  readonly test: Int32Array;
}

/** Options shared by the splitters. */
export interface SplitOptions {
  readonly seed: number;
  /** Split only these rows (default: every row of the target). */
  readonly rows?: Int32Array;
}

const MAX_BINS = 10;

/**
 * Stratified holdout: `testFraction` of each stratum goes to test (rounded so that the test set
 * has `round(n * testFraction)` rows, at least 1 and at most n - 1).
 * @param target - the target column
 * @param options - testFraction in (0, 1), seed, optional subset of rows
 * @throws InputError when testFraction is outside (0, 1) or fewer than 2 rows are given
 */
export function stratifiedHoldout(target: Column, options: SplitOptions & { readonly testFraction: number }): Split {
  const { testFraction, seed } = options;
  if (!(testFraction > 0 && testFraction < 1)) throw new InputError(`testFraction must be in (0, 1), got ${testFraction}`);
  const rows = options.rows ?? allRows(target);
  if (rows.length < 2) throw new InputError(`a holdout split needs at least 2 rows, got ${rows.length}`);
  const bins = Math.floor((rows.length * Math.min(testFraction, 1 - testFraction)) / 2);
  const strata = stratify(target, rows, bins, new Random(seed));
  const nTest = Math.min(rows.length - 1, Math.max(1, Math.round(rows.length * testFraction)));
  const quotas = apportion(strata.map((s) => s.length), nTest);
  const test: number[] = [];
  const train: number[] = [];
  strata.forEach((members, s) => {
    test.push(...members.subarray(0, quotas[s]));
    train.push(...members.subarray(quotas[s]));
  });
  return { train: sorted(train), test: sorted(test) };
}

/**
 * Stratified k-fold: each stratum's rows are shuffled and dealt round-robin over the folds,
 * continuing from fold to fold across strata, so fold sizes differ by at most one and every class
 * with at least k rows appears in every fold; a class with fewer rows than k lands in as many
 * distinct folds as it has rows.
 * @param target - the target column
 * @param options - k ≥ 2 (at most the number of rows), seed, optional subset of rows
 * @returns k splits whose test parts are disjoint and cover the rows
 * @throws InputError when k is not an integer in [2, n]
 */
export function stratifiedKFold(target: Column, options: SplitOptions & { readonly k: number }): Split[] {
  const { k, seed } = options;
  const rows = options.rows ?? allRows(target);
  if (!Number.isInteger(k) || k < 2 || k > rows.length) {
    throw new InputError(`k must be an integer between 2 and the number of rows (${rows.length}), got ${k}`);
  }
  const strata = stratify(target, rows, Math.floor(rows.length / (2 * k)), new Random(seed));
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const members of strata) {
    for (const row of members) {
      folds[next].push(row);
      next = (next + 1) % k;
    }
  }
  return folds.map((fold, f) => ({
    test: sorted(fold),
    train: sorted(folds.flatMap((other, g) => (g === f ? [] : other))),
  }));
}

/**
 * Groups rows into strata, each shuffled.
 * @param bins - wanted number of quantile bins for a numeric target (clamped to [1, 10])
 */
function stratify(target: Column, rows: Int32Array, bins: number, random: Random): Int32Array[] {
  const key = target.kind === 'categorical' ? classKeys(target.codes, rows) : quantileKeys(target.values, rows, bins);
  const groups = new Map<number, number[]>();
  rows.forEach((row, i) => {
    const group = groups.get(key[i]);
    if (group === undefined) groups.set(key[i], [row]);
    else group.push(row);
  });
  return [...groups.keys()].sort((a, b) => a - b).map((k) => random.shuffle(Int32Array.from(groups.get(k) ?? [])));
}

function classKeys(codes: Int32Array, rows: Int32Array): Int32Array {
  return Int32Array.from(rows, (r) => codes[r]);
}

/** Quantile bin of each row's value (by rank, ties broken by row order); missing values get -1. */
function quantileKeys(values: Float64Array, rows: Int32Array, bins: number): Int32Array {
  const keys = new Int32Array(rows.length).fill(-1);
  const present = [...rows.keys()].filter((i) => !Number.isNaN(values[rows[i]]));
  present.sort((a, b) => values[rows[a]] - values[rows[b]] || a - b);
  const nBins = Math.max(1, Math.min(MAX_BINS, bins));
  present.forEach((i, rank) => (keys[i] = Math.floor((rank * nBins) / present.length)));
  return keys;
}

/**
 * Splits `total` over groups in proportion to their sizes (largest remainder; ties to larger
 * groups, then earlier ones).
 */
function apportion(sizes: readonly number[], total: number): number[] {
  const n = sizes.reduce((a, b) => a + b, 0);
  const exact = sizes.map((s) => (s * total) / n);
  const quotas = exact.map(Math.floor);
  let left = total - quotas.reduce((a, b) => a + b, 0);
  const order = sizes.map((_, i) => i).sort((a, b) => exact[b] - quotas[b] - (exact[a] - quotas[a]) || sizes[b] - sizes[a] || a - b);
  for (const i of order) {
    if (left === 0) break;
    if (quotas[i] < sizes[i]) (quotas[i] += 1), left--;
  }
  return quotas;
}

function allRows(target: Column): Int32Array {
  const n = target.kind === 'numeric' ? target.values.length : target.codes.length;
  return Int32Array.from({ length: n }, (_, i) => i);
}

function sorted(rows: readonly number[]): Int32Array {
  return Int32Array.from(rows).sort();
}
