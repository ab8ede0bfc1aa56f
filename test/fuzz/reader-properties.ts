/**
 * Property-based fuzzing of the CSV and ARFF readers and of the search space parser (issue 20),
 * with fast-check. Each property is a function of the number of runs, so that `npm test` runs a
 * few hundred cases (test/fuzz/readers.test.ts) and `scripts/fuzz-readers.ts --runs N` many more.
 *
 * Round trips: a random table written as CSV (every text cell quoted) or ARFF (every text value
 * quoted with escapes) reads back equal. Robustness: random bytes, random CSV-ish and ARFF-ish
 * text and random JSON either load or fail with the reader's typed error — never another
 * exception. A hang fails through the test's timeout.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCsv } from '../../src/data/csv/reader.ts';
import { parseArff } from '../../src/data/arff/reader.ts';
import { isMissingText } from '../../src/data/csv/bytes.ts';
import { parseDecimal } from '../../src/data/number.ts';
import type { Column, DataTable } from '../../src/data/table.ts';
import { DatasetError, SearchSpaceError } from '../../src/errors.ts';
import { parseSearchSpaceText } from '../../src/spaces/index.ts';
import { Random } from '../../src/random.ts';

/** A property to run: its name and how to check it a given number of times. */
export interface FuzzProperty {
  readonly name: string;
  run(numRuns: number, seed?: number): Promise<void>;
}

/** A column of a generated table: numbers (null: missing) or text. */
type GeneratedColumn = { kind: 'numeric'; name: string; cells: (number | null)[] } | { kind: 'text'; name: string; cells: string[] };

/** Text the readers must keep as text: no control characters but tab, LF and CR, never a number or a missing marker. */
const textCell = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
  .map((s) => s.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, 'x'))
  .filter((s) => !isMissingText(s) && !isMissingText(s.trim()) && Number.isNaN(parseDecimal(s)) && Number.isNaN(parseDecimal(s.trim())));

const numberCell = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e50, max: 1e50 }),
  fc.integer({ min: -1000, max: 1000 }),
  fc.constantFrom(0.1, -2.5e-300, 1e50, 123456789012345680000),
);

function tableArbitrary(textCells: fc.Arbitrary<string>): fc.Arbitrary<GeneratedColumn[]> {
  return fc.integer({ min: 1, max: 25 }).chain((nRows) => {
    const numeric = fc.record({
      kind: fc.constant('numeric' as const),
      name: fc.constant(''),
      cells: fc.array(fc.option(numberCell, { freq: 6 }), { minLength: nRows, maxLength: nRows }),
    });
    const text = fc.record({
      kind: fc.constant('text' as const),
      name: fc.constant(''),
      cells: fc.array(textCells, { minLength: nRows, maxLength: nRows }),
    });
    const names = fc.uniqueArray(textCells.map((s) => s.trim()).filter((s) => s !== ''), { minLength: 1, maxLength: 6 });
    return names.chain((ns) =>
      fc.tuple(...ns.map(() => fc.oneof(numeric, text))).map((columns) => columns.map((c, j) => ({ ...c, name: ns[j] }))),
    );
  });
}

function quoteCsv(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}

const MISSING_MARKERS = ['', '?', 'NA', 'nan', 'NULL', '-nan'];

/**
 * Writes the table as CSV. A missing number is one of the missing markers, chosen by `marker`;
 * never the empty cell in a one-column table, where it would be a blank line (skipped, as pandas
 * does).
 */
function toCsv(columns: readonly GeneratedColumn[], eol: string, marker: number): string {
  const nRows = columns[0].cells.length;
  const lines = [columns.map((c) => quoteCsv(c.name)).join(',')];
  const missing = MISSING_MARKERS[columns.length === 1 ? 1 + (marker % (MISSING_MARKERS.length - 1)) : marker % MISSING_MARKERS.length];
  for (let i = 0; i < nRows; i++) {
    lines.push(columns.map((c) => (c.kind === 'text' ? quoteCsv(c.cells[i]) : cellNumber(c.cells[i], missing))).join(','));
  }
  return lines.join(eol) + eol;
}

function cellNumber(value: number | null, missing: string): string {
  return value === null ? missing : String(value);
}

