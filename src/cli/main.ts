/**
 * The `metatune` command line. Parsing lives in `commands/*.command.ts`, work in
 * `actions/*.action.ts` (which call the library core), and every error goes through
 * {@link handleError}, which maps error classes to messages and exit codes.
 */
import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands/index.ts';
import { handleError } from './error-handler.ts';
import { escapeText } from './format.ts';
import { VERSION } from '../version.ts';

/**
 * Builds the program with every command registered. `exitOverride()` makes commander throw
 * instead of exiting, so that parsing is testable and one handler owns exit codes.
 * @returns the configured commander program
 */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('metatune')
    .description('Hyperparameter meta-optimizer: learns from past tasks how to tune a new one.')
    .version(VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(escapeText(s, true)), writeOut: (s) => process.stdout.write(s) });
  registerCommands(program);
  for (const sub of program.commands) sub.exitOverride();
  return program;
}

/**
 * Runs the CLI.
 * @param argv - `process.argv` style arguments
 * @returns the process exit code: 0 success, 1 internal failure, 2 bad input
 */
export async function main(argv: readonly string[]): Promise<number> {
  exitQuietlyOnBrokenPipe();
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
        return 0;
      }
      return 2;
    }
    return handleError(error);
  }
}

let brokenPipeHandled = false;

/**
 * When the reader of stdout or stderr goes away (`metatune data big.csv | head -1`), writes fail
 * with EPIPE. Like ripgrep and most Unix filters, the CLI then exits at once, quietly, with code 0:
 * the consumer stopped reading, which is not an error of this command (141, the shell's code for
 * SIGPIPE, would fail every `set -o pipefail` script that pipes into `head`). Any other stream
 * error is rethrown.
 */
export function exitQuietlyOnBrokenPipe(): void {
  if (brokenPipeHandled) return;
  brokenPipeHandled = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(0);
      throw error;
    });
  }
}
