/** A stable argsort of doubles, shared by the tree's presort and the landmarks' canonical row order. */

/** Longest run of equal high words that is put in order of the low words by insertion. */
const INSERTION_RUN = 32;

/**
 * Indices that sort `keys` ascending, equal keys (−0 and 0 included) by index. The keys' bit
 * patterns are made order-preserving (sign bit flipped for positives, all bits for negatives);
 * a stable LSD radix sort of the high 32 bits (three passes of 11 bits) orders them but for runs
 * of equal high words, which are put in order of their low words by a stable insertion sort
 * (most runs are equal keys, already in order). Should a run longer than {@link INSERTION_RUN}
 * need reordering, all six passes run instead. The order is the unique stable one either way.
 * Keys must not be NaN (design matrices have none).
 */
export function argsort(keys: Float64Array, scratch: SortScratch = new SortScratch()): Int32Array {
  const n = keys.length;
  const { low, high, order } = scratch.input(n);
  const bits = new Uint32Array(keys.buffer, keys.byteOffset, 2 * n); // little-endian: low word, then high
  for (let i = 0; i < n; i++) {
    let l = bits[2 * i];
    let h = bits[2 * i + 1];
    if (l === 0 && h === 0x80000000) h = 0; // −0 → 0
    const negative = h >>> 31 === 1;
    if (negative) l = ~l;
    low[i] = l >>> 0;
    high[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  }
  for (let i = 0; i < n; i++) order[i] = i;
  const sorted = radixPasses({ low, high, order }, 3, scratch);
  if (orderRuns(sorted.low, sorted.high, sorted.order)) return sorted.order.slice();
  return radixPasses({ low, high, order }, 0, scratch).order.slice();
}

/**
 * Work arrays of {@link argsort}, reused across calls of the same length (reallocated when the
 * length changes): the input keys and two buffers the radix passes alternate between.
 */
export class SortScratch {
  private size = -1;
  private arrays: Keyed[] = [];
  private readonly counts = new Int32Array(2049);

  /** The input arrays for n keys (contents undefined). */
  input(n: number): Keyed {
    this.ensure(n);
    return this.arrays[0];
  }

  /** The two buffers of the passes, for n keys (contents undefined). */
  buffers(n: number): [Keyed, Keyed] {
    this.ensure(n);
    return [this.arrays[1], this.arrays[2]];
  }

  /** The digit counts. */
  digitCounts(): Int32Array {
    return this.counts;
  }

  private ensure(n: number): void {
    if (this.size === n) return;
    this.size = n;
    this.arrays = Array.from({ length: 3 }, () => ({ low: new Uint32Array(n), high: new Uint32Array(n), order: new Int32Array(n) }));
  }
}

interface Keyed {
  readonly low: Uint32Array;
  readonly high: Uint32Array;
  readonly order: Int32Array;
}

/**
 * Stable LSD radix passes from `first` to 5 (11-bit digits: passes 0–2 the low word, 3–5 the
 * high one) on copies of the input (in the scratch's buffers); the keys travel with the indices
 * (sequential reads); a pass whose digit is the same for all keys is skipped.
 */
function radixPasses(input: Keyed, first: number, scratch: SortScratch): Keyed {
  const n = input.order.length;
  const [a, b] = scratch.buffers(n);
  a.low.set(input.low);
  a.high.set(input.high);
  a.order.set(input.order);
  let current: Keyed = a;
  let next: Keyed = b;
  const counts = scratch.digitCounts();
  for (let pass = first; pass < 6 && n > 0; pass++) {
    const { low, high, order } = current;
    const word = pass < 3 ? low : high;
    const shift = (pass % 3) * 11;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((word[i] >>> shift) & 0x7ff) + 1]++;
    if (counts[((word[0] >>> shift) & 0x7ff) + 1] === n) continue;
    for (let d = 0; d < 2048; d++) counts[d + 1] += counts[d];
    const { low: nextLow, high: nextHigh, order: nextOrder } = next;
    for (let i = 0; i < n; i++) {
      const at = counts[(word[i] >>> shift) & 0x7ff]++;
      nextLow[at] = low[i];
      nextHigh[at] = high[i];
      nextOrder[at] = order[i];
    }
    [current, next] = [next, current];
  }
  return current;
}

/**
 * Puts each run of equal high words in order of the low words (stable insertion), in place.
 * @returns false, leaving the arrays partly reordered, when a run longer than
 *   {@link INSERTION_RUN} is out of order
 */
function orderRuns(low: Uint32Array, high: Uint32Array, order: Int32Array): boolean {
  const n = order.length;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    let inOrder = true;
    while (end < n && high[end] === high[start]) {
      if (low[end] < low[end - 1]) inOrder = false;
      end++;
    }
    if (!inOrder) {
      if (end - start > INSERTION_RUN) return false;
      for (let i = start + 1; i < end; i++) {
        const key = low[i];
        const index = order[i];
        let j = i - 1;
        while (j >= start && low[j] > key) {
          low[j + 1] = low[j];
          order[j + 1] = order[j];
          j--;
        }
        low[j + 1] = key;
        order[j + 1] = index;
      }
    }
    start = end;
  }
  return true;
}
