/**
 * Creating and resuming studies.
 *
 * Resuming after a crash: `loadStudy` rebuilds the space, seed, sampler and pruner from the
 * stored settings; its `ask` then re-claims the trials a dead process left 'running' — those whose
 * heartbeat is older than the grace period (`staleAfterMs`, default 60 s), or that were released —
 * with the same number and configuration, before anything else. So no trial is lost (the
 * interrupted ones are run again to the end) and none is repeated (no new number is spent on
 * them, the sampler never proposes a configuration the study has tried, and a live worker's
 * running trial is never taken over). Any number of processes may load and run one study at once.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SearchSpace } from '../spaces/index.ts';
import { PostgresMetaStore } from '../store/postgres-store.ts';
import { SqliteMetaStore } from '../store/sqlite-store.ts';
import { parseStorageUrl } from '../store/storage-url.ts';
import type { MetaStore } from '../store/types.ts';
import { MetaStoreStudyStorage } from './metastore-storage.ts';
import { prepareTeaching, type StudyTeacher } from './teach.ts';
import { warmStartStudy, type WarmStartOptions } from './warm-start.ts';
import { builtinSearchSpaceNames } from '../spaces/index.ts';
import { StudyError } from './errors.ts';
import { InMemoryStudyStorage } from './memory-storage.ts';
import { NopPruner } from './pruners/none.ts';
import type { Pruner } from './pruners/pruner.ts';
import { RandomSampler } from './samplers/random.ts';
import type { Sampler } from './samplers/sampler.ts';
import { decodeSettings, encodeSettings, prunerFromSettings, samplerFromSettings } from './settings.ts';
import type { StudyStorage } from './storage.ts';
import { DEFINE_BY_RUN_SPACE, Study } from './study.ts';
import { resolveStudyTask, type StudyTaskSpec } from './study-task.ts';
import type { StudyDirection, StudyTask } from './types.ts';

/**
 * Where a study lives: a {@link StudyStorage}, a {@link MetaStore} (the meta-knowledge store),
 * a storage URL (`src/store/storage-url.ts`, as Optuna writes them) — `sqlite:////abs/path.sqlite`,
 * `sqlite:///relative/path.sqlite` (the file and its folder are created, the schema migrated),
 * `postgresql://user@host:port/database` (a database every worker on every machine shares; needs
 * `npm install pg`) — or none: in memory.
 */
export type StudyStorageSpec = StudyStorage | MetaStore | string;

/**
 * @param spec - see {@link StudyStorageSpec}
 * @returns the storage, and what closes what was opened here (a store opened from a URL)
 * @throws UsageError for a URL that is neither SQLite nor PostgreSQL
 * @throws SetupError for a postgresql:// URL without the pg driver installed
 */
export function resolveStorage(spec: StudyStorageSpec | undefined): { storage: StudyStorage; close?: () => void } {
  if (spec === undefined) return { storage: new InMemoryStudyStorage() };
  if (typeof spec === 'string') {
    const store = openStorageUrl(spec);
    return { storage: new MetaStoreStudyStorage(store), close: () => store.close() };
  }
  if ('claimTrial' in spec) return { storage: spec };
  return { storage: new MetaStoreStudyStorage(spec) };
}

/** Opens the store a storage URL names, creating an SQLite file and its folder when missing. */
function openStorageUrl(spec: string): MetaStore {
  const location = parseStorageUrl(spec, 'storage');
  if (location.kind === 'postgresql') return PostgresMetaStore.open(location.url);
  if (location.path !== ':memory:') mkdirSync(dirname(location.path), { recursive: true });
  return SqliteMetaStore.open(location.path);
}

