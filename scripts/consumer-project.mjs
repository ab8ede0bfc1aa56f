// A fresh project of a metatune user, for scripts/check-package.mjs and scripts/bench-package.mjs.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** `npm install` as both scripts run it: quiet, from the cache where it can. */
export const NPM_INSTALL = ['install', '--no-audit', '--no-fund', '--prefer-offline'];

/**
 * Makes an empty ESM project that approves better-sqlite3's install script (npm 12), with a copy
 * of examples/wdbc.csv as wdbc.csv.
 * @param dir - the folder (created)
 * @param name - the project's package name
 */
export function newConsumerProject(dir, name) {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, type: 'module', allowScripts: { 'better-sqlite3': true } }, null, 2));
  copyFileSync(join(root, 'examples/wdbc.csv'), join(dir, 'wdbc.csv'));
}
