/**
 * Typed errors of metatune. Every error a user can cause by their input is a subclass of
 * {@link InputError} (CLI exit code 2) and says where the problem is and what was expected;
 * anything else is an internal failure (exit code 1).
 */

/** Where in a file a problem was found. Lines and columns are 1-based. */
export interface SourceLocation {
  /** Path of the file as the user gave it. */
  file?: string;
  /** 1-based line number. */
  line?: number;
  /** 1-based column number, the column's name, or a command-line option (`--budget`). */
  column?: number | string;
}

/** Base class of all metatune errors. */
export class MetatuneError extends Error {
  /** Process exit code the CLI uses for this error. */
  readonly exitCode: number = 1;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad input from the user: a file, an option, a configuration. CLI exit code 2. */
export class InputError extends MetatuneError {
  override readonly exitCode: number = 2;
  readonly location: SourceLocation;
  constructor(message: string, location: SourceLocation = {}, options?: { cause?: unknown }) {
    super(formatLocated(message, location), options);
    this.location = location;
  }
}

/** A dataset file that cannot be read as a table: wrong format, ragged rows, bad values. */
export class DatasetError extends InputError {}

/** A search space or configuration that does not validate. */
export class SearchSpaceError extends InputError {}

/** A command-line option with a bad value. */
export class UsageError extends InputError {}

/** The meta-knowledge store refused an operation (wrong schema version, unknown task...). */
export class StoreError extends InputError {}

/**
 * The installation is incomplete (a native module not built, a compiled file missing): nothing
 * the user's input caused and not a bug either. The message names the fix. CLI exit code 1.
 */
export class SetupError extends MetatuneError {}

/**
 * A command stopped by SIGINT or SIGTERM after saving what it had (the CLI has already printed its
 * summary): exit code 130 or 143, the shell's status for the signal (128 + its number).
 */
export class InterruptedError extends MetatuneError {
  override readonly exitCode: number;
  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}`);
    this.exitCode = signal === 'SIGTERM' ? 143 : 130;
  }
}

/** A training run that failed (diverged, out of memory); recorded on the trial, never fatal to a loop. */
export class TrainingError extends MetatuneError {}

/**
 * Prefixes a message with `file:line:column` as compilers do.
 * @param message - what went wrong and what was expected
 * @param location - where it went wrong
 * @returns the message with its location in front, when one is known
 */
export function formatLocated(message: string, location: SourceLocation): string {
  const parts: string[] = [];
  if (location.file !== undefined) parts.push(location.file);
  if (location.line !== undefined) parts.push(`line ${location.line}`);
  if (location.column !== undefined) {
    const column = location.column;
    if (typeof column === 'number') parts.push(`column ${column}`);
    else parts.push(column.startsWith('-') ? `option ${column}` : `column '${column}'`);
  }
  return parts.length > 0 ? `${parts.join(', ')}: ${message}` : message;
}