/** Options of {@link createStudy}. */
export interface CreateStudyOptions {
  /** Unique within the storage; a random name by default. */
  readonly name?: string;
  /** The same as `name` (Optuna's spelling). */
  readonly studyName?: string;
  /** The declared space; none: define-by-run (the objective calls `trial.suggestFloat`...). */
  readonly space?: SearchSpace;
  /** The name the space is stored under (default the declared space's, else 'define-by-run'). */
  readonly spaceName?: string;
  readonly direction: StudyDirection;
  /** Default: {@link RandomSampler}. */
  readonly sampler?: Sampler;
  /** Default: {@link NopPruner}. */
  readonly pruner?: Pruner;
  /** Default: a fresh {@link InMemoryStudyStorage}; see {@link StudyStorageSpec}. */
  readonly storage?: StudyStorageSpec;
  /** Seeds every proposal: proposal k draws from `deriveSeed(seed, 'ask', k)` (default: a random seed, stored). */
  readonly seed?: number;
  /**
   * The task optimised for: a dataset file path, a loaded `Dataset`, or `{ name, metaFeatures?,
   * taskType? }` (`study-task.ts`). Over the meta-knowledge store a task not registered yet is
   * registered — a file or Dataset with its meta-features, as `metatune db add` does; a bare name
   * with placeholders and the given meta-features.
   */
  readonly task?: StudyTaskSpec;
  /**
   * Resume (as {@link loadStudy}) when a study of this name exists, instead of throwing. The
   * stored seed is kept, and the stored sampler and pruner settings unless `sampler` or `pruner`
   * is given; direction, task and space must match the stored ones.
   */
  readonly loadIfExists?: boolean;
  /** Grace period of a dead worker's heartbeat before its trial is re-claimed (default 60 s). */
  readonly staleAfterMs?: number;
  /**
   * Teach the store: each finished trial is also written as an evaluation of `task` in `space`
   * under this protocol (e.g. `user:my-cnn`), so `recommend --space NAME` and the meta-models learn
   * from it. Needs a meta-knowledge store (a storage URL or MetaStore) and a `task` (registered
   * here when new); a define-by-run study names its space (`spaceName`), which is
   * discovered from its trials and stored. Stored with the study, so `loadStudy` goes on teaching.
   */
  readonly protocol?: string;
  /**
   * Warm-start a new study from the user's past studies of the same space (their evaluations, see
   * `protocol`): the top `count` configurations of the stored learned model, knn, or — for a task
   * without meta-features — the portfolio are enqueued (`warm-start.ts`). Needs the
   * meta-knowledge store and a task; nothing is enqueued while the space has no other task.
   */
  readonly warmStart?: number | WarmStartOptions;
}

/**
 * Creates a study and records it with its settings in the storage.
 * @param options - see {@link CreateStudyOptions}
 * @returns the new study (or the resumed one, with `loadIfExists`)
 * @throws StudyError when the name is taken (without `loadIfExists`, or by a study of another
 *   direction, task or space) or the seed is not an integer
 * @throws StoreError when the storage refuses the study (a different study of that name), or the
 *   task's name is registered from other data (TaskNameTakenError)
 * @throws DatasetError for a task file that cannot be read
 */
export function createStudy(options: CreateStudyOptions): Study {
  const seed = options.seed ?? randomInt(2 ** 31);
  if (!Number.isSafeInteger(seed)) throw new StudyError(`seed must be an integer, got ${options.seed}`);
  if (options.name !== undefined && options.studyName !== undefined && options.name !== options.studyName) throw new StudyError('give name or studyName, not two different names');
  if (options.space === undefined && options.sampler?.defineByRun === false) {
    throw new StudyError(`sampler '${options.sampler.name}' needs a declared space (pass { space }); define-by-run studies take random, tpe or meta`);
  }
  const { storage, close } = resolveStorage(options.storage);
  try {
    return openNew(options, seed, storage, close);
  } catch (error) {
    close?.();
    throw error;
  }
}

function openNew(options: CreateStudyOptions, seed: number, storage: StudyStorage, close: (() => void) | undefined): Study {
  const task = options.task === undefined ? undefined : resolveStudyTask(options.task, storage);
  const name = options.name ?? options.studyName ?? `study-${randomUUID().slice(0, 8)}`;
  const spaceName = options.spaceName ?? options.space?.name ?? DEFINE_BY_RUN_SPACE;
  const sampler = options.sampler ?? new RandomSampler();
  const pruner = options.pruner ?? new NopPruner();
  const existing = storage.getStudy(name);
  if (existing !== undefined) {
    if (!options.loadIfExists) throw new StudyError(`study '${name}' exists; resume it with loadStudy or pass loadIfExists`);
    if (existing.direction !== options.direction || existing.task !== (task?.name ?? null)) {
      throw new StudyError(`study '${name}' exists for task '${existing.task ?? '-'}', ${existing.direction}; choose another name to start a different search`);
    }
    return loadFrom(name, storage, close, { space: options.space, sampler: options.sampler, pruner: options.pruner, task, staleAfterMs: options.staleAfterMs });
  }
  const teacher = teacherOf(storage, options.protocol, task?.name, options.space, spaceName, options.direction, seed);
  storage.createStudy({
    name,
    direction: options.direction,
    space: spaceName,
    task: task?.name ?? null,
    settings: encodeSettings(seed, options.space, sampler, pruner, options.protocol),
  });
  const study = new Study({ name, space: options.space, spaceName, teacher, direction: options.direction, sampler, pruner, storage, seed, task, staleAfterMs: options.staleAfterMs, onClose: close });
  if (options.warmStart !== undefined) warmStartStudy(study, typeof options.warmStart === 'number' ? { count: options.warmStart } : options.warmStart);
  return study;
}

