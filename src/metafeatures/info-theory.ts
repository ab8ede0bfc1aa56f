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
import { defaultBinCount, discretize } from './discretize.ts';
import { concentration, contingency, jointEntropy, mutualInformation, tableFromDense, type Contingency } from './contingency.ts';
import { setMeanSd } from './statistical.ts';
import { sampleIndices } from './design.ts';

/** Names of the info-theory group, in output order. */
export const INFO_THEORY_FEATURES = [
  'attr_ent.mean', 'attr_ent.sd', 'joint_ent.mean', 'joint_ent.sd', 'mut_inf.mean', 'mut_inf.sd',
  'eq_num_attr', 'ns_ratio', 'class_conc.mean', 'class_conc.sd', 'attr_conc.mean', 'attr_conc.sd',
] as const;

/** attr_conc costs one table per ordered pair: above this many attributes, a seeded sample is used. */
export const ATTR_CONC_MAX_ATTRIBUTES = 40;

interface CodedAttribute {
  readonly codes: Int32Array;
  readonly nCodes: number;
}

/**
 * Codes every attribute: nominal codes as they are, numeric columns discretised.
 * @param view - the prepared dataset
 * @returns one coded attribute per feature, nominal first (pymfe's order does not matter here)
 */
export function codedAttributes(view: DatasetView): CodedAttribute[] {
  const nBins = defaultBinCount(view.labeled.length);
  const nominal = view.categorical.map((c) => ({ codes: c.codes, nCodes: c.levels.length }));
  const numeric = view.numeric.map((c) => discretize(c.values, nBins));
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
      const table = counter ? counter.table(a, b) : contingency(chosen[a].codes, chosen[a].nCodes, chosen[b].codes, chosen[b].nCodes, rows);
      out.push(concentration(table), concentration(transpose(table)));
    }
  }
  return out;
}

/**
 * Counts the pair tables of many attributes over the same rows: each attribute's codes are
 * gathered once over the rows, missing mapped to an extra code, so that a pair costs one
 * branch-free pass over one shared dense count array. Same tables as {@link contingency}.
 */
class PairCounter {
  /** Attribute whose tables `tables` holds, and those tables (one stride² block per attribute). */
  private row = -1;
  private tables = new Int32Array(0);

  private constructor(
    private readonly attributes: readonly CodedAttribute[],
    /** Per attribute, its code (missing → nCodes) times the stride, over the rows (narrow: less memory traffic). */
    private readonly scaled: readonly Uint16Array[],
    /** Per attribute, its code (missing → nCodes) over the rows. */
    private readonly plain: readonly Uint8Array[],
    private readonly stride: number,
  ) {}

  /** @returns the counter, or null when the widest attribute has too many codes for dense tables */
  static create(attributes: readonly CodedAttribute[], rows: Int32Array): PairCounter | null {
    const stride = attributes.reduce((m, a) => Math.max(m, a.nCodes), 0) + 1;
    if (stride > 255) return null; // codes must fit a byte, cells a 16-bit index
    const plain = attributes.map((a) => {
      const out = new Uint8Array(rows.length);
      for (let k = 0; k < rows.length; k++) {
        const c = a.codes[rows[k]];
        out[k] = c >= 0 ? c : a.nCodes;
      }
      return out;
    });
    const scaled = plain.map((codes) => {
      const out = new Uint16Array(codes.length);
      for (let k = 0; k < codes.length; k++) out[k] = codes[k] * stride;
      return out;
    });
    return new PairCounter(attributes, scaled, plain, stride);
  }

  /**
   * Counts attribute `a` against every later attribute, two at a time (one pass over `a`'s codes
   * serves two tables); {@link table} then reads them.
   */
  countRow(a: number): void {
    const x = this.scaled[a];
    const size = this.stride * this.stride;
    this.row = a;
    this.tables = new Int32Array(this.attributes.length * size);
    const tables = this.tables;
    let b = a + 1;
    for (; b + 1 < this.attributes.length; b += 2) {
      const y0 = this.plain[b];
      const y1 = this.plain[b + 1];
      const o0 = b * size;
      const o1 = o0 + size;
      for (let k = 0; k < x.length; k++) {
        const s = x[k];
        tables[o0 + s + y0[k]]++;
        tables[o1 + s + y1[k]]++;
      }
    }
    if (b < this.attributes.length) {
      const y = this.plain[b];
      const o = b * size;
      for (let k = 0; k < x.length; k++) tables[o + x[k] + y[k]]++;
    }
  }

  /** The table of attribute `a` (rows) against a later attribute `b` (columns). */
  table(a: number, b: number): Contingency {
    if (a !== this.row) this.countRow(a);
    const offset = b * this.stride * this.stride;
    const counts = this.tables;
    const nA = this.attributes[a].nCodes;
    const nB = this.attributes[b].nCodes;
    return tableFromDense(nA, nB, (i, j) => counts[offset + i * this.stride + j]);
  }
}

function transpose(t: Contingency): Contingency {
  return { rowOf: t.colOf, colOf: t.rowOf, count: t.count, rowSums: t.colSums, colSums: t.rowSums, total: t.total };
}
