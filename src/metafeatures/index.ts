/**
 * Meta-feature extraction: summarises a dataset into a {@link MetaFeatureVector} of named,
 * finite numbers (or nulls with reasons). One file per group; every group writes a fixed list of
 * names, whatever the task, so vectors of different datasets line up.
 */
import type { Dataset } from '../data/table.ts';
import { FeatureSink, METAFEATURE_GROUPS, type ExtractOptions, type MetaFeatureGroup, type MetaFeatureVector } from './types.ts';
import { buildView, type DatasetView } from './view.ts';
import { GENERAL_FEATURES, extractGeneral } from './general.ts';
import { STATISTICAL_FEATURES, extractStatistical } from './statistical.ts';
import { INFO_THEORY_FEATURES, extractInfoTheory } from './info-theory.ts';
import { PCA_FEATURES, extractPca } from './pca.ts';
import { DEFAULT_FOLDS, DEFAULT_LANDMARK_CAP, LANDMARKING_FEATURES, extractLandmarking, prepareLandmarks } from './landmarking.ts';
import { closeLandmarkWorkers, startLandmarks, warmLandmarkWorker } from './landmark-thread.ts';
import { UsageError } from '../errors.ts';

export * from './types.ts';
export { closeLandmarkWorkers, warmLandmarkWorker };
export { GENERAL_FEATURES, STATISTICAL_FEATURES, INFO_THEORY_FEATURES, PCA_FEATURES, LANDMARKING_FEATURES, DEFAULT_LANDMARK_CAP, DEFAULT_FOLDS };

/**
 * Version of the meta-feature definitions. Bump it whenever a formula, a name, the sampling or
 * the defaults change: stored vectors with another version must be recomputed.
 */
export const METAFEATURE_EXTRACTOR_VERSION = '1.0.0';

/** The names each group produces, in output order. */
export const METAFEATURE_NAMES: Readonly<Record<MetaFeatureGroup, readonly string[]>> = {
  general: GENERAL_FEATURES,
  statistical: STATISTICAL_FEATURES,
  'info-theory': INFO_THEORY_FEATURES,
  pca: PCA_FEATURES,
  landmarking: LANDMARKING_FEATURES,
};

type GroupExtractor = (view: DatasetView, sink: FeatureSink, options: Settings) => void;

const EXTRACTORS: Readonly<Record<MetaFeatureGroup, GroupExtractor>> = {
  general: (view, sink) => extractGeneral(view, sink),
  statistical: (view, sink, o) => extractStatistical(view, sink, o.seed),
  'info-theory': (view, sink, o) => extractInfoTheory(view, sink, o.seed),
  pca: (view, sink) => extractPca(view, sink),
  landmarking: (view, sink, o) => extractLandmarking(view, sink, { seed: o.seed, cap: o.landmarkCap, folds: o.folds }),
};

/**
 * Parses a comma-separated group list (as the CLI takes it).
 * @param text - e.g. `general,pca`
 * @returns the groups, in the order given
 * @throws UsageError naming an unknown group and the known ones
 */
export function parseGroups(text: string): MetaFeatureGroup[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0).map((s) => {
    const group = METAFEATURE_GROUPS.find((g) => g === s);
    if (group === undefined) {
      throw new UsageError(`unknown meta-feature group '${s}' (expected one of: ${METAFEATURE_GROUPS.join(', ')})`, { column: '--groups' });
    }
    return group;
  });
}

type Settings = Required<Omit<ExtractOptions, 'groups' | 'timings'>>;

function settingsOf(options: ExtractOptions): Settings {
  const settings = {
    seed: options.seed ?? 0,
    landmarkCap: options.landmarkCap ?? DEFAULT_LANDMARK_CAP,
    folds: options.folds ?? DEFAULT_FOLDS,
  };
  if (!(Number.isInteger(settings.landmarkCap) && settings.landmarkCap >= 2)) {
    throw new UsageError(`landmarkCap must be an integer ≥ 2, got ${settings.landmarkCap}`);
  }
  if (!(Number.isInteger(settings.folds) && settings.folds >= 2)) throw new UsageError(`folds must be an integer ≥ 2, got ${settings.folds}`);
  return settings;
}

