/**
 * metatune's one TensorFlow.js import; every other module takes `tf` from here.
 *
 * metatune builds on `@tensorflow/tfjs-core` (the ops, the engine, the optimizers),
 * `@tensorflow/tfjs-backend-cpu` (always there) and, in `index.ts`, the wasm and native backends.
 * They are peer dependencies: an application that uses TensorFlow.js itself shares one instance
 * (one engine, one set of registered kernels) with metatune.
 *
 * tfjs-core's Node build has no gradients and no chained tensor methods (`t.add(...)`): the
 * `@tensorflow/tfjs` union package registers them. When the host has not (no `@tensorflow/tfjs`
 * loaded), metatune registers tfjs-core's own gradient and chained-op definitions, bundled at
 * build time from the installed tfjs-core (`scripts/build.mjs` → `tfjs-registrations.generated.js`).
 *
 * The library never prints: tfjs's production mode is switched on, which silences its
 * `console.warn` / `console.log` messages (the "install the node backend" banner among them) and
 * nothing else. A host that wants tfjs's warnings back sets `tf.env().set('PROD', false)` after
 * importing metatune.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

tf.env().set('PROD', true);
if (tf.getGradient('MatMul') === undefined || !('add' in tf.Tensor.prototype)) {
  await import('./tfjs-registrations.generated.js');
}

export { tf };
