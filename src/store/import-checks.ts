/**
 * What `db import` checks beyond types: that each record means something (finite scores inside
 * their metric's range, configuration hashes that match their content, configurations inside
 * their search space) and that it does not contradict what is stored or an earlier line of the file
 * (the same key with another value). An import file is foreign input: a score of 1e308 would rank
 * first and flatten every normalised score, so it is refused at its line instead.
 */
import { SearchSpaceError, StoreError } from '../errors.ts';
import { higherIsBetter, METRIC_DIRECTIONS, type MetricName } from '../evaluation/metrics.ts';
import { parseSearchSpace } from '../spaces/load.ts';
import { configHash } from '../spaces/canonical.ts';
import type { SearchSpace } from '../spaces/search-space.ts';
import { canonicalJson, finiteOrNull, finiteRecord, storedCurve } from './canonical.ts';
import type { ImportRecord } from './jsonl-records.ts';
import type * as R from './records.ts';
import type { MetaStore } from './types.ts';

/** The range of each metric the evaluation protocol records (src/evaluation/metrics.ts). */
const METRIC_RANGES: Readonly<Record<MetricName, { readonly min: number; readonly max: number }>> = {
  accuracy: { min: 0, max: 1 },
  balancedAccuracy: { min: 0, max: 1 },
  rocAuc: { min: 0, max: 1 },
  logLoss: { min: 0, max: Infinity },
  rmse: { min: 0, max: Infinity },
  mae: { min: 0, max: Infinity },
  r2: { min: -Infinity, max: 1 },
};

function isMetricName(name: string): name is MetricName {
  return Object.hasOwn(METRIC_DIRECTIONS, name);
}

/** Where a record came from, for errors. */
interface At {
  readonly file: string;
  readonly line: number;
}

const fail = (at: At, message: string): StoreError => new StoreError(message, { file: at.file, line: at.line });

/**
 * Checks a task's shape: a classification task has at least 2 classes, a regression task none.
 * @throws StoreError at the record's line
 */
export function checkTaskMeaning(t: R.TaskRecord, at: At): void {
  if (t.taskType === 'classification' && !(t.nClasses !== null && Number.isSafeInteger(t.nClasses) && t.nClasses >= 2)) {
    throw fail(at, `task '${t.name}' is a classification task with nClasses ${t.nClasses}; expected an integer ≥ 2`);
  }
  if (t.taskType === 'regression' && t.nClasses !== null) {
    throw fail(at, `task '${t.name}' is a regression task with nClasses ${t.nClasses}; expected null`);
  }
}

/**
 * Checks an evaluation's numbers: known metrics inside their range, a primary score that is one of
 * its metrics made higher-is-better (so at most 1), none for a failed evaluation.
 * @throws StoreError at the record's line
 */
export function checkEvaluationMeaning(e: R.EvaluationRecord, at: At): void {
  for (const [name, value] of Object.entries(e.metrics)) {
    if (value === null) continue;
    if (!Number.isFinite(value)) throw fail(at, `metric '${name}' is ${value}; expected a finite number or null`);
    if (!isMetricName(name)) continue;
    const range = METRIC_RANGES[name];
    if (value < range.min || value > range.max) {
      throw fail(at, `metric '${name}' is ${value}; expected ${describeRange(range)}`);
    }
  }
  if (e.primaryScore !== null) checkPrimaryScore(e, e.primaryScore, at);
  if (!(e.fidelity >= 0)) throw fail(at, `field 'fidelity' is ${e.fidelity}; expected a number ≥ 0`);
  if (!(e.wallTimeMs >= 0)) throw fail(at, `field 'wallTimeMs' is ${e.wallTimeMs}; expected a number ≥ 0`);
  if (!Number.isSafeInteger(e.epochsRun) || e.epochsRun < 0) throw fail(at, `field 'epochsRun' is ${e.epochsRun}; expected an integer ≥ 0`);
}

function checkPrimaryScore(e: R.EvaluationRecord, score: number, at: At): void {
  if (e.status === 'failed') throw fail(at, `a failed evaluation has primaryScore ${score}; expected null`);
  if (score > 1) {
    throw fail(at, `primaryScore ${score} is above 1: a primary score is a metric made higher-is-better ` +
      '(accuracy, balanced accuracy, ROC AUC and R² are at most 1, negated losses at most 0)');
  }
  const known = Object.entries(e.metrics).filter(([name, v]) => isMetricName(name) && v !== null);
  if (known.length === 0) return;
  const matches = known.some(([name, v]) => isMetricName(name) && v !== null && higherIsBetter(name, v) === score);
  if (!matches) {
    throw fail(at, `primaryScore ${score} is none of its metrics (${known.map(([n, v]) => `${n} ${v}`).join(', ')}), ` +
      'nor a loss among them negated');
  }
}

