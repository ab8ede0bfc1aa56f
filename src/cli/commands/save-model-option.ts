/** `--save-model <dir>` of `evaluate` and `search`: checked before any training starts. */
import { InputError, UsageError } from '../../errors.ts';
import { checkModelTarget } from '../../evaluation/saved-model.ts';

/**
 * Checks a `--save-model` folder up front, so that a bad target fails in a second instead of
 * after the training: the folder must be writable (or creatable in a writable parent), and
 * `model.json` in it absent, or a regular file when `overwrite` is set.
 * @param dir - the option's value
 * @param overwrite - whether `--overwrite` was given; undefined where the command has no such
 *   option (`search`)
 * @returns the folder
 * @throws UsageError naming the file and the fix
 */
export function parseSaveModelOption(dir: string, overwrite: boolean | undefined): string {
  if (dir.trim() === '') throw new UsageError('needs a folder', { column: '--save-model' });
  let exists: boolean;
  let file: string;
  try {
    ({ exists, file } = checkModelTarget(dir));
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(`--save-model: ${error.message}`, {}, { cause: error });
    throw error;
  }
  if (exists && overwrite !== true) {
    const fix = overwrite === undefined ? 'remove it or choose another folder' : 'pass --overwrite to replace it, or choose another folder';
    throw new UsageError(`--save-model: ${file} already exists; ${fix}`);
  }
  return dir;
}
