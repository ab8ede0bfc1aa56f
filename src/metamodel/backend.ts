/**
 * The TensorFlow.js backend for the meta-models. Their networks are small (two layers of 64
 * units), so the pure-JavaScript `cpu` backend that `@tensorflow/tfjs` registers is enough; a faster
 * backend made active beforehand (e.g. by the CLI's backend selection) is kept. Production mode is
 * switched on so that tfjs does not print its "install the node backend" banner on stdout.
 */
import { tf } from '../backend/tf.ts';

/**
 * Makes a tfjs backend ready (the active one, else the default).
 * @returns the backend's name
 */
export async function prepareTensorBackend(): Promise<string> {
  tf.env().set('PROD', true);
  await tf.ready();
  return tf.getBackend();
}
