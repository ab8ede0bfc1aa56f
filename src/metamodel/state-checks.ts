/**
 * Checks on the state of a stored meta-model before it is rebuilt, so that a damaged or foreign
 * BLOB fails with a StoreError naming the field instead of a TypeError deep inside ranking.
 */
import { StoreError } from '../errors.ts';
import type { MetaFeatureScalerState } from './features.ts';
import type { NetworkShape } from './shapes.ts';
import type { IndexedTask } from './task-index.ts';
import { DEFAULT_EPISODIC_SETTINGS, type EpisodicSettings } from './train.ts';

/** @returns whether a value is a plain object */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(source: string, field: string): never {
  throw new StoreError(`${source}: stored state has a bad '${field}' (saved by another metatune version? retrain with metatune meta-train)`);
}

function numberField(o: Record<string, unknown>, key: string, source: string): number {
  const v = o[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : fail(source, key);
}

function numbers(value: unknown, field: string, source: string): number[] {
  if (!Array.isArray(value)) fail(source, field);
  return value.map((x) => (typeof x === 'number' ? x : fail(source, field)));
}

function strings(value: unknown, field: string, source: string): string[] {
  if (!Array.isArray(value)) fail(source, field);
  return value.map((x) => (typeof x === 'string' ? x : fail(source, field)));
}

function numberRecord(value: unknown, field: string, source: string): Record<string, number> {
  if (!isRecord(value)) fail(source, field);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'number' ? v : fail(source, field)]));
}

function nullableNumberRecord(value: unknown, field: string, source: string): Record<string, number | null> {
  if (!isRecord(value)) fail(source, field);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'number' || v === null ? v : fail(source, field)]));
}

function tasks(value: unknown, source: string): IndexedTask[] {
  if (!Array.isArray(value)) fail(source, 'tasks');
  return value.map((t): IndexedTask => {
    if (!isRecord(t) || typeof t.name !== 'string' || typeof t.extractorVersion !== 'string') fail(source, 'tasks');
    return { name: t.name, extractorVersion: t.extractorVersion, metaFeatures: nullableNumberRecord(t.metaFeatures, 'tasks.metaFeatures', source), scores: numberRecord(t.scores, 'tasks.scores', source) };
  });
}

/** @throws StoreError on a bad knn state */
export function checkKnnState(state: unknown, source: string): { warmStart: number; k: number; tasks: IndexedTask[] } {
  if (!isRecord(state)) fail(source, 'state');
  return { warmStart: numberField(state, 'warmStart', source), k: numberField(state, 'k', source), tasks: tasks(state.tasks, source) };
}

/** @throws StoreError on a bad portfolio state */
export function checkPortfolioState(state: unknown, source: string): { members: string[]; orderByNeighbors: boolean; k: number; tasks: IndexedTask[] } {
  if (!isRecord(state) || typeof state.orderByNeighbors !== 'boolean') fail(source, 'state');
  return { members: strings(state.members, 'members', source), orderByNeighbors: state.orderByNeighbors, k: numberField(state, 'k', source), tasks: tasks(state.tasks, source) };
}

/** @throws StoreError on a bad learned state */
export function checkLearnedState(state: unknown, source: string): {
  scaler: MetaFeatureScalerState; shape: NetworkShape; members: number; settings: EpisodicSettings; trainingLoss: number[]; taskScoreStd: number; tasks: IndexedTask[];
} {
  if (!isRecord(state) || !isRecord(state.scaler) || !isRecord(state.shape) || !isRecord(state.settings)) fail(source, 'state');
  const scaler = { names: strings(state.scaler.names, 'scaler.names', source), mean: numbers(state.scaler.mean, 'scaler.mean', source), std: numbers(state.scaler.std, 'scaler.std', source) };
  if (scaler.mean.length !== scaler.names.length || scaler.std.length !== scaler.names.length) fail(source, 'scaler');
  const shape = { input: numberField(state.shape, 'input', source), hidden: numberField(state.shape, 'hidden', source) };
  const stored = state.settings;
  const settings: EpisodicSettings = {
    steps: numberField(stored, 'steps', source), tasksPerStep: numberField(stored, 'tasksPerStep', source),
    querySize: numberField(stored, 'querySize', source), maxSupport: numberField(stored, 'maxSupport', source),
    zeroShotShare: numberField(stored, 'zeroShotShare', source), learningRate: numberField(stored, 'learningRate', source),
    temperature: typeof stored.temperature === 'number' ? stored.temperature : DEFAULT_EPISODIC_SETTINGS.temperature,
    mseWeight: typeof stored.mseWeight === 'number' ? stored.mseWeight : DEFAULT_EPISODIC_SETTINGS.mseWeight,
  };
  return { scaler, shape, members: numberField(state, 'members', source), settings, trainingLoss: numbers(state.trainingLoss, 'trainingLoss', source), taskScoreStd: numberField(state, 'taskScoreStd', source), tasks: tasks(state.tasks, source) };
}
