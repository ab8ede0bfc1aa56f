/**
 * The pair tables of attr_conc: every attribute of a list counted against every later one over
 * the same rows. Each attribute's codes are gathered once over the rows (missing mapped to an
 * extra code; 8-bit codes, and the codes times the table stride in 16 bits), so that a pair costs
 * one branch-free pass over one shared dense count array; one pass over an attribute's codes
 * serves two partners. The passes run in the `count2` WebAssembly kernel where available (no
 * bounds checks), else in scalar loops; the counts, and so the tables, are the same.
 */
import { concentrationsFromCounts } from './contingency.ts';
import { simdKernels, type SimdKernels } from './simd-kernels.ts';

/** An attribute as codes 0..nCodes-1, −1 where missing. */
export interface CodedAttribute {
  readonly codes: Int32Array;
  readonly nCodes: number;
}

/** Where the gathered codes and the tables live: typed arrays, views of the kernel's memory when it runs. */
interface Storage {
  readonly kernel: SimdKernels | null;
  readonly buffer: ArrayBufferLike;
  readonly tablesOffset: number;
  readonly scaledOffset: number;
  readonly plainOffset: number;
}

/** Counts the pair tables of many attributes over the same rows (same tables as `contingency`). */
export class PairCounter {
  /** Attribute whose tables `tables` holds, and those tables (one stride² block per attribute). */
  private row = -1;
  private readonly tables: Int32Array;
  /** Per attribute, its code (missing → nCodes) times the stride, over the rows (narrow: less memory traffic). */
  private readonly scaled: Uint16Array[];
  /** Per attribute, its code (missing → nCodes) over the rows. */
  private readonly plain: Uint8Array[];

  private constructor(
    private readonly attributes: readonly CodedAttribute[],
    private readonly n: number,
    private readonly stride: number,
    private readonly storage: Storage,
  ) {
    const size = stride * stride;
    const { buffer } = storage;
    this.tables = new Int32Array(buffer, storage.tablesOffset, attributes.length * size);
    this.scaled = attributes.map((_, a) => new Uint16Array(buffer, storage.scaledOffset + 2 * a * n, n));
    this.plain = attributes.map((_, a) => new Uint8Array(buffer, storage.plainOffset + a * n, n));
  }

  /** @returns the counter, or null when the widest attribute has too many codes for dense tables */
  static create(attributes: readonly CodedAttribute[], rows: Int32Array): PairCounter | null {
    const stride = attributes.reduce((m, a) => Math.max(m, a.nCodes), 0) + 1;
    if (stride > 255) return null; // codes must fit a byte, cells a 16-bit index
    const counter = new PairCounter(attributes, rows.length, stride, storage(attributes.length, rows.length, stride));
    attributes.forEach((a, j) => gather(a.codes, a.nCodes, rows, stride, counter.plain[j], counter.scaled[j]));
    return counter;
  }

  /**
   * The concentration coefficients of attribute `a` against a later attribute `b` and of `b`
   * against `a`: those of their `contingency` table and of its transpose, without building it.
   */
  concentrations(a: number, b: number): [number, number] {
    if (a !== this.row) this.countRow(a);
    this.margins ??= [new Float64Array(this.stride), new Float64Array(this.stride)];
    const [rows, cols] = this.margins;
    return concentrationsFromCounts(this.attributes[a].nCodes, this.attributes[b].nCodes, this.tables, b * this.stride * this.stride, this.stride, rows, cols);
  }

  /** Work arrays of {@link concentrations}. */
  private margins: [Float64Array, Float64Array] | undefined;

  /** Counts attribute `a` against every later attribute, two at a time. */
  private countRow(a: number): void {
    const x = this.scaled[a];
    const size = this.stride * this.stride;
    const tables = this.tables;
    const kernel = this.storage.kernel;
    this.row = a;
    tables.fill(0);
    let b = a + 1;
    for (; b + 1 < this.attributes.length; b += 2) {
      const o0 = b * size;
      const o1 = o0 + size;
      if (kernel !== null) {
        const at = (array: ArrayBufferView) => array.byteOffset;
        kernel.count2(at(x), at(this.plain[b]), at(this.plain[b + 1]), this.n, at(tables) + 4 * o0, at(tables) + 4 * o1);
        continue;
      }
      const y0 = this.plain[b];
      const y1 = this.plain[b + 1];
      for (let k = 0; k < x.length; k++) {
        const s = x[k];
        tables[o0 + s + y0[k]]++;
        tables[o1 + s + y1[k]]++;
      }
    }
    if (b < this.attributes.length) {
      const y = this.plain[b];
      const o = b * size;
      for (let k = 0; k < x.length; k++) tables[o + x[k] + y[k]]++;
    }
  }
}

/** An attribute's codes over the rows (missing → `missing`), plain and times the stride. */
function gather(codes: Int32Array, missing: number, rows: Int32Array, stride: number, plain: Uint8Array, scaled: Uint16Array): void {
  for (let k = 0; k < rows.length; k++) {
    const c = codes[rows[k]];
    const code = c >= 0 ? c : missing;
    plain[k] = code;
    scaled[k] = code * stride;
  }
}

/** Tables, then 16-bit codes, then 8-bit codes: in the kernel's memory, or in a plain buffer. */
function storage(nAttributes: number, n: number, stride: number): Storage {
  const tablesOffset = 0;
  const scaledOffset = 4 * nAttributes * stride * stride;
  const plainOffset = scaledOffset + 2 * nAttributes * n;
  const bytes = plainOffset + nAttributes * n;
  const kernel = nAttributes > 2 ? simdKernels(Math.ceil(bytes / 8)) : null;
  const buffer = kernel !== null ? kernel.memory.buffer : new ArrayBuffer(bytes);
  return { kernel, buffer, tablesOffset, scaledOffset, plainOffset };
}
