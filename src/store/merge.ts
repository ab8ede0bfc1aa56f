/** Merging the reads of layered stores: the first layer holding a key wins, output sorted by key. */
import type { EvaluationScore } from './types.ts';

/** Compares strings by UTF-16 code units (stable across locales). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares two key tuples element by element (numbers numerically, strings by code unit). */
export function compareTuples(a: readonly (string | number)[], b: readonly (string | number)[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : compareText(String(x), String(y));
    if (order !== 0) return order;
  }
  return a.length - b.length;
}

/**
 * Merges lists from several layers: for each key the record of the earliest layer is kept.
 * @param layers - lists in priority order (user before shipped)
 * @param key - the natural key of a record, as a tuple
 * @returns the merged records sorted by key
 */
export function mergeByKey<T>(layers: readonly (readonly T[])[], key: (record: T) => readonly (string | number)[]): T[] {
  const seen = new Map<string, T>();
  for (const list of layers) {
    for (const record of list) {
      const id = JSON.stringify(key(record));
      if (!seen.has(id)) seen.set(id, record);
    }
  }
  return [...seen.values()].sort((a, b) => compareTuples(key(a), key(b)));
}

/** The natural key of an evaluation. */
export function evaluationKey(e: Pick<EvaluationScore, 'task' | 'space' | 'configHash' | 'protocolId' | 'fidelity' | 'seed'>): (string | number)[] {
  return [e.task, e.space, e.configHash, e.protocolId, e.fidelity, e.seed];
}

/**
 * Picks the record a "latest" read returns across layers: the newest `createdAt`, ties to the
 * greater version, then to the earlier layer.
 */
export function latest<T extends { readonly createdAt: string; readonly version?: string; readonly extractorVersion?: string }>(
  candidates: readonly (T | undefined)[],
): T | undefined {
  let best: T | undefined;
  for (const c of candidates) {
    if (c === undefined) continue;
    if (best === undefined) {
      best = c;
      continue;
    }
    const order = compareTuples([c.createdAt, c.version ?? c.extractorVersion ?? ''], [best.createdAt, best.version ?? best.extractorVersion ?? '']);
    if (order > 0) best = c;
  }
  return best;
}