/**
 * Asserts that a read column holds what was written: numbers equal (missing → NaN); text equal.
 * A numeric column of at most two values among -1, 0, 1 is a binary flag (categorical) by design.
 */
function assertColumn(read: Column, written: GeneratedColumn): void {
  check(read.name === written.name, `name ${JSON.stringify(read.name)} != ${JSON.stringify(written.name)}`);
  const n = written.cells.length;
  for (let i = 0; i < n; i++) {
    const want = written.cells[i];
    const got = read.kind === 'numeric' ? read.values[i] : read.codes[i] < 0 ? null : read.levels[read.codes[i]];
    if (written.kind === 'numeric') {
      const w = written.cells[i];
      const ok = read.kind === 'numeric' ? (w === null ? Number.isNaN(got) : got === w) : w === null ? got === null : got === String(w);
      check(ok, `${written.name}[${i}]: wrote ${String(want)}, read ${String(got)} (${read.kind})`);
    } else {
      check(read.kind === 'categorical' && got === want, `${written.name}[${i}]: wrote ${JSON.stringify(want)}, read ${JSON.stringify(got)}`);
    }
  }
}

function assertTable(table: DataTable, columns: readonly GeneratedColumn[]): void {
  check(table.columns.length === columns.length, `${table.columns.length} columns, wrote ${columns.length}`);
  check(table.nRows === columns[0].cells.length, `${table.nRows} rows, wrote ${columns[0].cells.length}`);
  columns.forEach((c, j) => assertColumn(table.columns[j], c));
}

function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Runs a reader on hostile input: a table or the typed error, nothing else. */
async function tableOrError(read: () => Promise<DataTable> | DataTable): Promise<void> {
  try {
    await read();
  } catch (error) {
    if (!(error instanceof DatasetError)) throw error;
  }
}

/** A temporary folder for the CSV properties' files. */
function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-fuzz-'));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const csvRoundTrip: FuzzProperty = {
  name: 'CSV: a random table written with quoting reads back equal',
  run: (numRuns, seed) =>
    withTempDir(async (dir) => {
      let k = 0;
      await fc.assert(
        fc.asyncProperty(tableArbitrary(textCell), fc.constantFrom('\n', '\r\n'), fc.nat(), async (columns, eol, marker) => {
          const path = join(dir, `t${k++}.csv`);
          writeFileSync(path, toCsv(columns, eol, marker));
          assertTable(await readCsv(path, { header: true }), columns);
        }),
        { numRuns, seed },
      );
    }),
};

/** Bytes that matter to the CSV scanner, and a few that do not. */
const CSV_BYTES = [0x2c, 0x22, 0x0a, 0x0d, 0x20, 0x09, 0x3b, 0x61, 0x31, 0x2e, 0x65, 0x2d, 0x3f, 0xc3, 0xa9, 0xff, 0x00, 0xef, 0xbb, 0xbf];

const csvHostileBytes: FuzzProperty = {
  name: 'CSV: random bytes give a table or a DatasetError',
  run: (numRuns, seed) =>
    withTempDir(async (dir) => {
      let k = 0;
      const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.array(fc.constantFrom(...CSV_BYTES), { maxLength: 300 }).map((a) => Uint8Array.from(a)));
      await fc.assert(
        fc.asyncProperty(bytes, fc.option(fc.boolean()), async (content, header) => {
          const path = join(dir, `b${k++}.csv`);
          writeFileSync(path, content);
          await tableOrError(() => readCsv(path, { header: header ?? undefined }));
        }),
        { numRuns, seed },
      );
    }),
};

