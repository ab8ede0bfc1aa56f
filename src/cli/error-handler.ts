import { InputError, InterruptedError, MetatuneError, SetupError } from '../errors.ts';
import { escapeText } from './format.ts';

/**
 * The one place that turns an error into a message on stderr and an exit code.
 * Input errors print their message only; internal failures print the message and, with
 * `METATUNE_DEBUG=1`, the stack. Messages quote untrusted text (column names, values, paths), so
 * they are escaped ({@link escapeText}): a message is one line, and no control or bidi character
 * in it reaches the terminal.
 * @param error - whatever was thrown
 * @returns 2 for bad input, 1 otherwise
 */
export function handleError(error: unknown): number {
  if (error instanceof InputError) {
    process.stderr.write(`error: ${escapeText(error.message)}\n`);
    return 2;
  }
  if (error instanceof InterruptedError) return error.exitCode; // the command printed its summary
  if (error instanceof SetupError) {
    process.stderr.write(`error: ${escapeText(error.message)}\n`);
    return 1;
  }
  const message = error instanceof Error ? error.message : String(error);
  const kind = error instanceof MetatuneError ? error.name : 'internal error';
  process.stderr.write(`${kind}: ${escapeText(message)}\n`);
  if (process.env.METATUNE_DEBUG === '1' && error instanceof Error && error.stack) {
    process.stderr.write(`${escapeText(error.stack, true)}\n`);
  } else {
    process.stderr.write('(set METATUNE_DEBUG=1 for the stack trace; please report this as a bug)\n');
  }
  return 1;
}
