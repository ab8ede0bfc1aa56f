/**
 * The external part of the corpus: datasets held out of meta-training, for the external check
 * (`external.ts`). Related datasets — versions, train/test halves or re-targetings of one source —
 * form one group, and a group is held out or kept whole, so no held-out dataset has a sibling among
 * the training tasks. The draw is fixed (`meta-db/holdout.json`, written by
 * `scripts/make-holdout.ts` from {@link drawHoldout} with seed 0) and documented in meta-db/README.md.
 */
import { Random } from '../random.ts';

/** Groups of related corpus datasets (every other dataset is a group of its own). */
export const RELATED_GROUPS: Readonly<Record<string, readonly string[]>> = Object.freeze({
  anneal: ['anneal', 'anneal.orig'],
  bridges: ['bridges.version1', 'bridges.version2'],
  colic: ['colic', 'colic.orig'],
  // the UCI heart-disease collection: Cleveland and Hungarian clinics, Statlog's copy
  heart: ['heart.c', 'heart.h', 'heart.statlog', 'cleveland', 'hungarian'],
  column: ['column2C', 'column3C'],
  'solar.flare': ['solar.flare1', 'solar.flare2'],
  spect: ['spect.test', 'spect.train', 'spectf.test', 'spectf.train'],
  // Wisconsin and Ljubljana breast-cancer data
  breast: ['breast.cancer', 'breast.w', 'wisconsin', 'breasttumor'],
  autos: ['autos', 'auto93', 'autohorse', 'autompg', 'autoprice'],
  // cpu and machine.cpu are one dataset; cpu.act is a computer-activity task of the same family
  cpu: ['cpu', 'machine.cpu', 'cpu.act'],
  ailerons: ['ailerons', 'delta.ailerons'],
  puma: ['puma32H', 'puma8NH'],
  bank: ['bank32nh', 'bank8FM'],
  digits: ['optdigits', 'pendigits'],
  // both from the Garvan thyroid records
  thyroid: ['hypothyroid', 'sick'],
});

/** A task of the corpus with its type. */
export interface CorpusTask {
  readonly name: string;
  readonly taskType: 'classification' | 'regression';
}

/** The fixed split of the corpus. */
export interface Holdout {
  readonly seed: number;
  /** Held-out task names, sorted. */
  readonly heldOut: readonly string[];
  /** Groups (name → members present in the corpus) with at least two members. */
  readonly groups: Readonly<Record<string, readonly string[]>>;
}

/** @returns the group each task belongs to (its own name when it is in no related group) */
export function groupOf(task: string): string {
  for (const [group, members] of Object.entries(RELATED_GROUPS)) if (members.includes(task)) return group;
  return task;
}

/**
 * Draws whole groups in a seeded random order and holds each out while it fits the targets
 * (a group that would exceed a type's target is skipped), until both targets are met.
 * @param tasks - the corpus
 * @param targets - held-out tasks wanted per type
 */
export function drawHoldout(tasks: readonly CorpusTask[], targets: { classification: number; regression: number }, seed = 0): Holdout {
  const byGroup = new Map<string, CorpusTask[]>();
  for (const t of [...tasks].sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const g = groupOf(t.name);
    byGroup.set(g, [...(byGroup.get(g) ?? []), t]);
  }
  const names = [...byGroup.keys()].sort();
  const order = new Random(seed).permutation(names.length);
  const count = { classification: 0, regression: 0 };
  const heldOut: string[] = [];
  for (const i of order) {
    const members = byGroup.get(names[i])!;
    const add = { classification: 0, regression: 0 };
    for (const m of members) add[m.taskType]++;
    if (count.classification + add.classification > targets.classification || count.regression + add.regression > targets.regression) continue;
    count.classification += add.classification;
    count.regression += add.regression;
    heldOut.push(...members.map((m) => m.name));
    if (count.classification === targets.classification && count.regression === targets.regression) break;
  }
  const groups = Object.fromEntries([...byGroup].filter(([, m]) => m.length > 1).map(([g, m]) => [g, m.map((t) => t.name)]));
  return { seed, heldOut: heldOut.sort(), groups };
}
