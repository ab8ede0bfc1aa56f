/**
 * TensorFlow.js base learners (MLP and linear models) and the fused trainer. {@link trainBatch}
 * trains many configurations on one task in this thread; {@link TrainerPool} spreads a batch over
 * worker threads, one backend each.
 */
import { tf } from '../backend/tf.ts';
import { activeBackend, selectBackend } from '../backend/index.ts';
import { TrainingError } from '../errors.ts';
import { DeviceTask } from './device-task.ts';
import { trainGroup } from './fused-trainer.ts';
import { planTraining, type PlannedRequest } from './grouping.ts';
import { GroupLayout } from './layout.ts';
import { DenseNetwork } from './model.ts';
import type { TrainBatchOptions, TrainOutcome, TrainRequest, TrainTask, TrainingData } from './types.ts';

export type * from './types.ts';
export type { Configuration, ModelSpec, LearnerName, Activation, OptimizerName, LrSchedule } from './config.ts';
export { parseModelSpec, scheduledLearningRate } from './config.ts';
export { DenseNetwork, predict } from './model.ts';
export { planTraining, estimatedCost, MAX_GROUP_SIZE } from './grouping.ts';
export { defaultWorkers, TrainerPool, type TrainerPoolOptions } from './pool.ts';

/**
 * Trains every request on the task, fusing requests that can share ops (see grouping.ts). A
 * request with an invalid configuration, or one that diverges, gets a `failed` outcome; the others
 * are unaffected. Tensors are freed whatever happens.
 * @param task - train and validation data
 * @param requests - the models to train
 * @param options - keep models, abort signal, progress callback, backend
 * @returns one outcome per request, in order
 * @throws TrainingError when the task itself is malformed; the signal's reason when aborted
 */
export async function trainBatch(task: TrainTask, requests: readonly TrainRequest[], options: TrainBatchOptions = {}): Promise<TrainOutcome[]> {
  checkTask(task);
  const backend = (options.backend === undefined ? activeBackend() ?? (await selectBackend('auto')) : await selectBackend(options.backend)).name;
  const plan = planTraining(requests, task.train.nRows);
  const outcomes: TrainOutcome[] = new Array(requests.length);
  for (const { index, error } of plan.invalid) outcomes[index] = failedOutcome(error, backend);
  const data = new DeviceTask(task);
  try {
    for (const group of plan.groups) {
      const results = await trainOneGroup(data, task, group, options, backend);
      group.forEach((planned, k) => (outcomes[planned.index] = results[k]));
    }
  } finally {
    data.dispose();
  }
  return outcomes;
}

async function trainOneGroup(data: DeviceTask, task: TrainTask, group: readonly PlannedRequest[], options: TrainBatchOptions, backend: string): Promise<TrainOutcome[]> {
  const members = group.map((p) => ({ spec: p.spec, seed: p.request.seed }));
  const onEpoch = options.onEpoch;
  const results = await trainGroup(data, members, {
    shuffleSeed: group[0].shuffleSeed,
    signal: options.signal,
    onEpoch: onEpoch === undefined ? undefined : (k, epoch, loss) => onEpoch(group[k].index, epoch, loss),
  });
  const layout = options.keepModels ? new GroupLayout(members.map((m) => m.spec), data.nFeatures, data.nOutputs) : undefined;
  return results.map((r, k): TrainOutcome => ({
    status: r.status,
    error: r.error,
    epochsRun: r.epochsRun,
    bestEpoch: r.bestEpoch,
    curve: { trainLoss: r.trainLoss, validLoss: r.validLoss },
    validPredictions: r.validPredictions,
    wallTimeMs: r.wallTimeMs,
    backend,
    model: layout === undefined || r.status !== 'ok' || r.bestEpoch < 0
      ? undefined
      : DenseNetwork.fromMember(layout, k, r, { learner: group[k].request.learner, task: task.task, config: group[k].request.config }).toJSON(),
  }));
}

function failedOutcome(error: string, backend: string): TrainOutcome {
  return { status: 'failed', error, epochsRun: 0, bestEpoch: -1, curve: { trainLoss: [], validLoss: [] }, validPredictions: new Float32Array(0), wallTimeMs: 0, backend };
}

/**
 * Checks a task's shapes and targets.
 * @throws TrainingError naming the split and what is wrong
 */
export function checkTask(task: TrainTask): void {
  if (task.task === 'classification' && (!Number.isInteger(task.nClasses) || task.nClasses < 2)) {
    throw new TrainingError(`classification needs nClasses ≥ 2, got ${task.nClasses}`);
  }
  if (task.train.nRows < 1 || task.valid.nRows < 1) throw new TrainingError('train and valid splits need at least one row');
  if (task.train.nCols !== task.valid.nCols || task.train.nCols < 1) {
    throw new TrainingError(`train has ${task.train.nCols} columns and valid ${task.valid.nCols}; expected the same positive width`);
  }
  checkSplit('train', task.train, task);
  checkSplit('valid', task.valid, task);
}

function checkSplit(name: string, data: TrainingData, task: TrainTask): void {
  if (data.X.length !== data.nRows * data.nCols) throw new TrainingError(`${name}: X has ${data.X.length} values, expected ${data.nRows} × ${data.nCols}`);
  if (data.y.length !== data.nRows) throw new TrainingError(`${name}: y has ${data.y.length} values, expected ${data.nRows}`);
  for (let i = 0; i < data.X.length; i++) {
    if (!Number.isFinite(data.X[i])) throw new TrainingError(`${name}: feature value at row ${Math.floor(i / data.nCols) + 1}, column ${(i % data.nCols) + 1} is ${data.X[i]}`);
  }
  for (let i = 0; i < data.y.length; i++) {
    const v = data.y[i];
    const bad = task.task === 'classification' ? !Number.isInteger(v) || v < 0 || v >= task.nClasses : !Number.isFinite(v);
    if (bad) throw new TrainingError(`${name}: target at row ${i + 1} is ${v}, expected ${task.task === 'classification' ? `a class index in [0, ${task.nClasses})` : 'a finite number'}`);
  }
}

/** @returns the number of tensors alive in this thread (for leak checks) */
export function liveTensors(): number {
  return tf.memory().numTensors;
}
