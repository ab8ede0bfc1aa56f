/**
 * pymfe's discretisation of numeric attributes for the information-theoretic group: an
 * equal-frequency histogram with floor(n^(1/3)) bins, whose cut points are numpy percentiles
 * (linear interpolation); repeated cut points are dropped; a value v gets the number of cut
 * points strictly below it (numpy `digitize(..., right=True)`).
 */

/**
 * numpy's default (linear) percentile of sorted values, with numpy's two-sided interpolation.
 * @param sorted - ascending values, no NaN
 * @param p - percentile in [0, 100]
 * @returns the percentile
 */
export function percentile(sorted: Float64Array, p: number): number {
  const h = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const t = h - lo;
  const a = sorted[lo];
  const b = sorted[hi];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/**
 * Cut points of pymfe's equal-frequency histogram (numpy `arange(100/k, 100, 100/k)` percentiles).
 * @param sorted - ascending present values (at least one)
 * @param nBins - number of bins
 * @returns strictly increasing cut points
 */
export function equalFrequencyCuts(sorted: Float64Array, nBins: number): number[] {
  const step = 100 / nBins;
  const count = Math.max(0, Math.ceil((100 - step) / step));
  const raw: number[] = [];
  for (let i = 0; i < count; i++) raw.push(percentile(sorted, step + i * step));
  const kept = raw.filter((v, i) => i === 0 || v - raw[i - 1] > 1e-8);
  return [...new Set(kept)].sort((x, y) => x - y);
}

/** pymfe's default number of bins: floor(n^(1/3)), at least 1. */
export function defaultBinCount(nRows: number): number {
  return Math.max(1, Math.floor(Math.pow(nRows, 1 / 3)));
}

/**
 * Work arrays of {@link discretize}, reused across the columns of one extraction (grown on
 * demand) so that each column does not allocate and collect its own.
 */
export class DiscretizeScratch {
  private doubles = new Float64Array(0);
  private shorts = new Uint16Array(0);
  private ints = new Int32Array(0);

  /** n doubles (contents undefined). */
  values(n: number): Float64Array {
    if (this.doubles.length < n) this.doubles = new Float64Array(n);
    return this.doubles.subarray(0, n);
  }

  /** n 16-bit integers (contents undefined). */
  buckets(n: number): Uint16Array {
    if (this.shorts.length < n) this.shorts = new Uint16Array(n);
    return this.shorts.subarray(0, n);
  }

  /** Four tables of count + 1 integers for the buckets: sizes (zeroed), start, slot and code (contents undefined). */
  tables(count: number): { sizes: Int32Array; start: Int32Array; slot: Int32Array; code: Int32Array } {
    const m = count + 1;
    if (this.ints.length < 4 * m) this.ints = new Int32Array(4 * m);
    const sizes = this.ints.subarray(0, m).fill(0);
    return { sizes, start: this.ints.subarray(m, 2 * m), slot: this.ints.subarray(2 * m, 3 * m), code: this.ints.subarray(3 * m, 4 * m) };
  }
}

/**
 * Discretises a numeric column.
 * @param values - the column, NaN for missing
 * @param nBins - number of equal-frequency bins
 * @param scratch - work arrays to reuse (one per extraction; default fresh ones)
 * @returns codes 0..k (−1 where missing) and the number of codes
 */
export function discretize(values: Float64Array, nBins: number, scratch = new DiscretizeScratch()): { codes: Int32Array; nCodes: number } {
  const codes = new Int32Array(values.length);
  // One pass: the present values (in order, into a work array: the column is only read), their
  // minimum and maximum.
  const gathered = scratch.values(values.length);
  let n = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) {
      gathered[n++] = v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  if (n === 0) return { codes: codes.fill(-1), nCodes: 0 };
  const present = gathered.subarray(0, n);
  const buckets = n > 256 ? valueBuckets(present, min, max, scratch) : null; // before partiallySort overwrites entries
  const constants = partiallySort(present, nBins, buckets);
  const cuts = Float64Array.from(equalFrequencyCuts(present, nBins));
  const locate = cutLocator(cuts);
  if (buckets !== null) {
    codeByBuckets(values, buckets, constants, cuts, locate, codes);
  } else {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      codes[i] = v === v ? locate(v) : -1;
    }
  }
  return { codes, nCodes: cuts.length + 1 };
}