function checkGroup(group: MetaFeatureGroup, sink: FeatureSink): void {
  for (const name of METAFEATURE_NAMES[group]) {
    if (!sink.has(name)) throw new Error(`meta-feature ${name} of group ${group} was not computed`);
  }
}

function assemble(sink: FeatureSink, timings: Partial<Record<MetaFeatureGroup, number>>, options: ExtractOptions): MetaFeatureVector {
  const values: Record<string, number | null> = {};
  const missing: Record<string, string> = {};
  for (const group of METAFEATURE_GROUPS) {
    if (!(group in timings)) continue;
    for (const name of METAFEATURE_NAMES[group]) {
      values[name] = sink.values[name];
      if (name in sink.missing) missing[name] = sink.missing[name];
    }
  }
  const vector: MetaFeatureVector = { extractorVersion: METAFEATURE_EXTRACTOR_VERSION, values, missing };
  if (options.timings) vector.timings = timings;
  return vector;
}

/**
 * Extracts meta-features.
 * @param dataset - the task (classification needs a categorical target, regression a numeric one)
 * @param options - groups (default all), seed (0), landmarkCap (2000 rows), folds (10), timings
 * @returns the vector; each selected group contributes all of its names
 * @throws UsageError on a non-positive landmark cap or fold count
 */
export function extractMetaFeatures(dataset: Dataset, options: ExtractOptions = {}): MetaFeatureVector {
  const settings = settingsOf(options);
  const view = buildView(dataset);
  const sink = new FeatureSink();
  const timings: Partial<Record<MetaFeatureGroup, number>> = {};
  for (const group of options.groups ?? METAFEATURE_GROUPS) {
    const start = performance.now();
    EXTRACTORS[group](view, sink, settings);
    timings[group] = performance.now() - start;
    checkGroup(group, sink);
  }
  return assemble(sink, timings, options);
}

/**
 * Extracts meta-features as {@link extractMetaFeatures} does, with the same values, but scores
 * the landmarks on worker threads (started once per process, see {@link warmLandmarkWorker})
 * while this thread computes the other groups, then joins in on the landmark parts no worker
 * has taken yet (`landmark-thread.ts`). Where no worker can run, everything runs here.
 * The landmarking timing is the group's own time: preparing the sample here plus the longest
 * time one thread spent scoring (not the time this thread waited).
 * @param dataset - the task (classification needs a categorical target, regression a numeric one)
 * @param options - as {@link extractMetaFeatures}
 * @returns the vector
 * @throws UsageError on a non-positive landmark cap or fold count
 */
export async function extractMetaFeaturesAsync(dataset: Dataset, options: ExtractOptions = {}): Promise<MetaFeatureVector> {
  const groups = options.groups ?? METAFEATURE_GROUPS;
  const settings = settingsOf(options);
  if (!groups.includes('landmarking')) return extractMetaFeatures(dataset, options);
  warmLandmarkWorker();
  const view = buildView(dataset);
  const sink = new FeatureSink();
  const timings: Partial<Record<MetaFeatureGroup, number>> = {};
  const start = performance.now();
  const protocol = { seed: settings.seed, cap: settings.landmarkCap, folds: settings.folds };
  const task = prepareLandmarks(view, sink, protocol, (length) => new Float64Array(new SharedArrayBuffer(8 * length)));
  const run = task === null ? null : startLandmarks(task);
  const prepared = performance.now() - start;
  for (const group of groups) {
    if (group === 'landmarking') continue;
    const groupStart = performance.now();
    EXTRACTORS[group](view, sink, settings);
    timings[group] = performance.now() - groupStart;
    checkGroup(group, sink);
  }
  const landmarks = run === null ? null : await run.finish(); // this thread joins in on the parts left
  if (landmarks !== null) {
    for (const [name, value] of Object.entries(landmarks.values)) {
      if (name in landmarks.missing) sink.setMissing(name, landmarks.missing[name]);
      else sink.set(name, value);
    }
  }
  timings.landmarking = prepared + (landmarks?.elapsed ?? 0);
  checkGroup('landmarking', sink);
  return assemble(sink, timings, options);
}