function describeRange(range: { min: number; max: number }): string {
  if (range.max === Infinity) return `a number ≥ ${range.min}`;
  if (range.min === -Infinity) return `a number ≤ ${range.max}`;
  return `a number in [${range.min}, ${range.max}]`;
}

/**
 * The search spaces an import checks configurations against: the space records of the file (each
 * checked when read) and those of the store, every version of a name.
 */
export class ImportSpaces {
  private readonly fromFile = new Map<string, SearchSpace[]>();
  private readonly fromStore = new Map<string, SearchSpace[]>();

  constructor(private readonly store: MetaStore) {}

  /**
   * Checks a space record's definition and keeps it.
   * @throws StoreError at its line when the definition is not a valid search space or names another space
   */
  addFromFile(space: R.SearchSpaceRecord, at: At): void {
    const parsed = parseDefinition(space.definition, at);
    if (parsed.name !== space.name) {
      throw fail(at, `the space record is named '${space.name}' but its definition is space '${parsed.name}'`);
    }
    this.fromFile.set(space.name, [...(this.fromFile.get(space.name) ?? []), parsed]);
  }

  /**
   * Checks a configuration: its hash is `configHash` of its content, and some version of its space accepts it.
   * @throws StoreError at the record's line
   */
  checkConfiguration(space: string, hash: string, config: R.StoredConfiguration, at: At): void {
    const expected = safeHash(config, at);
    if (hash !== expected) {
      throw fail(at, `configuration hash '${hash}' does not match its content (configHash gives '${expected}')`);
    }
    const candidates = this.spaces(space, at);
    let firstError: unknown;
    for (const candidate of candidates) {
      try {
        candidate.validateConfiguration(config);
        return;
      } catch (error) {
        if (!(error instanceof SearchSpaceError)) throw error;
        firstError ??= error;
      }
    }
    throw fail(at, `configuration ${hash} is outside its search space: ${firstError instanceof Error ? firstError.message : String(firstError)}`);
  }

  private spaces(name: string, at: At): SearchSpace[] {
    const inFile = this.fromFile.get(name) ?? [];
    let stored = this.fromStore.get(name);
    if (stored === undefined) {
      stored = this.store.listSearchSpaces().filter((s) => s.name === name).flatMap((s) => parseStored(s.definition));
      this.fromStore.set(name, stored);
    }
    const all = [...inFile, ...stored];
    if (all.length === 0) {
      throw fail(at, `unknown search space '${name}': neither the file nor the store has a valid definition of it ` +
        '(export it with its space record)');
    }
    return all;
  }
}

function parseDefinition(definition: R.JsonValue, at: At): SearchSpace {
  try {
    return parseSearchSpace(definition);
  } catch (error) {
    if (!(error instanceof SearchSpaceError)) throw error;
    throw fail(at, `field 'definition' is not a valid search space: ${error.message}`);
  }
}

function parseStored(definition: R.JsonValue): SearchSpace[] {
  try {
    return [parseSearchSpace(definition)];
  } catch (error) {
    if (error instanceof SearchSpaceError) return [];
    throw error;
  }
}

/** @returns `configHash(config)`, or a StoreError at the line for a value JSON cannot hash */
function safeHash(config: R.StoredConfiguration, at: At): string {
  try {
    return configHash(config);
  } catch (error) {
    if (error instanceof SearchSpaceError) throw fail(at, error.message);
    throw error;
  }
}

/**
 * The part of a record that a second record under the same key must repeat. What only says when or
 * where a record was made (creation time, a task's source path, an evaluation's wall time, backend
 * and version, an error's wording) may differ; what it measured may not.
 * @returns canonical JSON of that part, and the record's natural key
 */
export function recordIdentity(record: ImportRecord): { key: string; meaning: string } {
  const key = (...parts: unknown[]): string => JSON.stringify([record.kind, ...parts]);
  const v = record.value;
  switch (record.kind) {
    case 'space':
      return { key: key(record.value.name, record.value.version), meaning: canonicalJson(record.value.definition) };
    case 'task': {
      const t = record.value;
      return { key: key(t.name), meaning: canonicalJson(taskMeaning(t)) };
    }
    case 'metaFeatures':
      return { key: key(record.value.task, record.value.extractorVersion), meaning: canonicalJson(featuresMeaning(record.value)) };
    case 'configuration':
      return { key: key(record.value.space, record.value.hash), meaning: canonicalJson(record.value.config) };
    case 'evaluation': {
      const e = record.value;
      return { key: key(e.task, e.space, e.configHash, e.protocolId, e.fidelity, e.seed), meaning: canonicalJson(evaluationMeaning(e)) };
    }
    case 'study':
      return { key: key(record.value.name), meaning: canonicalJson({ ...record.value, createdAt: null }) };
    case 'trial':
      return { key: key(record.value.study, record.value.number), meaning: canonicalJson(trialMeaning(record.value)) };
    case 'metaModel':
      return { key: key(record.value.name, record.value.version), meaning: canonicalJson({ weights: Buffer.from(record.value.weights).toString('base64'), report: record.value.report }) };
    case 'provenance':
      return { key: key(record.value.id), meaning: canonicalJson({ ...v, id: null }) };
  }
}