/**
 * x ↦ number of cut points strictly below x. A table over equal-width buckets between the first
 * and the last cut gives a starting count that is then corrected by comparisons with the
 * neighbouring cuts, so the answer is exact whatever the rounding of the bucket index.
 * @param cuts - strictly increasing cut points
 */
export function cutLocator(cuts: Float64Array): (x: number) => number {
  const m = cuts.length;
  if (m === 0) return () => 0;
  const first = cuts[0];
  const last = cuts[m - 1];
  const buckets = 8 * m;
  const width = (last - first) / buckets;
  if (!(width > 0) || !Number.isFinite(width)) return (x) => exactCount(cuts, x);
  const start = new Int32Array(buckets + 1); // cuts strictly below each bucket's lower end
  for (let b = 0, c = 0; b <= buckets; b++) {
    const low = first + b * width;
    while (c < m && cuts[c] < low) c++;
    start[b] = c;
  }
  return (x) => {
    if (!(x > first)) return 0;
    if (x > last) return m;
    let c = start[Math.min(buckets, Math.floor((x - first) / width))];
    while (c > 0 && !(cuts[c - 1] < x)) c--;
    while (c < m && cuts[c] < x) c++;
    return c;
  };
}

/** Number of cut points strictly below x, by binary search. */
function exactCount(cuts: Float64Array, x: number): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cuts[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Overwrites `values` in place so that every position {@link equalFrequencyCuts} reads holds the
 * value a full ascending sort would put there ({@link placeByBuckets}, or else a multi-target
 * quickselect: O(n log k) instead of O(n log n)); other positions must not be read. Small inputs
 * are simply sorted. `buckets` must be those of the values as they are on entry.
 * @returns {@link placeByBuckets}'s constants of the target buckets, or null when it did not run
 */
function partiallySort(values: Float64Array, nBins: number, buckets: ValueBuckets | null): Float64Array | null {
  const n = values.length;
  if (n <= 256) {
    values.sort();
    return null;
  }
  const targets = targetRanks(n, nBins);
  const constants = buckets === null ? null : placeByBuckets(values, targets, buckets);
  if (constants === null) multiSelect(values, 0, n - 1, targets, 0, targets.length - 1);
  return constants;
}

/** Ranks {@link percentile} reads at pymfe's cut percentiles (each floor and the next). */
function targetRanks(n: number, nBins: number): Int32Array {
  const step = 100 / nBins;
  const count = Math.max(0, Math.ceil((100 - step) / step));
  const ranks: number[] = [];
  for (let i = 0; i < count; i++) {
    const lo = Math.floor(((n - 1) * (step + i * step)) / 100);
    ranks.push(lo, Math.min(lo + 1, n - 1));
  }
  return Int32Array.from(new Set(ranks)).sort();
}

/**
 * Equal-width buckets over [min, max] of the present values: bucket(v) = min(B − 1,
 * floor((v − min) · scale)), a non-decreasing function of v (B = min(2^16, n / 4)).
 */
interface ValueBuckets {
  readonly min: number;
  readonly scale: number;
  readonly count: number;
  /** Bucket of each present value, in order. */
  readonly bucketOf: Uint16Array;
  /** Values per bucket. */
  readonly sizes: Int32Array;
  /** Work tables of {@link placeByBuckets} and {@link codeByBuckets}, count + 1 long. */
  readonly start: Int32Array;
  readonly slot: Int32Array;
  readonly code: Int32Array;
}

/** @returns the buckets of the present values (whose extremes are min and max), or null when the range is not finite or empty */
function valueBuckets(values: Float64Array, min: number, max: number, scratch: DiscretizeScratch): ValueBuckets | null {
  const n = values.length;
  const count = Math.min(1 << 16, Math.max(1, n >> 2)); // about four values a bucket: small tables, small pools
  const scale = count / (max - min);
  if (!(Number.isFinite(scale) && scale > 0 && Number.isFinite(max - min))) return null;
  const bucketOf = scratch.buckets(n);
  const { sizes, start, slot, code } = scratch.tables(count);
  for (let i = 0; i < n; i++) {
    const b = Math.min(count - 1, Math.floor((values[i] - min) * scale));
    bucketOf[i] = b;
    sizes[b]++;
  }
  return { min, scale, count, bucketOf, sizes, start, slot, code };
}

/**
 * Codes the present values through their buckets: a bucket that no cut point maps to (by the
 * same non-decreasing bucket function) holds only values with the same number of cuts below
 * them — a cut in a lower bucket is below every such value, one in a higher bucket above — so
 * its code is looked up; so is that of a bucket a cut maps to whose values are all equal (known
 * from `constants`: integer columns, where every value a cut falls next to is such a bucket);
 * values in the other buckets a cut maps to are located exactly.
 * @param constants - {@link placeByBuckets}'s result (null: no bucket known to be constant)
 */
function codeByBuckets(values: Float64Array, buckets: ValueBuckets, constants: Float64Array | null, cuts: Float64Array, locate: (x: number) => number, codes: Int32Array): void {
  const { min, scale, count, bucketOf, code, slot } = buckets; // code: cuts in lower buckets; −1: locate each value
  let below = 0;
  for (let b = 0, c = 0; b < count; b++) {
    let hit = false;
    while (c < cuts.length && Math.max(0, Math.min(count - 1, Math.floor((cuts[c] - min) * scale))) <= b) {
      hit = true;
      c++;
    }
    const constant = hit && constants !== null && slot[b] >= 0 ? constants[slot[b]] : NaN;
    code[b] = !hit ? below : constant === constant ? locate(constant) : -1;
    below = c;
  }
  for (let i = 0, k = 0; i < values.length; i++) {
    const v = values[i];
    if (v !== v) {
      codes[i] = -1;
      continue;
    }
    const c = code[bucketOf[k++]];
    codes[i] = c >= 0 ? c : locate(v);
  }
}

/**
 * Writes into `values[t]`, for each target rank t, the value a full ascending sort would put
 * there: with the values counted into equal-width buckets ({@link valueBuckets}; the bucket index
 * is a non-decreasing function of the value, so buckets partition the sorted order), only the
 * buckets holding a target rank are gathered and sorted. When those are too crowded to gather
 * (heavily tied columns, such as small integers), a first pass finds which of them hold a single
 * repeated value — their ranks need no sort — and only the others are gathered. The other entries
 * are left as they are (the array is then no longer a permutation of the column: only the target
 * entries may be read). `buckets.slot` is left mapping each target bucket to its slot (−1 others).
 * @returns per slot, the target bucket's value when all its values are equal, else NaN; or null,
 *   with `values` untouched, when buckets would not pay off
 */
function placeByBuckets(values: Float64Array, targets: Int32Array, buckets: ValueBuckets): Float64Array | null {
  const n = values.length;
  const nBuckets = buckets.count;
  const bucketOf = buckets.bucketOf;
  const counts = buckets.sizes;
  // start[b] = number of values in buckets below b; slot[b] = index of b among the target buckets.
  const { start, slot } = buckets;
  start[0] = 0;
  for (let b = 0; b < nBuckets; b++) start[b + 1] = start[b] + counts[b];
  slot.fill(-1);
  const chosen: number[] = [];
  let gathered = 0;
  for (let t = 0, b = 0; t < targets.length; t++) {
    while (start[b + 1] <= targets[t]) b++;
    if (slot[b] < 0) {
      slot[b] = chosen.length;
      chosen.push(b);
      gathered += counts[b];
    }
  }
  const constants = new Float64Array(chosen.length).fill(NaN);
  if (gathered > n / 4) {
    gathered = constantBuckets(values, bucketOf, slot, chosen.length, constants, (k) => counts[chosen[k]]);
    if (gathered > n / 4) return null;
  }
  // Only the buckets not known to be constant are gathered: gatherSlot maps a target bucket's slot to its place in the pool (−1: constant).
  const gatherSlot = new Int32Array(chosen.length).fill(-1);
  const offset: number[] = [0];
  chosen.forEach((b, k) => {
    if (constants[k] === constants[k]) return;
    gatherSlot[k] = offset.length - 1;
    offset.push(offset[offset.length - 1] + counts[b]);
  });
  const fill = offset.slice(0, offset.length - 1);
  const pool = new Float64Array(offset[offset.length - 1]);
  if (pool.length > 0) {
    for (let i = 0; i < n; i++) {
      const k = slot[bucketOf[i]];
      if (k >= 0) {
        const g = gatherSlot[k];
        if (g >= 0) pool[fill[g]++] = values[i];
      }
    }
  }
  for (let g = 0; g + 1 < offset.length; g++) pool.subarray(offset[g], offset[g + 1]).sort();
  for (let t = 0, b = 0; t < targets.length; t++) {
    while (start[b + 1] <= targets[t]) b++;
    const k = slot[b];
    const g = gatherSlot[k];
    values[targets[t]] = g < 0 ? constants[k] : pool[offset[g] + targets[t] - start[b]];
  }
  // A sorted bucket whose ends are equal is constant too.
  for (let k = 0; k < chosen.length; k++) {
    const g = gatherSlot[k];
    if (g >= 0 && offset[g + 1] > offset[g] && pool[offset[g]] === pool[offset[g + 1] - 1]) constants[k] = pool[offset[g]];
  }
  return constants;
}

/**
 * One pass over the present values: for each target bucket (by slot), whether all its values are
 * equal; writes that value into `constants` (left NaN for the others).
 * @returns how many values the other target buckets hold
 */
function constantBuckets(values: Float64Array, bucketOf: Uint16Array, slot: Int32Array, slots: number, constants: Float64Array, size: (slot: number) => number): number {
  const first = new Float64Array(slots).fill(NaN);
  const mixed = new Uint8Array(slots);
  for (let i = 0; i < values.length; i++) {
    const k = slot[bucketOf[i]];
    if (k < 0) continue;
    const v = values[i];
    const f = first[k];
    if (f !== f) first[k] = v;
    else if (v !== f) mixed[k] = 1;
  }
  let other = 0;
  for (let k = 0; k < slots; k++) {
    if (mixed[k] === 0) constants[k] = first[k];
    else other += size(k);
  }
  return other;
}

/** Places the order statistics `targets[tLo..tHi]` (ascending ranks inside [left, right]) in position. */
function multiSelect(a: Float64Array, left: number, right: number, targets: Int32Array, tLo: number, tHi: number): void {
  while (tLo <= tHi) {
    if (right - left < 32) {
      insertionSort(a, left, right);
      return;
    }
    // Median of three moved to the middle as the pivot, then Hoare's partition (equal values stop
    // both scans, so runs of ties split evenly).
    const mid = (left + right) >>> 1;
    if (a[mid] < a[left]) swap(a, mid, left);
    if (a[right] < a[left]) swap(a, right, left);
    if (a[right] < a[mid]) swap(a, right, mid);
    const pivot = a[mid];
    let i = left - 1;
    let j = right + 1;
    for (;;) {
      do i++;
      while (a[i] < pivot);
      do j--;
      while (a[j] > pivot);
      if (i >= j) break;
      swap(a, i, j);
    }
    // Every value in [left, j] is ≤ pivot ≤ every value in [j + 1, right].
    let split = tLo;
    while (split <= tHi && targets[split] <= j) split++;
    if (split - tLo < tHi - split + 1) {
      multiSelect(a, left, j, targets, tLo, split - 1);
      left = j + 1;
      tLo = split;
    } else {
      multiSelect(a, j + 1, right, targets, split, tHi);
      right = j;
      tHi = split - 1;
    }
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i];
  a[i] = a[j];
  a[j] = t;
}

function insertionSort(a: Float64Array, left: number, right: number): void {
  for (let i = left + 1; i <= right; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= left && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
