/**
 * Hyperparameter importances by fANOVA on a random forest (Hutter, Hoos & Leyton-Brown 2014), as
 * Optuna's default `FanovaImportanceEvaluator` computes them: a forest of regression trees is
 * fitted on the trials' coordinates, and for every tree the variance of the predicted score over
 * the unit hypercube is split into the part explained by each hyperparameter alone (the variance
 * of the tree's marginal over that hyperparameter, every other coordinate integrated out). A
 * tree's leaves are boxes, so its marginals are exact: along one coordinate the tree is constant
 * between its split points there, and each such interval's marginal is the volume-weighted sum of
 * the leaves that span it. The per-tree fractions are averaged over the trees and normalised to sum
 * to 1 (Optuna's convention; the raw mean fraction of variance is kept beside it).
 *
 * Settings follow Optuna's (and scikit-learn's forest defaults there): 64 trees, bootstrap samples,
 * every coordinate considered at every split, depth up to 64, leaves of one sample.
 *
 * Coordinates: numeric hyperparameters on the space's unit axis (log axis where `log`);
 * categorical and ordinal choice i of k at (i + ½)/k, so each choice owns an equal width. Only
 * hyperparameters active in every trial rated and not constant are rated (Optuna rates the
 * intersection of the trials' spaces); the others are returned with the reason.
 */
import { Random, deriveSeed } from '../random.ts';
import { normalizeValue } from '../spaces/hyperparameter-values.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import type { TrialRecord } from '../store/records.ts';

/** Settings of {@link fanovaImportances}. */
export interface ForestOptions {
  /** Trees in the forest (default 64). */
  readonly trees?: number;
  /** Maximum depth (default 64). */
  readonly maxDepth?: number;
  /** Fewest samples in a leaf (default 1). */
  readonly minSamplesLeaf?: number;
  readonly seed?: number;
}

/** One hyperparameter's importance. */
export interface ParameterImportance {
  readonly name: string;
  /** Share of the summed first-order importances (the importances sum to 1). */
  readonly importance: number;
  /** Mean over trees of the fraction of the tree's variance this coordinate explains alone. */
  readonly varianceFraction: number;
  /** Standard deviation of that fraction over the trees. */
  readonly std: number;
}

interface Split {
  readonly feature: number;
  readonly threshold: number;
  readonly left: Node;
  readonly right: Node;
}
type Node = Split | { readonly value: number };

function isSplit(node: Node): node is Split {
  return 'feature' in node;
}

/**
 * Fits one regression tree (variance reduction, best split over every coordinate).
 * @param x - rows of coordinates in [0, 1]
 * @param y - targets
 * @param rows - the rows in this node (bootstrap sample, repeats allowed)
 */
function growTree(x: readonly Float64Array[], y: readonly number[], rows: number[], depth: number, maxDepth: number, minLeaf: number): Node {
  const n = rows.length;
  let sum = 0;
  for (const r of rows) sum += y[r];
  const mean = sum / n;
  if (n < 2 * minLeaf || depth >= maxDepth || rows.every((r) => y[r] === y[rows[0]])) return { value: mean };
  const d = x[rows[0]].length;
  let best: { feature: number; threshold: number; gain: number } | undefined;
  let baseSse = 0;
  for (const r of rows) baseSse += (y[r] - mean) ** 2;
  for (let f = 0; f < d; f++) {
    const sorted = [...rows].sort((a, b) => x[a][f] - x[b][f]);
    let leftSum = 0;
    let leftSq = 0;
    let totalSq = 0;
    for (const r of sorted) totalSq += y[r] * y[r];
    for (let i = 0; i < n - 1; i++) {
      const yi = y[sorted[i]];
      leftSum += yi;
      leftSq += yi * yi;
      const here = x[sorted[i]][f];
      const next = x[sorted[i + 1]][f];
      if (next <= here) continue;
      const nl = i + 1;
      const nr = n - nl;
      if (nl < minLeaf || nr < minLeaf) continue;
      const rightSum = sum - leftSum;
      const sse = leftSq - (leftSum * leftSum) / nl + (totalSq - leftSq) - (rightSum * rightSum) / nr;
      const gain = baseSse - sse;
      if (best === undefined || gain > best.gain + 1e-12) best = { feature: f, threshold: (here + next) / 2, gain };
    }
  }
  if (best === undefined || best.gain <= 1e-15) return { value: mean };
  const { feature, threshold } = best;
  const left = rows.filter((r) => x[r][feature] <= threshold);
  const right = rows.filter((r) => x[r][feature] > threshold);
  return { feature, threshold, left: growTree(x, y, left, depth + 1, maxDepth, minLeaf), right: growTree(x, y, right, depth + 1, maxDepth, minLeaf) };
}

interface Leaf {
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly value: number;
}

function leavesOf(node: Node, lower: Float64Array, upper: Float64Array, out: Leaf[]): void {
  if (!isSplit(node)) {
    out.push({ lower, upper, value: node.value });
    return;
  }
  const leftUpper = Float64Array.from(upper);
  leftUpper[node.feature] = Math.min(upper[node.feature], node.threshold);
  const rightLower = Float64Array.from(lower);
  rightLower[node.feature] = Math.max(lower[node.feature], node.threshold);
  leavesOf(node.left, lower, leftUpper, out);
  leavesOf(node.right, rightLower, upper, out);
}

/**
 * The first-order variance fractions of one tree over the unit hypercube.
 * @returns one fraction per coordinate, or undefined when the tree is constant
 */
