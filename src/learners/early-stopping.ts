/**
 * Per-model early stopping on the validation loss (Keras `EarlyStopping(patience,
 * restore_best_weights=True)`), epoch budgets, divergence detection and learning curves.
 */
import type { ModelSpec } from './config.ts';
import type { DeviceTask } from './device-task.ts';

export type { MemberResult, StopReason } from './member-result.ts';
import type { MemberResult, StopReason } from './member-result.ts';

interface ModelProgress {
  reason: StopReason;
  error?: string;
  epochs: number;
  bestLoss: number;
  bestEpoch: number;
  wait: number;
  trainLoss: number[];
  validLoss: number[];
  bestPredictions: Float32Array;
}

/** Early-stopping state of every model of a group. */
export class EarlyStopping {
  private readonly progress: ModelProgress[];

  constructor(private readonly specs: readonly ModelSpec[], private readonly data: DeviceTask, progress?: ModelProgress[]) {
    this.progress = progress ?? specs.map(() => ({ reason: 'running', epochs: 0, bestLoss: Infinity, bestEpoch: -1, wait: 0, trainLoss: [], validLoss: [], bestPredictions: new Float32Array(0) }));
  }

  /** @returns the state of some models only (shared, not copied), in the given order */
  subset(models: readonly number[]): EarlyStopping {
    return new EarlyStopping(models.map((k) => this.specs[k]), this.data, models.map((k) => this.progress[k]));
  }

  /** @returns the share of models that have stopped */
  stoppedShare(): number {
    return this.progress.filter((p) => p.reason !== 'running').length / this.progress.length;
  }

  /** @returns whether model `k` is still training */
  isActive(k: number): boolean {
    return this.progress[k].reason === 'running';
  }

  /** @returns whether any model is still training */
  anyActive(): boolean {
    return this.progress.some((p) => p.reason === 'running');
  }

  /**
   * Records an epoch of every active model.
   * @param epoch - 0-based epoch
   * @param trainLoss - each model's mean training loss
   * @param predictions - `K × (nValid·nOutputs)` validation predictions of the current weights
   * @param onEpoch - progress callback
   * @returns which models improved (their weights must be snapshotted)
   */
  observe(epoch: number, trainLoss: readonly number[], predictions: Float32Array, onEpoch?: (k: number, epoch: number, loss: number) => void): boolean[] {
    const width = this.data.nValid * (this.data.classification ? this.data.nOutputs : 1);
    return this.progress.map((p, k) => {
      if (p.reason !== 'running') return false;
      const values = predictions.subarray(k * width, (k + 1) * width);
      const validLoss = this.data.validLoss(values);
      p.epochs++;
      p.trainLoss.push(trainLoss[k]);
      p.validLoss.push(validLoss);
      onEpoch?.(k, epoch, validLoss);
      if (!Number.isFinite(trainLoss[k]) || !Number.isFinite(validLoss)) {
        p.reason = 'diverged';
        p.error = `diverged: ${Number.isFinite(trainLoss[k]) ? 'validation' : 'training'} loss is ${Number.isFinite(trainLoss[k]) ? validLoss : trainLoss[k]} at epoch ${epoch}`;
        return false;
      }
      const improved = validLoss < p.bestLoss;
      if (improved) {
        p.bestLoss = validLoss;
        p.bestEpoch = epoch;
        p.wait = 0;
        p.bestPredictions = values.slice();
      } else if (++p.wait >= this.specs[k].patience) {
        p.reason = 'patience';
      }
      if (p.reason === 'running' && p.epochs >= this.specs[k].maxEpochs) p.reason = 'max-epochs';
      return improved;
    });
  }

  /**
   * @param best - each model's best parameters and running statistics
   * @returns each model's result; `wallTimeMs` is 0, for the caller to apportion
   */
  results(best: { params: Float32Array[]; mean: Float32Array[][]; variance: Float32Array[][] }): MemberResult[] {
    return this.progress.map((p, k) => {
      const failed = p.reason === 'diverged';
      return {
        status: failed ? 'failed' : 'ok',
        error: p.error,
        stopReason: p.reason === 'running' ? 'max-epochs' : p.reason,
        epochsRun: p.epochs,
        bestEpoch: p.bestEpoch,
        trainLoss: p.trainLoss,
        validLoss: p.validLoss,
        validPredictions: failed ? new Float32Array(0) : p.bestPredictions,
        wallTimeMs: 0,
        params: best.params[k],
        movingMean: best.mean[k] ?? [],
        movingVariance: best.variance[k] ?? [],
      };
    });
  }
}
