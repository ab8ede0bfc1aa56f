#!/usr/bin/env node
// Entry point of the `metatune` command: the compiled CLI in dist/ (built by `npm run build`,
// which `npm ci` runs in a clone through the `prepare` script, and `npm pack` before packing).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('/dist/cli/main.js')) throw error;
  process.stderr.write("metatune: the compiled code (dist/) is missing; in a clone of the repository run 'npm run build'\n");
  process.exit(1);
}
process.exitCode = await cli.main(process.argv);
