/**
 * `metatune/predictor` bundled for a browser from the compiled package (dist/predictor/index.js),
 * as a web application's bundler would: esbuild with platform=browser, which fails on any Node
 * built-in module it reaches.
 */
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

export const PREDICTOR_ENTRY = fileURLToPath(new URL('../../dist/predictor/index.js', import.meta.url));

/** @returns the ESM bundle's text and esbuild's metafile (every module it holds) */
export async function bundlePredictor(): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({ entryPoints: [PREDICTOR_ENTRY], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  return { code: result.outputFiles[0].text, metafile: result.metafile };
}