export function treeVarianceFractions(leaves: readonly Leaf[], d: number): number[] | undefined {
  const volumes = leaves.map((l) => l.lower.reduce((v, lo, j) => v * Math.max(0, l.upper[j] - lo), 1));
  const mean = leaves.reduce((s, l, i) => s + volumes[i] * l.value, 0);
  const total = leaves.reduce((s, l, i) => s + volumes[i] * (l.value - mean) ** 2, 0);
  if (!(total > 1e-15)) return undefined;
  const fractions: number[] = [];
  for (let f = 0; f < d; f++) {
    const cuts = [...new Set(leaves.flatMap((l) => [l.lower[f], l.upper[f]]))].sort((a, b) => a - b);
    let variance = 0;
    for (let k = 0; k + 1 < cuts.length; k++) {
      const width = cuts[k + 1] - cuts[k];
      if (width <= 0) continue;
      const mid = (cuts[k] + cuts[k + 1]) / 2;
      let marginal = 0;
      leaves.forEach((l, i) => {
        if (l.lower[f] <= mid && mid < l.upper[f]) marginal += (l.value * volumes[i]) / (l.upper[f] - l.lower[f]);
      });
      variance += width * (marginal - mean) ** 2;
    }
    fractions.push(variance / total);
  }
  return fractions;
}

/**
 * fANOVA importances of the coordinates of `x` for `y`.
 * @param x - rows of coordinates in [0, 1] (no NaN)
 * @param y - one target per row
 * @param names - one name per coordinate
 * @returns one importance per coordinate, most important first (ties by name)
 * @throws RangeError on mismatched lengths or fewer than 2 rows
 */
export function fanovaImportances(x: readonly ArrayLike<number>[], y: readonly number[], names: readonly string[], options: ForestOptions = {}): ParameterImportance[] {
  if (x.length !== y.length || x.length < 2) throw new RangeError(`fANOVA needs at least 2 rows and one target per row, got ${x.length} rows and ${y.length} targets`);
  const d = names.length;
  const rows = x.map((r) => {
    if (r.length !== d) throw new RangeError(`a row has ${r.length} coordinates, expected ${d}`);
    return Float64Array.from(r, (v) => Math.min(1, Math.max(0, v)));
  });
  const trees = options.trees ?? 64;
  const rng = new Random(deriveSeed(options.seed ?? 0, 'fanova'));
  const perTree: number[][] = [];
  for (let t = 0; t < trees; t++) {
    const sample = Array.from({ length: rows.length }, () => rng.int(rows.length));
    const tree = growTree(rows, y, sample, 0, options.maxDepth ?? 64, options.minSamplesLeaf ?? 1);
    const leaves: Leaf[] = [];
    leavesOf(tree, new Float64Array(d), new Float64Array(d).fill(1), leaves);
    const fractions = treeVarianceFractions(leaves, d);
    if (fractions !== undefined) perTree.push(fractions);
  }
  const means = names.map((_, f) => (perTree.length === 0 ? 0 : perTree.reduce((s, r) => s + r[f], 0) / perTree.length));
  const stds = names.map((_, f) => (perTree.length === 0 ? 0 : Math.sqrt(perTree.reduce((s, r) => s + (r[f] - means[f]) ** 2, 0) / perTree.length)));
  const sum = means.reduce((s, v) => s + v, 0);
  return names
    .map((name, f) => ({ name, importance: sum > 0 ? means[f] / sum : 0, varianceFraction: means[f], std: stds[f] }))
    .sort((a, b) => b.importance - a.importance || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What {@link studyImportances} found. */
export interface StudyImportances {
  /** Complete trials the forest was fitted on. */
  readonly trials: number;
  readonly importances: readonly ParameterImportance[];
  /** Hyperparameters not rated, with the reason. */
  readonly notRated: readonly { readonly name: string; readonly reason: string }[];
  /** Why nothing was rated (too few trials, constant scores), else null. */
  readonly note: string | null;
}

/**
 * @param space - the study's search space
 * @param trials - the study's trials (complete ones with a finite value are used)
 * @returns importances of the hyperparameters active in every complete trial
 */
export function studyImportances(space: SearchSpace, trials: readonly TrialRecord[], options: ForestOptions = {}): StudyImportances {
  const done = trials.filter((t) => t.state === 'complete' && t.value !== null && Number.isFinite(t.value));
  const notRated: { name: string; reason: string }[] = [];
  const rated: { name: string; coordinate: (v: number | string | boolean) => number }[] = [];
  for (const hp of space.hyperparameters) {
    if (hp.type === 'constant') continue;
    if (done.some((t) => t.config[hp.name] === undefined)) {
      notRated.push({ name: hp.name, reason: 'inactive in some trials (conditional)' });
      continue;
    }
    const values = new Set(done.map((t) => JSON.stringify(t.config[hp.name])));
    if (values.size <= 1) {
      notRated.push({ name: hp.name, reason: done.length === 0 ? 'no complete trials' : 'one value in every trial' });
      continue;
    }
    if (hp.type === 'categorical' || hp.type === 'ordinal') {
      const choices = hp.type === 'categorical' ? hp.choices : hp.sequence;
      rated.push({ name: hp.name, coordinate: (v) => (Math.max(0, choices.indexOf(v)) + 0.5) / choices.length });
    } else rated.push({ name: hp.name, coordinate: (v) => normalizeValue(hp, v) });
  }
  const scores = done.map((t) => t.value as number);
  const spread = scores.length === 0 ? 0 : Math.max(...scores) - Math.min(...scores);
  const note = done.length < 2 ? 'fewer than 2 complete trials' : rated.length === 0 ? 'no hyperparameter varies over the complete trials' : spread === 0 ? 'every complete trial has the same score' : null;
  if (note !== null) return { trials: done.length, importances: [], notRated, note };
  const x = done.map((t) => rated.map((r) => r.coordinate(t.config[r.name])));
  return { trials: done.length, importances: fanovaImportances(x, scores, rated.map((r) => r.name), options), notRated, note: null };
}
