/** A stable argsort of doubles, shared by the tree's presort and the landmarks' canonical row order. */

/**
 * Indices that sort `keys` ascending, equal keys (−0 and 0 included) by index: a stable LSD radix
 * sort of the keys' bit patterns made order-preserving (sign bit flipped for positives, all bits
 * for negatives), six passes of 11 bits. Keys must not be NaN (design matrices have none).
 */
export function argsort(keys: Float64Array): Int32Array {
  const n = keys.length;
  const normalized = new Float64Array(n);
  for (let i = 0; i < n; i++) normalized[i] = keys[i] === 0 ? 0 : keys[i]; // −0 → 0
  const bits = new Uint32Array(normalized.buffer); // little-endian: low word, then high
  let low = new Uint32Array(n);
  let high = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = bits[2 * i + 1];
    const negative = h >>> 31 === 1;
    low[i] = negative ? ~bits[2 * i] >>> 0 : bits[2 * i];
    high[i] = negative ? ~h >>> 0 : (h | 0x80000000) >>> 0;
  }
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // The keys travel with the indices (sequential reads); a pass whose digit is the same for all keys is skipped.
  let [nextLow, nextHigh, nextOrder] = [new Uint32Array(n), new Uint32Array(n), new Int32Array(n)];
  const counts = new Int32Array(2049);
  for (let pass = 0; pass < 6; pass++) {
    const word = pass < 3 ? low : high;
    const shift = (pass % 3) * 11;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[((word[i] >>> shift) & 0x7ff) + 1]++;
    if (counts[((word[0] >>> shift) & 0x7ff) + 1] === n) continue;
    for (let d = 0; d < 2048; d++) counts[d + 1] += counts[d];
    for (let i = 0; i < n; i++) {
      const at = counts[(word[i] >>> shift) & 0x7ff]++;
      nextLow[at] = low[i];
      nextHigh[at] = high[i];
      nextOrder[at] = order[i];
    }
    [low, nextLow] = [nextLow, low];
    [high, nextHigh] = [nextHigh, high];
    [order, nextOrder] = [nextOrder, order];
  }
  return order;
}