function quoteArff(text: string): string {
  const escaped = text.replace(/[\\'\n\r\t]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? c);
  return `'${escaped}'`;
}

function toArff(columns: readonly GeneratedColumn[], relation: string, nominal: boolean): string {
  const lines = [`@relation ${quoteArff(relation)}`];
  for (const c of columns) {
    if (c.kind === 'numeric') lines.push(`@attribute ${quoteArff(c.name)} numeric`);
    else if (nominal) lines.push(`@attribute ${quoteArff(c.name)} {${[...new Set(c.cells)].map(quoteArff).join(',')}}`);
    else lines.push(`@attribute ${quoteArff(c.name)} string`);
  }
  lines.push('@data');
  for (let i = 0; i < columns[0].cells.length; i++) {
    lines.push(columns.map((c) => (c.kind === 'text' ? quoteArff(c.cells[i]) : c.cells[i] === null ? '?' : String(c.cells[i]))).join(','));
  }
  return lines.join('\n') + '\n';
}

const arffRoundTrip: FuzzProperty = {
  name: 'ARFF: a random table written with quoting reads back equal',
  run: async (numRuns, seed) =>
    fc.assert(
      fc.property(tableArbitrary(textCell), textCell, fc.boolean(), (columns, relation, nominal) => {
        const table = parseArff(toArff(columns, relation, nominal), 'fuzz.arff');
        check(table.name === relation, `relation ${JSON.stringify(table.name)} != ${JSON.stringify(relation)}`);
        columns.forEach((c, j) => {
          const read = table.columns[j];
          if (c.kind === 'numeric') check(read.kind === 'numeric', `${c.name} is ${read.kind}`);
        });
        assertTable(table, columns);
      }),
      { numRuns, seed },
    ),
};

const ARFF_TOKENS = ['@relation r', '@attribute', '@data', ' a', ' b', ' numeric', ' string', ' date', " 'yMd'", ' {x,y}', ' {', '}', ',', "'", '"', '\\', '?', '%', '1', '-1e400', '1.5', 'x', 'y', ' ', '\t', '\n', '\r\n', '\r', '{0 1}', '{1 x, 0 2}', '\u00e9'];

const arffHostileText: FuzzProperty = {
  name: 'ARFF: random ARFF-ish text gives a table or a DatasetError',
  run: async (numRuns, seed) =>
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ARFF_TOKENS), { maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 40 }), (tokens, noise) => {
        const text = tokens.join('');
        for (const candidate of [text, text + noise, `@relation r\n@attribute a numeric\n@attribute c {x,y}\n@data\n${text}`]) {
          try {
            parseArff(candidate, 'fuzz.arff');
          } catch (error) {
            if (!(error instanceof DatasetError)) throw error;
          }
        }
      }),
      { numRuns, seed },
    ),
};

/** Values that stress the space parser's checks. */
const EXTREME = [0, -0, 1, -1, 0.5, 1e-320, 5e-324, 1e300, -1e300, 1.7e308, -1.7e308, 2 ** 53, 2 ** 53 + 2, -(2 ** 53), 1.5, 16, 1024];

const hyperparameterArbitrary = fc.oneof(
  fc.record(
    {
      name: fc.constantFrom('a', 'b', 'c', 'lr', 'x.y', '1bad', ''),
      type: fc.constantFrom('uniform_float', 'uniform_int'),
      lower: fc.oneof(fc.constantFrom(...EXTREME), fc.double()),
      upper: fc.oneof(fc.constantFrom(...EXTREME), fc.double()),
      log: fc.boolean(),
      default_value: fc.oneof(fc.constantFrom(...EXTREME), fc.double()),
      fidelity: fc.boolean(),
    },
    { requiredKeys: ['name', 'type', 'lower', 'upper'] },
  ),
  fc.record(
    {
      name: fc.constantFrom('a', 'b', 'c', 'opt'),
      type: fc.constantFrom('categorical', 'ordinal', 'constant'),
      choices: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom(...EXTREME), fc.boolean(), fc.constant(null)), { maxLength: 5 }),
      sequence: fc.array(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom(...EXTREME)), { maxLength: 5 }),
      value: fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom(...EXTREME)),
      default_value: fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom(...EXTREME)),
    },
    { requiredKeys: ['name', 'type'] },
  ),
);

const spaceArbitrary = fc.record(
  {
    name: fc.constantFrom('t', ''),
    format_version: fc.constantFrom(1, 2),
    task_types: fc.constantFrom(['classification'], ['regression'], [], ['x']),
    hyperparameters: fc.array(hyperparameterArbitrary, { maxLength: 4 }),
    conditions: fc.array(
      fc.record({ child: fc.constantFrom('a', 'b', 'c'), type: fc.constantFrom('equals', 'in', 'bogus'), parent: fc.constantFrom('a', 'b', 'c', 'opt'), value: fc.oneof(fc.string({ maxLength: 2 }), fc.constantFrom(...EXTREME)), values: fc.array(fc.constantFrom('x', 1, true), { maxLength: 3 }) }, { requiredKeys: ['child', 'type', 'parent'] }),
      { maxLength: 3 },
    ),
    forbiddens: fc.constant([]),
  },
  { requiredKeys: ['name', 'format_version', 'hyperparameters'] },
);