/**
 * @returns what a teaching study writes to, or undefined without a protocol
 * @throws StudyError when the protocol cannot be honoured (no meta-knowledge store, task or declared space)
 */
function teacherOf(storage: StudyStorage, protocol: string | undefined, task: string | undefined, space: SearchSpace | undefined, spaceName: string, direction: StudyDirection, seed: number): StudyTeacher | undefined {
  if (protocol === undefined) return undefined;
  if (!(storage instanceof MetaStoreStudyStorage)) throw new StudyError(`protocol '${protocol}': storing trials as evaluations needs the meta-knowledge store (a storage URL or a MetaStore)`);
  if (task === undefined) throw new StudyError(`protocol '${protocol}': name the study's task ({ task: 'data.csv' }, a Dataset, or { task: { name } })`);
  if (space === undefined && (spaceName === DEFINE_BY_RUN_SPACE || builtinSearchSpaceNames().includes(spaceName))) {
    throw new StudyError(`protocol '${protocol}': a define-by-run study names the space its trials are stored in ({ spaceName: 'my-model' }, not '${spaceName}')`);
  }
  const teacher = { store: storage.store, task, space, spaceName, protocol, direction, seed };
  prepareTeaching(teacher);
  return teacher;
}

/** Options of {@link loadStudy}. */
export interface LoadStudyOptions {
  /** The study's name (with the object form `loadStudy({ studyName, storage })`). */
  readonly studyName?: string;
  /** Where it is stored (with the object form); see {@link StudyStorageSpec}. */
  readonly storage?: StudyStorageSpec;
  /** Must have the stored space's fingerprint when given. */
  readonly space?: SearchSpace;
  /** Needed for samplers that cannot be rebuilt from their settings (not random or tpe). */
  readonly sampler?: Sampler;
  readonly pruner?: Pruner;
  readonly task?: StudyTask;
  /** Re-claim dead workers' trials (default true); false: never take over a running trial. */
  readonly resumeRunning?: boolean;
  /** Grace period of a dead worker's heartbeat before its trial is re-claimed (default 60 s). */
  readonly staleAfterMs?: number;
}

/**
 * Resumes a stored study; see the module comment.
 * @param name - the study's name
 * @param storage - where it is stored
 * @param options - see {@link LoadStudyOptions}
 * @returns the study, its numbering continuing after the stored trials
 * @throws StudyError for an unknown study, a space that does not match, or a sampler or pruner
 *   that cannot be rebuilt from its settings
 */
export function loadStudy(name: string, storage: StudyStorageSpec, options?: LoadStudyOptions): Study;
/** Resumes a stored study: `loadStudy({ studyName, storage, ... })`. */
export function loadStudy(options: LoadStudyOptions & { readonly studyName: string; readonly storage: StudyStorageSpec }): Study;
export function loadStudy(first: string | LoadStudyOptions, spec?: StudyStorageSpec, more: LoadStudyOptions = {}): Study {
  const options = typeof first === 'string' ? more : first;
  const name = typeof first === 'string' ? first : first.studyName;
  const where = typeof first === 'string' ? spec : first.storage;
  if (name === undefined || where === undefined) throw new StudyError('loadStudy needs a study name and its storage');
  const { storage, close } = resolveStorage(where);
  try {
    return loadFrom(name, storage, close, options);
  } catch (error) {
    close?.();
    throw error;
  }
}

function loadFrom(name: string, storage: StudyStorage, close: (() => void) | undefined, options: LoadStudyOptions): Study {
  const record = storage.getStudy(name);
  if (record === undefined) throw new StudyError(`unknown study '${name}'`);
  const settings = decodeSettings(name, record.settings);
  if (options.space !== undefined && settings.space === undefined) throw new StudyError(`study '${name}' is define-by-run; load it without a space`);
  if (options.space !== undefined && options.space.fingerprint() !== settings.space?.fingerprint()) {
    throw new StudyError(`study '${name}' was created for another version of search space '${record.space}'; start a new study`);
  }
  return new Study({
    name,
    space: options.space ?? settings.space,
    spaceName: record.space,
    onClose: close,
    teacher: teacherOf(storage, settings.protocol, record.task ?? undefined, options.space ?? settings.space, record.space, record.direction, settings.seed),
    direction: record.direction,
    sampler: options.sampler ?? samplerFromSettings(name, settings.sampler),
    pruner: options.pruner ?? prunerFromSettings(name, settings.pruner),
    storage,
    seed: settings.seed,
    task: options.task ?? (record.task === null ? undefined : { name: record.task }),
    staleAfterMs: (options.resumeRunning ?? true) ? options.staleAfterMs : Infinity,
  });
}
