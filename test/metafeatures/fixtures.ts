/** Small datasets built in code for the meta-feature tests, and the path of the shared corpus. */
import { fileURLToPath } from 'node:url';
import type { CategoricalColumn, Column, Dataset, NumericColumn } from '../../src/data/table.ts';

/** Directory of the ARFF corpus the repository carries (`meta-db/corpus`, gzip-compressed). */
export const DATASETS = fileURLToPath(new URL('../../meta-db/corpus/', import.meta.url));

/** A numeric column; `null` is missing. */
export function numeric(name: string, values: readonly (number | null)[]): NumericColumn {
  return { name, kind: 'numeric', values: Float64Array.from(values, (v) => (v === null ? NaN : v)) };
}

/** A nominal column from labels; `null` is missing. Levels are given or taken in first-seen order. */
export function nominal(name: string, labels: readonly (string | null)[], levels?: readonly string[]): CategoricalColumn {
  const all = levels ?? [...new Set(labels.filter((l): l is string => l !== null))];
  return { name, kind: 'categorical', levels: all, codes: Int32Array.from(labels, (l) => (l === null ? -1 : all.indexOf(l))) };
}

/** A classification dataset. */
export function classification(features: readonly Column[], labels: readonly string[], levels?: readonly string[]): Dataset {
  return { source: 'test', name: 'test', nRows: labels.length, features, target: nominal('class', labels, levels), task: 'classification' };
}

/** A regression dataset. */
export function regression(features: readonly Column[], target: readonly number[]): Dataset {
  return { source: 'test', name: 'test', nRows: target.length, features, target: numeric('y', target), task: 'regression' };
}

/** The same dataset with its rows in the order `order` (row i of the result is row order[i]). */
export function permuteRows(d: Dataset, order: readonly number[]): Dataset {
  const pick = (c: Column): Column =>
    c.kind === 'numeric'
      ? { ...c, values: Float64Array.from(order, (i) => c.values[i]) }
      : { ...c, codes: Int32Array.from(order, (i) => c.codes[i]) };
  return { ...d, features: d.features.map(pick), target: pick(d.target) };
}

/** Asserts every value is finite or null with a reason; returns the null names. */
export function nullsOf(values: Record<string, number | null>, missing: Record<string, string>): string[] {
  const nulls: string[] = [];
  for (const [name, v] of Object.entries(values)) {
    if (v === null) {
      if (typeof missing[name] !== 'string' || missing[name].length === 0) throw new Error(`${name} is null without a reason`);
      nulls.push(name);
    } else if (!Number.isFinite(v)) {
      throw new Error(`${name} is not finite: ${v}`);
    }
  }
  return nulls;
}
