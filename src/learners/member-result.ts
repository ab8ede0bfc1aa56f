/**
 * What one trained member of a group comes back as, before serialisation: plain data, no tensors
 * (so the public types of a model never reach TensorFlow.js's own declarations).
 */

/** Why a model stopped training. */
export type StopReason = 'running' | 'patience' | 'max-epochs' | 'diverged';

/** The outcome of one member of a group, before serialisation. */
export interface MemberResult {
  readonly status: 'ok' | 'failed';
  readonly error?: string;
  readonly stopReason: StopReason;
  readonly epochsRun: number;
  readonly bestEpoch: number;
  readonly trainLoss: number[];
  readonly validLoss: number[];
  readonly validPredictions: Float32Array;
  readonly wallTimeMs: number;
  /** The model's own parameter vector at its best epoch. */
  readonly params: Float32Array;
  /** Running batch-normalisation statistics at its best epoch, per hidden layer. */
  readonly movingMean: Float32Array[];
  readonly movingVariance: Float32Array[];
}
