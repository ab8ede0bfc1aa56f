/** Errors of the search layer. */
import { InputError, StoreError } from '../errors.ts';

/**
 * A study used wrongly: telling a trial that is not running, loading a study with another search
 * space, an option out of range. The message says what was expected.
 */
export class StudyError extends InputError {}

/**
 * A report or tell for a trial this worker no longer holds: its heartbeat stopped for longer than
 * the grace period (a suspended laptop, a stalled disk), so another worker re-claimed it under the
 * same number, or the trial was released. The result is not recorded on the trial; the worker that
 * holds it now is not disturbed.
 */
export class TrialNotOwnedError extends StoreError {}

/**
 * The dataset's task name (its file name, or the ARFF relation) is taken in the store by other
 * data, e.g. a user's own `iris.csv` beside the shipped iris: the search needs another task name.
 */
export class TaskNameTakenError extends StoreError {}
