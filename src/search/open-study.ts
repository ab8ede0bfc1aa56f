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
import { randomUUID } from 'node:crypto';
import type { SearchSpace } from '../spaces/index.ts';
import { StudyError } from './errors.ts';
import { InMemoryStudyStorage } from './memory-storage.ts';
import { NopPruner } from './pruners/none.ts';
import type { Pruner } from './pruners/pruner.ts';
import { RandomSampler } from './samplers/random.ts';
import type { Sampler } from './samplers/sampler.ts';
import { decodeSettings, encodeSettings, prunerFromSettings, samplerFromSettings } from './settings.ts';
import type { StudyStorage } from './storage.ts';
import { Study } from './study.ts';
import type { StudyDirection, StudyTask } from './types.ts';

/** Options of {@link createStudy}. */
export interface CreateStudyOptions {
  /** Unique within the storage; a random name by default. */
  readonly name?: string;
  readonly space: SearchSpace;
  readonly direction: StudyDirection;
  /** Default: {@link RandomSampler}. */
  readonly sampler?: Sampler;
  /** Default: {@link NopPruner}. */
  readonly pruner?: Pruner;
  /** Default: a fresh {@link InMemoryStudyStorage}. */
  readonly storage?: StudyStorage;
  /** Seeds every proposal: proposal k draws from `deriveSeed(seed, 'ask', k)`. */
  readonly seed: number;
  /** The task optimised for (its name must be registered when the storage is the meta-knowledge store). */
  readonly task?: StudyTask;
  /**
   * Resume (as {@link loadStudy}) when a study of this name exists, instead of throwing. The
   * stored seed is kept, and the stored sampler and pruner settings unless `sampler` or `pruner`
   * is given; direction, task and space must match the stored ones.
   */
  readonly loadIfExists?: boolean;
  /** Grace period of a dead worker's heartbeat before its trial is re-claimed (default 60 s). */
  readonly staleAfterMs?: number;
}

/**
 * Creates a study and records it with its settings in the storage.
 * @param options - see {@link CreateStudyOptions}
 * @returns the new study (or the resumed one, with `loadIfExists`)
 * @throws StudyError when the name is taken (without `loadIfExists`, or by a study of another
 *   direction, task or space) or the seed is not an integer
 * @throws StoreError when the storage refuses the study (a different study of that name, unknown task)
 */
export function createStudy(options: CreateStudyOptions): Study {
  if (!Number.isSafeInteger(options.seed)) throw new StudyError(`seed must be an integer, got ${options.seed}`);
  const storage = options.storage ?? new InMemoryStudyStorage();
  const name = options.name ?? `study-${randomUUID().slice(0, 8)}`;
  const sampler = options.sampler ?? new RandomSampler();
  const pruner = options.pruner ?? new NopPruner();
  const existing = storage.getStudy(name);
  if (existing !== undefined) {
    if (!options.loadIfExists) throw new StudyError(`study '${name}' exists; resume it with loadStudy or pass loadIfExists`);
    if (existing.direction !== options.direction || existing.task !== (options.task?.name ?? null)) {
      throw new StudyError(`study '${name}' exists for task '${existing.task ?? '-'}', ${existing.direction}; choose another name to start a different search`);
    }
    return loadStudy(name, storage, { space: options.space, sampler: options.sampler, pruner: options.pruner, task: options.task, staleAfterMs: options.staleAfterMs });
  }
  storage.createStudy({
    name,
    direction: options.direction,
    space: options.space.name,
    task: options.task?.name ?? null,
    settings: encodeSettings(options.seed, options.space, sampler, pruner),
  });
  return new Study({ name, space: options.space, direction: options.direction, sampler, pruner, storage, seed: options.seed, task: options.task, staleAfterMs: options.staleAfterMs });
}

/** Options of {@link loadStudy}. */
export interface LoadStudyOptions {
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
export function loadStudy(name: string, storage: StudyStorage, options: LoadStudyOptions = {}): Study {
  const record = storage.getStudy(name);
  if (record === undefined) throw new StudyError(`unknown study '${name}'`);
  const settings = decodeSettings(name, record.settings);
  if (options.space !== undefined && options.space.fingerprint() !== settings.space.fingerprint()) {
    throw new StudyError(`study '${name}' was created for another version of search space '${record.space}'; start a new study`);
  }
  return new Study({
    name,
    space: options.space ?? settings.space,
    direction: record.direction,
    sampler: options.sampler ?? samplerFromSettings(name, settings.sampler),
    pruner: options.pruner ?? prunerFromSettings(name, settings.pruner),
    storage,
    seed: settings.seed,
    task: options.task ?? (record.task === null ? undefined : { name: record.task }),
    staleAfterMs: (options.resumeRunning ?? true) ? options.staleAfterMs : Infinity,
  });
}
