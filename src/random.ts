/**
 * Seeded pseudo-random numbers. Every stochastic step of metatune (splits, sampling, weight
 * initialisation, subsampling) draws from a {@link Random} built from a user seed, so that the same
 * seed gives the same result. The generator is xoshiro128** seeded through splitmix32.
 */
export class Random {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  /** @param seed - any integer; equal seeds give equal streams */
  constructor(seed: number) {
    let x = seed >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
  }

  /** @returns a uniform 32-bit unsigned integer */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * Draws `end − start` numbers and writes `value` where the draw is below `threshold`, else 0: the
   * same draws, in the same order, as a loop over {@link nextUint32}, with the state in locals.
   * @param out - the array to fill
   * @param start - first index written
   * @param end - one past the last index written
   * @param threshold - draws below it (as unsigned 32-bit integers) keep `value`
   * @param value - the kept value
   */
  fillBelow(out: Float32Array, start: number, end: number, threshold: number, value: number): void {
    let s0 = this.s0;
    let s1 = this.s1;
    let s2 = this.s2;
    let s3 = this.s3;
    for (let i = start; i < end; i++) {
      const x = Math.imul(s1, 5) >>> 0;
      const result = Math.imul(((x << 7) | (x >>> 25)) >>> 0, 9) >>> 0;
      const t = (s1 << 9) >>> 0;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = ((s3 << 11) | (s3 >>> 21)) >>> 0;
      out[i] = result < threshold ? value : 0;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
  }

  /** @returns a uniform float in [0, 1) with 32 bits of randomness */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** @returns a uniform float in [low, high) */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** @returns a uniform integer in [0, n) */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** @returns a standard normal draw (Box–Muller) */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** @returns a permutation of 0..n-1 */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    return this.shuffle(p);
  }

  /** @returns a new independent generator derived from this one's stream */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Derives a seed from a base seed and labels, so that sub-steps get independent but reproducible
 * streams (e.g. `deriveSeed(seed, 'split', taskName)`).
 */
export function deriveSeed(seed: number, ...labels: readonly (string | number)[]): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (const label of labels) {
    for (const ch of String(label)) {
      h ^= ch.charCodeAt(0);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h = Math.imul(h ^ 0xff, 0x01000193) >>> 0;
  }
  return h;
}
