/** Errors of the search layer. */
import { InputError } from '../errors.ts';

/**
 * A study used wrongly: telling a trial that is not running, loading a study with another search
 * space, an option out of range. The message says what was expected.
 */
export class StudyError extends InputError {}
