/**
 * Sobol' low-discrepancy sequence in up to {@link SOBOL_MAX_DIMENSION} dimensions with Joe–Kuo
 * direction numbers, generated in Gray-code order (Antonov–Saleev), optionally scrambled by a
 * random linear matrix scramble plus a digital shift (Matoušek 1998, as scipy's `qmc.Sobol`).
 * Scrambling keeps the net property: the first `2^m` points put exactly one point in each of the
 * `2^m` equal slices of every axis.
 */

import { Random } from '../../random.ts';
import { JOE_KUO_ROWS } from './joe-kuo.ts';

const BITS = 32;
const SCALE = 2 ** BITS;

/** Dimensions for which direction numbers are shipped. */
export const SOBOL_MAX_DIMENSION = JOE_KUO_ROWS.length + 1;

/**
 * Direction integers `v_1 … v_32` of one dimension, MSB-aligned in 32 bits.
 * @param dimension - 0-based dimension; 0 is van der Corput
 * @returns 32 direction integers
 */
export function directionNumbers(dimension: number): Uint32Array {
  const v = new Uint32Array(BITS);
  if (dimension === 0) {
    for (let k = 0; k < BITS; k++) v[k] = 2 ** (BITS - 1 - k);
    return v;
  }
  const { s, a, m } = JOE_KUO_ROWS[dimension - 1];
  for (let k = 0; k < s; k++) v[k] = (m[k] * 2 ** (BITS - 1 - k)) >>> 0;
  for (let k = s; k < BITS; k++) {
    let x = v[k - s] ^ (v[k - s] >>> s);
    for (let i = 1; i < s; i++) {
      if ((a >>> (s - 1 - i)) & 1) x ^= v[k - i];
    }
    v[k] = x >>> 0;
  }
  return v;
}

function parity(x: number): number {
  x ^= x >>> 16;
  x ^= x >>> 8;
  x ^= x >>> 4;
  x ^= x >>> 2;
  x ^= x >>> 1;
  return x & 1;
}

/**
 * Applies a random lower-triangular binary matrix with unit diagonal to each direction integer:
 * output bit `i` (from the most significant) is the parity of input bits `0 … i` selected by row
 * `i`. The matrix is invertible, so the digital net structure is preserved.
 */
function linearScramble(v: Uint32Array, rng: Random): Uint32Array {
  const rows = new Uint32Array(BITS);
  for (let i = 0; i < BITS; i++) {
    const above = i === 0 ? 0 : (0xffffffff << (BITS - i)) >>> 0;
    rows[i] = ((rng.nextUint32() & above) | (1 << (BITS - 1 - i))) >>> 0;
  }
  const out = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) {
    let x = 0;
    for (let i = 0; i < BITS; i++) x |= parity(rows[i] & v[k]) << (BITS - 1 - i);
    out[k] = x >>> 0;
  }
  return out;
}

/** A stream of Sobol' points in `[0, 1)^d`. */
export class SobolSequence {
  private readonly directions: Uint32Array[];
  private readonly state: Uint32Array;
  private index = 0;

  /**
   * @param dimension - number of coordinates, 1 … {@link SOBOL_MAX_DIMENSION}
   * @param scrambleSeed - seed of the scramble; undefined gives the plain (unscrambled) sequence
   * @throws RangeError when the dimension is out of range
   */
  constructor(
    readonly dimension: number,
    scrambleSeed?: number,
  ) {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > SOBOL_MAX_DIMENSION) {
      throw new RangeError(`Sobol dimension must be an integer in [1, ${SOBOL_MAX_DIMENSION}], got ${dimension}`);
    }
    const rng = scrambleSeed === undefined ? undefined : new Random(scrambleSeed);
    this.directions = [];
    this.state = new Uint32Array(dimension);
    for (let d = 0; d < dimension; d++) {
      const v = directionNumbers(d);
      this.directions.push(rng === undefined ? v : linearScramble(v, rng));
      this.state[d] = rng === undefined ? 0 : rng.nextUint32();
    }
  }

  /**
   * @returns the next point; the first is the origin (shifted, when scrambled)
   * @throws RangeError after 2^32 points
   */
  next(): Float64Array {
    if (this.index > 0) {
      if (this.index >= SCALE) throw new RangeError('a Sobol sequence has at most 2^32 points');
      const bit = 31 - Math.clz32(this.index & -this.index);
      for (let d = 0; d < this.dimension; d++) this.state[d] ^= this.directions[d][bit];
    }
    this.index++;
    const point = new Float64Array(this.dimension);
    for (let d = 0; d < this.dimension; d++) point[d] = this.state[d] / SCALE;
    return point;
  }
}
