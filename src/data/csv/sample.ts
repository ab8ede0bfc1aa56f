/**
 * The sample of a CSV file the sniffer reads: whole lines, never a cut one. It holds at least the
 * first {@link SAMPLE_BYTES} and the first {@link SAMPLE_ROWS} complete lines, so a header longer
 * than 64 KiB is still seen as one row; it stops at {@link MAX_SAMPLE_BYTES}, and a file whose
 * first two lines do not end by then is refused rather than guessed at.
 */
import { DatasetError } from '../../errors.ts';

/** The sample holds at least this many bytes (when the file has them)... */
export const SAMPLE_BYTES = 1 << 16;
/** ...and at least this many complete lines. */
export const SAMPLE_ROWS = 10;
/** The sample never grows past this; fewer than 2 complete lines by then is an error. */
export const MAX_SAMPLE_BYTES = 32 << 20;

const LF = 10;
const CR = 13;

/** The start of a file. */
export interface Sample {
  /** The bytes read so far (whole chunks, so possibly past `rowsEnd`). */
  bytes: Buffer;
  /** The file ended within the sample. */
  done: boolean;
  /** End of the last complete line in `bytes` (all of `bytes` when `done`). */
  rowsEnd: number;
}

/** Counts the lines of the chunks as they arrive. */
class LineCounter {
  lines = 0;
  /** Offset after the last LF seen. */
  end = 0;
  /** A CR not followed by LF was seen. */
  loneCr = false;
  private size = 0;
  private previousCr = false;

  add(chunk: Buffer): void {
    for (let p = chunk.indexOf(LF); p >= 0; p = chunk.indexOf(LF, p + 1)) {
      this.lines++;
      this.end = this.size + p + 1;
    }
    if (!this.loneCr) this.findLoneCr(chunk);
    this.size += chunk.length;
  }

  private findLoneCr(chunk: Buffer): void {
    if (this.previousCr && chunk.length > 0 && chunk[0] !== LF) this.loneCr = true;
    for (let p = chunk.indexOf(CR); p >= 0 && !this.loneCr; p = chunk.indexOf(CR, p + 1)) {
      if (p + 1 < chunk.length && chunk[p + 1] !== LF) this.loneCr = true;
    }
    this.previousCr = chunk.length > 0 && chunk[chunk.length - 1] === CR;
  }
}

/**
 * Reads the sample.
 * @param next - the next chunk of the file, or null at its end
 * @param path - the file, for error messages
 * @returns the sample
 * @throws DatasetError when the line ends are CR only, or the first two lines are longer than
 *   {@link MAX_SAMPLE_BYTES}
 */
export async function readSample(next: () => Promise<Buffer | null>, path: string): Promise<Sample> {
  const steps = sampleSteps(path);
  for (let step = steps.next(); ; step = steps.next(await next())) if (step.done === true) return step.value;
}

/** {@link readSample} over chunks read synchronously (`readCsvSync`). */
export function readSampleSync(next: () => Buffer | null, path: string): Sample {
  const steps = sampleSteps(path);
  for (let step = steps.next(); ; step = steps.next(next())) if (step.done === true) return step.value;
}

/** The sample's logic, asking for each chunk by yielding (null: the file ended). */
function* sampleSteps(path: string): Generator<void, Sample, Buffer | null> {
  const parts: Buffer[] = [];
  const counter = new LineCounter();
  let size = 0;
  let done = false;
  while (size < SAMPLE_BYTES || counter.lines < SAMPLE_ROWS) {
    if (size >= MAX_SAMPLE_BYTES) break;
    const chunk = yield;
    if (chunk === null) {
      done = true;
      break;
    }
    parts.push(chunk);
    size += chunk.length;
    counter.add(chunk);
    if (counter.lines === 0 && counter.loneCr && size >= SAMPLE_BYTES) break;
  }
  if (counter.lines === 0 && counter.loneCr) {
    throw new DatasetError(
      "line ends are CR only (old Mac OS style): this reader needs LF or CRLF line ends; convert the file, e.g. with tr '\\r' '\\n'",
      { file: path, line: 1 },
    );
  }
  if (!done && counter.lines < 2) {
    const which = counter.lines === 0 ? 'the first line does' : 'the second line does';
    throw new DatasetError(`${which} not end within the first ${MAX_SAMPLE_BYTES >> 20} MiB: lines this long are not supported`, {
      file: path,
      line: counter.lines + 1,
    });
  }
  const bytes = Buffer.concat(parts);
  return { bytes, done, rowsEnd: done ? bytes.length : counter.end };
}
