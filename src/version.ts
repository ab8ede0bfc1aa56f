/** metatune's version, recorded with every evaluation and meta-model. Keep in step with package.json. */
export const VERSION = '0.1.0';