function taskMeaning(t: R.TaskInput): unknown {
  return { contentHash: t.contentHash, nRows: t.nRows, nFeatures: t.nFeatures, taskType: t.taskType, target: t.target, nClasses: t.nClasses };
}

function featuresMeaning(f: R.MetaFeatureRecord | R.MetaFeatureInput): unknown {
  return { values: finiteRecord(f.values), missing: f.missing };
}

/** The measured part of an evaluation, in the form the store keeps it (its configuration is the hash's). */
export function evaluationMeaning(e: R.EvaluationInput): unknown {
  return {
    status: e.status, primaryScore: finiteOrNull(e.primaryScore), metrics: finiteRecord(e.metrics), curve: storedCurve(e.curve),
    epochsRun: e.epochsRun,
  };
}

function trialMeaning(t: R.TrialRecord): unknown {
  return { state: t.state, configHash: t.configHash, config: t.config, value: finiteOrNull(t.value), intermediate: t.intermediate.map(finiteOrNull) };
}

/**
 * Finds what the store holds under a record's key when it says something else.
 * @returns a description of the contradiction, or undefined when the store has no such key or agrees
 */
export function contradiction(store: MetaStore, record: ImportRecord): string | undefined {
  const differs = (stored: unknown, mine: unknown): boolean => canonicalJson(stored) !== canonicalJson(mine);
  switch (record.kind) {
    case 'task': {
      const stored = store.getTask(record.value.name);
      return stored !== undefined && differs(taskMeaning(stored), taskMeaning(record.value))
        ? `task '${record.value.name}' is stored as ${canonicalJson(taskMeaning(stored))}` : undefined;
    }
    case 'metaFeatures': {
      const stored = store.getMetaFeatures(record.value.task, record.value.extractorVersion);
      return stored !== undefined && differs(featuresMeaning(stored), featuresMeaning(record.value))
        ? `the meta-features of task '${record.value.task}' (extractor ${record.value.extractorVersion}) are stored with other values` : undefined;
    }
    case 'trial': {
      const stored = store.getStudy(record.value.study) === undefined ? undefined : store.listTrials(record.value.study).find((t) => t.number === record.value.number);
      return stored !== undefined && differs(trialMeaning(stored), trialMeaning(record.value))
        ? `trial ${record.value.number} of study '${record.value.study}' is stored as ${stored.state} with value ${stored.value}` : undefined;
    }
    case 'metaModel': {
      const stored = store.getMetaModel(record.value.name, record.value.version);
      if (stored === undefined) return undefined;
      const same = Buffer.from(stored.weights).equals(Buffer.from(record.value.weights)) && !differs(stored.report, record.value.report);
      return same ? undefined : `meta-model '${record.value.name}' version ${record.value.version} is stored with other weights or report`;
    }
    default:
      return undefined;
  }
}

/**
 * Finds evaluations of the file whose key the store holds with another outcome.
 * @returns the first contradicting record and what the store holds, or undefined
 */
export function evaluationContradiction(
  store: MetaStore,
  records: readonly (ImportRecord & { kind: 'evaluation' })[],
): { record: ImportRecord; stored: R.EvaluationRecord } | undefined {
  const byPair = new Map<string, (ImportRecord & { kind: 'evaluation' })[]>();
  for (const r of records) {
    const pair = JSON.stringify([r.value.task, r.value.space]);
    byPair.set(pair, [...(byPair.get(pair) ?? []), r]);
  }
  for (const group of byPair.values()) {
    const { task, space } = group[0].value;
    const keyOf = (e: { configHash: string; protocolId: string; fidelity: number; seed: number }): string =>
      JSON.stringify([e.configHash, e.protocolId, e.fidelity, e.seed]);
    const storedKeys = new Set(store.listEvaluationScores({ task, space }).map(keyOf));
    const overlapping = group.filter((r) => storedKeys.has(keyOf(r.value)));
    if (overlapping.length === 0) continue;
    const stored = new Map(store.listEvaluations({ task, space }).map((e) => [keyOf(e), e]));
    for (const r of overlapping) {
      const s = stored.get(keyOf(r.value));
      if (s !== undefined && canonicalJson(evaluationMeaning(s)) !== canonicalJson(evaluationMeaning(r.value))) return { record: r, stored: s };
    }
  }
  return undefined;
}

/**
 * Checks a trial's configuration hash against its content.
 * @throws StoreError at the record's line
 */
export function checkTrialHash(trial: R.TrialRecord, at: At): void {
  const expected = safeHash(trial.config, at);
  if (trial.configHash !== expected) {
    throw fail(at, `trial ${trial.number}: configuration hash '${trial.configHash}' does not match its content (configHash gives '${expected}')`);
  }
}
