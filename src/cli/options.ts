/**
 * Parsing of numeric command-line options, shared by every command: each option has a range, and
 * a value outside it, or one that is not plainly written (hex, exponent, empty, `NaN`,
 * `Infinity`, surrounding spaces), is a {@link UsageError} such as
 * `option --count: expected an integer from 1 to 10000, got '1e9'`.
 *
 * Also the machine's cap on training workers: one per core, and no more than free memory holds.
 */
import os from 'node:os';
import { UsageError } from '../errors.ts';
import { escapeText } from './format.ts';

/** Range of a numeric option, inclusive. */
export interface OptionRange {
  readonly min: number;
  readonly max: number;
}

/** The largest seed: seeds are 32-bit unsigned integers. */
export const MAX_SEED = 2 ** 32 - 1;

/** Range of every `--seed`. */
export const SEED_RANGE: OptionRange = { min: 0, max: MAX_SEED };

/** Hard range of `--workers` before the machine's cap ({@link capWorkers}) applies. */
export const WORKERS_RANGE: OptionRange = { min: 1, max: 1024 };

const INTEGER = /^-?[0-9]+$/;
const DECIMAL = /^-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

/**
 * Parses an integer option written in decimal digits.
 * @param value - the raw value, or undefined when the option was not given
 * @param option - the option's name (`--count`), for the message
 * @param range - the accepted values, inclusive
 * @param fallback - the value when the option was not given
 * @returns the integer
 * @throws UsageError naming the option, the range and the value otherwise
 */
export function parseIntOption(value: string | undefined, option: string, range: OptionRange, fallback: number): number;
export function parseIntOption(value: string | undefined, option: string, range: OptionRange): number | undefined;
export function parseIntOption(value: string | undefined, option: string, range: OptionRange, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = INTEGER.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < range.min || n > range.max) throw rangeError('an integer', value, option, range);
  return n;
}

/**
 * Parses a decimal number option (`0.5`, `1e-3`; no hex, no `Infinity`).
 * @param value - the raw value, or undefined when the option was not given
 * @param option - the option's name, for the message
 * @param range - the accepted values, inclusive
 * @param fallback - the value when the option was not given
 * @returns the number
 * @throws UsageError naming the option, the range and the value otherwise
 */
export function parseFloatOption(value: string | undefined, option: string, range: OptionRange, fallback: number): number;
export function parseFloatOption(value: string | undefined, option: string, range: OptionRange): number | undefined;
export function parseFloatOption(value: string | undefined, option: string, range: OptionRange, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = DECIMAL.test(value) ? Number(value) : NaN;
  if (!Number.isFinite(n) || n < range.min || n > range.max) throw rangeError('a number', value, option, range);
  return n;
}

/**
 * Parses a comma-separated list of integers, each in range.
 * @returns the integers, in the order given
 * @throws UsageError on an empty list or a bad element
 */
export function parseIntListOption(value: string, option: string, range: OptionRange): number[] {
  const items = value.split(',').map((s) => s.trim());
  if (items.length === 0 || items.every((s) => s === '')) throw new UsageError(`expected a comma-separated list of integers from ${range.min} to ${range.max}, got '${escapeText(value)}'`, { column: option });
  return items.map((item) => parseIntOption(item, option, range, range.min));
}

function rangeError(kind: string, value: string, option: string, range: OptionRange): UsageError {
  return new UsageError(`expected ${kind} from ${range.min} to ${range.max}, got '${escapeText(value)}'`, { column: option });
}

/**
 * Memory one training worker thread is assumed to take. Measured: `evaluate examples/wdbc.csv
 * --config random --count 8 --epochs 2` peaks at 367 MB RSS with 1 worker, 519 MB with 2 and
 * 900 MB with 4 (cpu backend; wasm: 372 MB with 1, 738 MB with 4), so 120–190 MB per worker;
 * 256 MiB leaves room for larger datasets.
 */
export const WORKER_MEMORY_BYTES = 256 * 1024 * 1024;

/** The machine's cap on workers, and why. */
export interface WorkerCap {
  readonly workers: number;
  readonly reason: string;
}

/**
 * How many training workers this machine can run usefully: no more than its cores
 * (`os.availableParallelism()`) and no more than its free memory (or the cgroup limit, when
 * lower) holds at {@link WORKER_MEMORY_BYTES} each; at least one.
 * @returns the cap and a human reason
 */
export function machineWorkerCap(): WorkerCap {
  const cores = os.availableParallelism();
  const constrained = process.constrainedMemory?.() ?? 0;
  const free = constrained > 0 ? Math.min(os.freemem(), Math.max(0, constrained - process.memoryUsage.rss())) : os.freemem();
  const byMemory = Math.max(1, Math.floor(free / WORKER_MEMORY_BYTES));
  const gib = (free / 2 ** 30).toFixed(1);
  const reason = `${cores} cores, ${gib} GiB free memory at ~${WORKER_MEMORY_BYTES / 2 ** 20} MiB per worker`;
  return { workers: Math.max(1, Math.min(cores, byMemory)), reason };
}

/**
 * Caps a requested number of workers by the machine: more workers than cores only add memory
 * and contention, and more than free memory holds makes the machine swap or the process die. The
 * policy is to clamp, not refuse: the same command line works on every machine, and the clamp is
 * reported.
 * @param requested - workers asked for (already within {@link WORKERS_RANGE})
 * @param option - the option's name, for the note
 * @param cap - the machine's cap (default: {@link machineWorkerCap})
 * @returns the workers to use and, when clamped, a note for stderr
 */
export function capWorkers(requested: number, option = '--workers', cap: WorkerCap = machineWorkerCap()): { workers: number; note?: string } {
  if (requested <= cap.workers) return { workers: requested };
  return { workers: cap.workers, note: `${option} ${requested} clamped to ${cap.workers} (${cap.reason})` };
}

/**
 * Parses `--workers`: an integer in {@link WORKERS_RANGE} (from `min`, 0 meaning "in this
 * thread" where a command allows it), clamped to the machine's cap with a note.
 * @param value - the raw value, or undefined when not given
 * @param onNote - receives the note when the value is clamped
 * @param min - the smallest value accepted (default 1)
 * @returns the workers to use, or undefined when not given
 * @throws UsageError outside the range
 */
export function parseWorkersOption(value: string | undefined, onNote: (note: string) => void, min = WORKERS_RANGE.min): number | undefined {
  const requested = parseIntOption(value, '--workers', { min, max: WORKERS_RANGE.max });
  if (requested === undefined) return undefined;
  const capped = capWorkers(requested);
  if (capped.note !== undefined) onNote(capped.note);
  return capped.workers;
}
