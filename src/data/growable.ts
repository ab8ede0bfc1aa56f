/**
 * Append-only typed-array buffers. Readers push parsed values into these while streaming, so that
 * a column is never an array of boxed numbers or row objects.
 */

const INITIAL_CAPACITY = 1024;

/** A Float64Array that grows by doubling. */
export class GrowableFloat64 {
  private data: Float64Array = new Float64Array(INITIAL_CAPACITY);
  /** Number of values pushed so far. */
  length = 0;

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.data.length) this.data = grow64(this.data);
    this.data[this.length++] = value;
  }

  /** @returns the value at `index` (no bounds check beyond the typed array's own) */
  get(index: number): number {
    return this.data[index];
  }

  /** @returns a right-sized copy of the values */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** An Int32Array that grows by doubling. */
export class GrowableInt32 {
  private data: Int32Array = new Int32Array(INITIAL_CAPACITY);
  /** Number of values pushed so far. */
  length = 0;

  /** Appends one value. */
  push(value: number): void {
    if (this.length === this.data.length) this.data = grow32(this.data);
    this.data[this.length++] = value;
  }

  /** @returns the value at `index` */
  get(index: number): number {
    return this.data[index];
  }

  /** @returns a right-sized copy of the values */
  toArray(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

function grow64(data: Float64Array): Float64Array {
  const next = new Float64Array(data.length * 2);
  next.set(data);
  return next;
}

function grow32(data: Int32Array): Int32Array {
  const next = new Int32Array(data.length * 2);
  next.set(data);
  return next;
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

  /** @returns the code of `level`, adding it when new */
  intern(level: string): number {
    let code = this.index.get(level);
    if (code === undefined) {
      code = this.levels.length;
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