const boundValue = fc.oneof(fc.constantFrom(...EXTREME), fc.double({ noNaN: true }), fc.integer({ min: -1000, max: 1000 }));

/** Hyperparameters that are mostly valid, so that the checks on loaded spaces get exercised. */
const plausibleHyperparameter = fc.oneof(
  fc
    .record(
      {
        type: fc.constantFrom('uniform_float', 'uniform_int'),
        bounds: fc.tuple(boundValue, boundValue).map(([a, b]) => (a < b ? [a, b] : [b, a])),
        log: fc.boolean(),
        default_value: boundValue,
      },
      { requiredKeys: ['type', 'bounds'] },
    )
    .map(({ bounds, ...rest }) => ({ ...rest, lower: bounds[0], upper: bounds[1] })),
  fc.record({
    type: fc.constantFrom('categorical', 'ordinal'),
    values: fc.uniqueArray(fc.oneof(fc.string({ maxLength: 3 }), fc.constantFrom(...EXTREME), fc.boolean()), { minLength: 1, maxLength: 5 }),
  }).map(({ type, values }) => (type === 'categorical' ? { type, choices: values } : { type, sequence: values })),
);

const plausibleSpace = fc.array(plausibleHyperparameter, { minLength: 1, maxLength: 5 }).map((hps) => ({
  name: 't',
  format_version: 1,
  hyperparameters: hps.map((hp, i) => ({ name: `h${i}`, ...hp })),
  conditions: [],
  forbiddens: [],
}));

/** A number a sampled or default configuration may hold for a numeric hyperparameter. */
function checkConfigurationValues(space: ReturnType<typeof parseSearchSpaceText>, config: Record<string, unknown>, what: string): void {
  for (const hp of space.hyperparameters) {
    const v = config[hp.name];
    if (v === undefined || (hp.type !== 'uniform_float' && hp.type !== 'uniform_int')) continue;
    check(typeof v === 'number' && Number.isFinite(v) && v >= hp.lower && v <= hp.upper, `${what} ${hp.name} = ${String(v)} outside [${hp.lower}, ${hp.upper}]`);
    if (hp.type === 'uniform_int') check(Number.isInteger(v), `${what} ${hp.name} = ${String(v)} is not an integer`);
  }
}

const spaceStructured: FuzzProperty = {
  name: 'space: random space documents give a SearchSpace whose defaults and samples lie in range, or a SearchSpaceError',
  run: async (numRuns, seed) =>
    fc.assert(
      fc.property(fc.oneof(spaceArbitrary, plausibleSpace), fc.integer({ min: 0, max: 1000 }), (doc, sampleSeed) => {
        let space;
        try {
          space = parseSearchSpaceText(JSON.stringify(doc), 'fuzz.json');
        } catch (error) {
          if (error instanceof SearchSpaceError) return;
          throw error;
        }
        checkConfigurationValues(space, space.defaultConfiguration(), 'default');
        for (const config of space.sampleRandom(new Random(sampleSeed), 5)) {
          checkConfigurationValues(space, config, 'sample');
          space.validateConfiguration(config);
        }
      }),
      { numRuns, seed },
    ),
};

const spaceRandomJson: FuzzProperty = {
  name: 'space: random JSON and random text give a SearchSpace or a SearchSpaceError',
  run: async (numRuns, seed) =>
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 4 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.jsonValue().map((v) => JSON.stringify(v).slice(0, 60))), (text) => {
        try {
          parseSearchSpaceText(text, 'fuzz.json');
        } catch (error) {
          if (!(error instanceof SearchSpaceError)) throw error;
        }
      }),
      { numRuns, seed },
    ),
};

/** Every property, with the share of the run budget each gets (file-based ones are slower). */
export const FUZZ_PROPERTIES: readonly { property: FuzzProperty; weight: number }[] = [
  { property: csvRoundTrip, weight: 1 },
  { property: csvHostileBytes, weight: 1 },
  { property: arffRoundTrip, weight: 2 },
  { property: arffHostileText, weight: 2 },
  { property: spaceStructured, weight: 3 },
  { property: spaceRandomJson, weight: 3 },
];
