/**
 * Which requests train together. Requests fuse when they share everything that fixes the shape
 * of the group's ops and its data order: learner depth, batch normalisation, activation, batch
 * size and shuffle seed. Widths, optimizers, learning rates, schedules, penalties, dropout rates,
 * patience and epoch budgets may differ inside a group.
 */
import { parseModelSpec, type ModelSpec } from './config.ts';
import type { TrainRequest } from './types.ts';

/** Most models fused into one group. */
export const MAX_GROUP_SIZE = 64;
/** Most parameters in one group (its flat vectors — parameters, moments, best — stay ~16 MB each). */
export const MAX_GROUP_PARAMETERS = 1 << 22;
/** Most stacked hidden activations per layer (units × batch summed over the group's models). */
export const MAX_GROUP_ACTIVATIONS = 1 << 22;

/** A request with its validated spec and position. */
export interface PlannedRequest {
  readonly index: number;
  readonly request: TrainRequest;
  readonly spec: ModelSpec;
  readonly shuffleSeed: number;
}

/** Requests split into valid ones (grouped) and invalid ones (with the reason). */
export interface TrainingPlan {
  readonly groups: PlannedRequest[][];
  readonly invalid: { readonly index: number; readonly error: string }[];
}

/** @returns the fusion key of a request */
export function groupKey(spec: ModelSpec, shuffleSeed: number, batchSize: number): string {
  return [spec.learner, spec.hiddenLayers, spec.batchNorm, spec.activation, batchSize, shuffleSeed].join('|');
}

/**
 * Validates requests and groups them.
 * @param requests - the requests
 * @param nTrain - training rows (batch sizes above it are clamped, so they fuse)
 * @param maxGroupSize - cap on models per group
 */
export function planTraining(requests: readonly TrainRequest[], nTrain: number, maxGroupSize = MAX_GROUP_SIZE): TrainingPlan {
  const byKey = new Map<string, PlannedRequest[]>();
  const invalid: { index: number; error: string }[] = [];
  requests.forEach((request, index) => {
    try {
      const spec = parseModelSpec(request.learner, request.config, request.maxEpochs);
      const shuffleSeed = request.shuffleSeed ?? request.seed;
      const key = groupKey(spec, shuffleSeed, Math.min(spec.batchSize, nTrain));
      const list = byKey.get(key) ?? [];
      list.push({ index, request, spec, shuffleSeed });
      byKey.set(key, list);
    } catch (error) {
      invalid.push({ index, error: error instanceof Error ? error.message : String(error) });
    }
  });
  const groups: PlannedRequest[][] = [];
  for (const list of byKey.values()) groups.push(...splitBySize(list, nTrain, maxGroupSize));
  return { groups, invalid };
}

/** Cuts a fusable list into groups within the size, parameter and activation caps. */
function splitBySize(list: readonly PlannedRequest[], nTrain: number, maxGroupSize: number): PlannedRequest[][] {
  const groups: PlannedRequest[][] = [];
  let current: PlannedRequest[] = [];
  let params = 0;
  let activations = 0;
  for (const planned of list) {
    const p = parameterCount(planned.spec);
    const a = planned.spec.units * Math.min(planned.spec.batchSize, nTrain);
    if (current.length > 0 && (current.length >= maxGroupSize || params + p > MAX_GROUP_PARAMETERS || activations + a > MAX_GROUP_ACTIVATIONS)) {
      groups.push(current);
      current = [];
      params = 0;
      activations = 0;
    }
    current.push(planned);
    params += p;
    activations += a;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** Parameters of a model, ignoring the (small) input and output layers' dependence on the task. */
function parameterCount(spec: ModelSpec): number {
  return Math.max(0, spec.hiddenLayers - 1) * spec.units * (spec.units + 1) + 64 * spec.units;
}

/**
 * A rough cost of training a request (multiply-adds over its epoch budget), for load balancing.
 * @param spec - the model
 * @param nFeatures - input width
 * @param nOutputs - output width
 * @param nTrain - training rows
 */
export function estimatedCost(spec: ModelSpec, nFeatures: number, nOutputs: number, nTrain: number): number {
  const width = spec.hiddenLayers === 0 ? nOutputs : spec.units;
  const perRow = nFeatures * width + Math.max(0, spec.hiddenLayers - 1) * spec.units * spec.units + (spec.hiddenLayers > 0 ? spec.units * nOutputs : 0);
  const steps = Math.ceil(nTrain / Math.min(spec.batchSize, nTrain));
  return spec.maxEpochs * (3 * perRow * nTrain + 2000 * steps);
}
