/**
 * What a study stores about itself (`StudyRecord.settings`): the seed, the search space in its
 * file format with its fingerprint, and the sampler and pruner settings, so that
 * `loadStudy(name, storage)` can rebuild the study from the storage alone.
 */
import { ParseContext, parseSearchSpace, type SearchSpace } from '../spaces/index.ts';
import { StudyError } from './errors.ts';
import { NopPruner } from './pruners/none.ts';
import type { Pruner } from './pruners/pruner.ts';
import { SuccessiveHalvingPruner } from './pruners/successive-halving.ts';
import { RandomSampler } from './samplers/random.ts';
import type { Sampler } from './samplers/sampler.ts';
import { TPESampler } from './samplers/tpe.ts';
import type { JsonValue } from './types.ts';

/** Version of the settings layout. */
export const STUDY_SETTINGS_VERSION = 1;

type JsonObject = { readonly [key: string]: JsonValue };

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numberAt(object: JsonObject, key: string): number | undefined {
  const value = object[key];
  return typeof value === 'number' ? value : undefined;
}

function booleanAt(object: JsonObject, key: string): boolean | undefined {
  const value = object[key];
  return typeof value === 'boolean' ? value : undefined;
}

/** The decoded settings of a stored study. */
export interface StudySettings {
  readonly seed: number;
  /** The declared space; undefined for a define-by-run study. */
  readonly space: SearchSpace | undefined;
  readonly sampler: JsonValue;
  readonly pruner: JsonValue;
  /** The protocol its finished trials are stored under as evaluations, if it teaches the store. */
  readonly protocol?: string;
}

/** @returns the settings to store for a new study */
export function encodeSettings(seed: number, space: SearchSpace | undefined, sampler: Sampler, pruner: Pruner, protocol?: string): JsonValue {
  return {
    ...(protocol === undefined ? {} : { protocol }),
    version: STUDY_SETTINGS_VERSION,
    seed,
    // a define-by-run study stores no space: its trials record their parameters
    spaceFingerprint: space?.fingerprint() ?? null,
    space: space?.toJSON() ?? null,
    sampler: sampler.toJSON(),
    pruner: pruner.toJSON(),
  };
}

/**
 * @param study - the study's name, for messages
 * @param settings - the stored settings
 * @returns the seed, the rebuilt space and the sampler and pruner settings
 * @throws StudyError when the settings are not this code's layout
 */
export function decodeSettings(study: string, settings: JsonValue): StudySettings {
  if (!isObject(settings) || settings.version !== STUDY_SETTINGS_VERSION) {
    throw new StudyError(`study '${study}': stored settings are not version ${STUDY_SETTINGS_VERSION} of metatune's study settings`);
  }
  const seed = numberAt(settings, 'seed');
  if (seed === undefined) throw new StudyError(`study '${study}': stored settings have no seed`);
  const protocol = typeof settings.protocol === 'string' ? settings.protocol : undefined;
  if (settings.space === null || settings.space === undefined) return { seed, space: undefined, sampler: settings.sampler ?? null, pruner: settings.pruner ?? null, protocol };
  const space = parseSearchSpace(settings.space, new ParseContext(`study '${study}' (its stored search space)`));
  if (space.fingerprint() !== settings.spaceFingerprint) {
    throw new StudyError(`study '${study}': the stored search space does not match its fingerprint`);
  }
  return { seed, space, sampler: settings.sampler ?? null, pruner: settings.pruner ?? null, protocol };
}

/**
 * Rebuilds a built-in sampler (random, tpe) from its stored settings.
 * @throws StudyError for another sampler: pass it to `loadStudy`
 */
export function samplerFromSettings(study: string, json: JsonValue): Sampler {
  if (isObject(json) && json.name === 'random') return new RandomSampler();
  if (isObject(json) && json.name === 'tpe') {
    return new TPESampler({
      nStartupTrials: numberAt(json, 'nStartupTrials'),
      nEiCandidates: numberAt(json, 'nEiCandidates'),
      priorWeight: numberAt(json, 'priorWeight'),
      considerMagicClip: booleanAt(json, 'considerMagicClip'),
      constantLiar: booleanAt(json, 'constantLiar'),
      multivariate: booleanAt(json, 'multivariate'),
    });
  }
  throw new StudyError(`study '${study}': cannot rebuild sampler ${JSON.stringify(json)}; pass { sampler } to loadStudy`);
}

/**
 * Rebuilds a built-in pruner (none, sh) from its stored settings.
 * @throws StudyError for another pruner: pass it to `loadStudy`
 */
export function prunerFromSettings(study: string, json: JsonValue): Pruner {
  if (isObject(json) && json.name === 'none') return new NopPruner();
  if (isObject(json) && json.name === 'sh') {
    return new SuccessiveHalvingPruner({
      minResource: numberAt(json, 'minResource'),
      reductionFactor: numberAt(json, 'reductionFactor'),
      minEarlyStoppingRate: numberAt(json, 'minEarlyStoppingRate'),
      bootstrapCount: numberAt(json, 'bootstrapCount'),
    });
  }
  throw new StudyError(`study '${study}': cannot rebuild pruner ${JSON.stringify(json)}; pass { pruner } to loadStudy`);
}
