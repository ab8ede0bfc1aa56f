/**
 * Append-only typed-array buffers. Readers push parsed values into these while streaming, so that
 * a column is never an array of boxed numbers or row objects.
 */

const CHUNK = 1 << 16;
/**
 * The first chunk is small and each next one twice as large, up to {@link CHUNK}: a wide table
 * (100 000 columns of a few rows) must not reserve 8 KiB per column up front.
 */
const FIRST_CHUNK = 16;

/** @returns the length of the chunk after one of `length` */
function nextLength(length: number): number {
  return Math.min(CHUNK, length * 2);
}

/**
 * A Float64Array built from fixed-size chunks: appending never copies what is already stored,
 * and {@link toArray} concatenates once at the end.
 */
export class GrowableFloat64 {
  private readonly full: Float64Array[] = [];
  private chunk: Float64Array = new Float64Array(FIRST_CHUNK);
  private used = 0;
  /** Number of values pushed so far. */
  length = 0;

  /** Appends one value. */
  push(value: number): void {
    if (this.used === this.chunk.length) this.nextChunk();
    this.chunk[this.used++] = value;
    this.length++;
  }

  private nextChunk(): void {
    this.full.push(this.chunk);
    this.chunk = new Float64Array(nextLength(this.chunk.length));
    this.used = 0;
  }

  /** @returns the values as one right-sized array */
  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    let offset = 0;
    for (const chunk of this.full) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    out.set(this.chunk.subarray(0, this.used), offset);
    return out;
  }
}

/** An Int32Array built from fixed-size chunks (see {@link GrowableFloat64}). */
export class GrowableInt32 {
  private readonly full: Int32Array[] = [];
  private chunk: Int32Array = new Int32Array(FIRST_CHUNK);
  private used = 0;
  /** Number of values pushed so far. */
  length = 0;

  /** Appends one value. */
  push(value: number): void {
    if (this.used === this.chunk.length) this.nextChunk();
    this.chunk[this.used++] = value;
    this.length++;
  }

  private nextChunk(): void {
    this.full.push(this.chunk);
    this.chunk = new Int32Array(nextLength(this.chunk.length));
    this.used = 0;
  }

  /** @returns the values as one right-sized array */
  toArray(): Int32Array {
    const out = new Int32Array(this.length);
    let offset = 0;
    for (const chunk of this.full) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    out.set(this.chunk.subarray(0, this.used), offset);
    return out;
  }
}

/** The most distinct levels a column may have: a JavaScript Map holds at most 2^24 entries. */
export const MAX_LEVELS = 2 ** 24 - 1;

/** Thrown by {@link LevelDictionary.intern} past {@link MAX_LEVELS}; the reader adds the location. */
export class TooManyLevelsError extends Error {
  constructor() {
    super(`more than ${MAX_LEVELS} distinct values in one column`);
  }
}

/**
 * Interns category labels: maps each distinct string to a dense code in first-seen (or declared)
 * order.
 */
export class LevelDictionary {
  private readonly index = new Map<string, number>();
  readonly levels: string[] = [];

  /** @param declared - levels known up front, kept in this order even if they never occur */
  constructor(declared: readonly string[] = []) {
    for (const level of declared) this.intern(level);
  }

  /**
   * @returns the code of `level`, adding it when new
   * @throws TooManyLevelsError when a new level would pass {@link MAX_LEVELS}
   */
  intern(level: string): number {
    let code = this.index.get(level);
    if (code === undefined) {
      code = this.levels.length;
      if (code >= MAX_LEVELS) throw new TooManyLevelsError();
      this.index.set(level, code);
      this.levels.push(level);
    }
    return code;
  }

  /** @returns the code of `level`, or -1 when it is not known */
  lookup(level: string): number {
    return this.index.get(level) ?? -1;
  }

  get size(): number {
    return this.levels.length;
  }
}
