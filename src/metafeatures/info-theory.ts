/**
 * pymfe's information-theoretic group. Nominal attributes are used as they are, numeric ones are
 * discretised as pymfe does ({@link discretize}); entropies are in bits; each per-attribute
 * measure is summarised by its mean and sample standard deviation (pymfe's `mean`, `sd`).
 * Missing values are left out pairwise: an attribute's entropy uses its present values, and the
 * measures that involve the class use the rows where both are present.
 */
import { Random, deriveSeed } from '../random.ts';
import type { FeatureSink } from './types.ts';
import type { DatasetView } from './view.ts';
import { summarize } from './moments.ts';
import { entropyBits } from './general.ts';
import { DiscretizeScratch, defaultBinCount, discretize } from './discretize.ts';
import { concentration, contingency, jointEntropy, mutualInformation, type Contingency } from './contingency.ts';
import { PairCounter, type CodedAttribute } from './pair-counter.ts';
import { setMeanSd } from './statistical.ts';
import { sampleIndices } from './design.ts';

/** Names of the info-theory group, in output order. */
export const INFO_THEORY_FEATURES = [
  'attr_ent.mean', 'attr_ent.sd', 'joint_ent.mean', 'joint_ent.sd', 'mut_inf.mean', 'mut_inf.sd',
  'eq_num_attr', 'ns_ratio', 'class_conc.mean', 'class_conc.sd', 'attr_conc.mean', 'attr_conc.sd',
] as const;

/** attr_conc costs one table per ordered pair: above this many attributes, a seeded sample is used. */
export const ATTR_CONC_MAX_ATTRIBUTES = 40;

/**
 * Codes every attribute: nominal codes as they are, numeric columns discretised.
 * @param view - the prepared dataset
 * @returns one coded attribute per feature, nominal first (pymfe's order does not matter here)
 */
export function codedAttributes(view: DatasetView): CodedAttribute[] {
  const nBins = defaultBinCount(view.labeled.length);
  const nominal = view.categorical.map((c) => ({ codes: c.codes, nCodes: c.levels.length }));
  const scratch = new DiscretizeScratch();
  const numeric = view.numeric.map((c) => discretize(c.values, nBins, scratch));
  return [...nominal, ...numeric];
}

/**
 * Computes the info-theory group.
 * @param view - the prepared dataset
 * @param sink - receives every name of {@link INFO_THEORY_FEATURES}
 * @param seed - seeds the attribute sample of attr_conc
 */
export function extractInfoTheory(view: DatasetView, sink: FeatureSink, seed: number): void {
  const attributes = codedAttributes(view);
  const rows = view.labeled;
  const none = attributes.length === 0 ? 'the dataset has no features' : 'every attribute is missing in every row';
  // Classification: every labelled row has a class, so a table's row sums are the attribute's
  // counts over those rows — the entropies come from the class tables without another pass.
  const tables = view.classes === null ? null : classTables(view, attributes, view.classes);
  const entropies = tables === null ? attributes.map((a) => attributeEntropy(a, rows)) : tables.map((t) => entropyBits(t.rowSums));
  setMeanSd('attr_ent', summarize(entropies), none, sink);
  setClassMeasures(view, attributes, entropies, tables, sink);
  const conc = attributeConcentrations(attributes, rows, seed);
  setMeanSd('attr_conc', summarize(conc), 'fewer than two non-constant attributes', sink);
}

function attributeEntropy(a: CodedAttribute, rows: Int32Array): number {
  const counts = new Float64Array(a.nCodes);
  for (let k = 0; k < rows.length; k++) {
    const c = a.codes[rows[k]];
    if (c >= 0) counts[c]++;
  }
  return entropyBits(counts);
}

const CLASS_MEASURES = ['joint_ent.mean', 'joint_ent.sd', 'mut_inf.mean', 'mut_inf.sd', 'eq_num_attr', 'ns_ratio', 'class_conc.mean', 'class_conc.sd'];

/** Each attribute (rows) against the class (columns), over the labelled rows. */
function classTables(view: DatasetView, attributes: readonly CodedAttribute[], classes: Int32Array): Contingency[] {
  return attributes.map((a) => contingency(a.codes, a.nCodes, classes, view.nClasses, view.labeled));
}

function setClassMeasures(view: DatasetView, attributes: readonly CodedAttribute[], entropies: readonly number[], tables: readonly Contingency[] | null, sink: FeatureSink): void {
  if (tables === null) {
    sink.setAllMissing(CLASS_MEASURES, 'defined for classification tasks only');
    return;
  }
  const usable = tables.filter((t) => t.total > 0);
  const none = attributes.length === 0 ? 'the dataset has no features' : 'every attribute is missing in every row';
  const joint = summarize(usable.map(jointEntropy));
  const mi = usable.map(mutualInformation);
  setMeanSd('joint_ent', joint, none, sink);
  setMeanSd('mut_inf', summarize(mi), none, sink);
  setMeanSd('class_conc', summarize(usable.map(concentration)), 'every attribute is constant', sink);
  const miSum = mi.reduce((s, v) => s + v, 0);
  const entSum = entropies.filter(Number.isFinite).reduce((s, v) => s + v, 0);
  const classEnt = entropyBits(view.classCounts);
  const noInfo = usable.length === 0 ? none : 'no attribute carries information about the class (mutual information 0)';
  const informative = miSum > 1e-12;
  sink.set('eq_num_attr', informative ? (attributes.length * classEnt) / miSum : null, noInfo);
  sink.set('ns_ratio', informative ? (entSum - miSum) / miSum : null, noInfo);
}

function attributeConcentrations(attributes: readonly CodedAttribute[], rows: Int32Array, seed: number): number[] {
  const picked = sampleIndices(attributes.length, ATTR_CONC_MAX_ATTRIBUTES, new Random(deriveSeed(seed, 'attr_conc')));
  const chosen = picked.map((i) => attributes[i]);
  const counter = PairCounter.create(chosen, rows);
  const out: number[] = [];
  for (let a = 0; a < chosen.length; a++) {
    for (let b = a + 1; b < chosen.length; b++) {
      if (counter !== null) {
        out.push(...counter.concentrations(a, b));
        continue;
      }
      const table = contingency(chosen[a].codes, chosen[a].nCodes, chosen[b].codes, chosen[b].nCodes, rows);
      out.push(concentration(table), concentration(transpose(table)));
    }
  }
  return out;
}

function transpose(t: Contingency): Contingency {
  return { rowOf: t.colOf, colOf: t.rowOf, count: t.count, rowSums: t.colSums, colSums: t.rowSums, total: t.total };
}
