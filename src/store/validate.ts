/**
 * Checks on records before they are written, so that a bad record fails with a StoreError that
 * names the field instead of a bare SQLite constraint message.
 */
import { StoreError } from '../errors.ts';
import type { EvaluationInput, TaskInput, TrialOutcome } from './records.ts';

/** @throws StoreError unless `value` is a non-empty string */
export function requireName(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new StoreError(`${what} must be a non-empty string`);
}

/** @throws StoreError unless `value` is an integer ≥ 0 */
export function requireCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new StoreError(`${what} must be an integer ≥ 0, got ${value}`);
}

/** @throws StoreError unless `value` is a finite number */
export function requireFinite(value: number, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new StoreError(`${what} must be a finite number, got ${value}`);
}

/**
 * Validates a task before it is registered.
 * @throws StoreError naming the first bad field
 */
export function validateTask(task: TaskInput): void {
  requireName(task.name, 'task name');
  requireName(task.source, `task '${task.name}': source`);
  if (!/^[0-9a-f]{64}$/.test(task.contentHash)) {
    throw new StoreError(`task '${task.name}': contentHash must be a lower-case hex sha256, got '${task.contentHash}'`);
  }
  requireCount(task.nRows, `task '${task.name}': nRows`);
  requireCount(task.nFeatures, `task '${task.name}': nFeatures`);
  if (task.taskType !== 'classification' && task.taskType !== 'regression') {
    throw new StoreError(`task '${task.name}': taskType must be 'classification' or 'regression', got '${task.taskType}'`);
  }
  requireName(task.target, `task '${task.name}': target`);
  if (task.nClasses !== null) requireCount(task.nClasses, `task '${task.name}': nClasses`);
}

/**
 * Validates an evaluation before it is written.
 * @throws StoreError naming the evaluation and the first bad field
 */
export function validateEvaluation(row: EvaluationInput): void {
  const what = `evaluation of '${row.configHash}' on task '${row.task}'`;
  requireName(row.space, `${what}: space`);
  requireName(row.configHash, `${what}: configHash`);
  requireName(row.protocolId, `${what}: protocolId`);
  requireFinite(row.fidelity, `${what}: fidelity`);
  if (!Number.isSafeInteger(row.seed)) throw new StoreError(`${what}: seed must be an integer, got ${row.seed}`);
  if (row.status !== 'ok' && row.status !== 'failed') {
    throw new StoreError(`${what}: status must be 'ok' or 'failed', got '${row.status}'`);
  }
  requireCount(row.epochsRun, `${what}: epochsRun`);
  requireFinite(row.wallTimeMs, `${what}: wallTimeMs`);
  requireName(row.backend, `${what}: backend`);
  requireName(row.metatuneVersion, `${what}: metatuneVersion`);
}

/** @throws StoreError unless the outcome's state ends a trial */
export function validateOutcome(outcome: TrialOutcome): void {
  const states = ['complete', 'failed', 'pruned'];
  if (!states.includes(outcome.state)) {
    throw new StoreError(`a trial ends as ${states.join(', ')}, not '${outcome.state}'`);
  }
}
