import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SearchSpaceError } from '../../src/errors.ts';
import { loadSearchSpace, parseSearchSpaceText, SearchSpace, type Hyperparameter } from '../../src/spaces/index.ts';

/** A small valid space; each bad fixture below changes one thing in it. */
function baseSpace(): Record<string, unknown> {
  return {
    name: 'toy',
    format_version: 1,
    description: 'test space',
    hyperparameters: [
      { name: 'optimizer', type: 'categorical', choices: ['sgd', 'adam'], default_value: 'adam' },
      { name: 'lr', type: 'uniform_float', lower: 1e-4, upper: 1, log: true, default_value: 0.01 },
      { name: 'momentum', type: 'uniform_float', lower: 0, upper: 0.99, default_value: 0.9 },
      { name: 'layers', type: 'uniform_int', lower: 1, upper: 4, default_value: 2 },
      { name: 'size', type: 'ordinal', sequence: ['s', 'm', 'l'], default_value: 'm' },
    ],
    conditions: [{ child: 'momentum', type: 'equals', parent: 'optimizer', value: 'sgd' }],
    forbiddens: [],
  };
}

function withChange(change: (space: Record<string, unknown>, hps: Record<string, unknown>[]) => void): string {
  const space = baseSpace();
  const hps = space.hyperparameters;
  if (!Array.isArray(hps)) throw new Error('fixture');
  change(space, hps);
  return JSON.stringify(space, null, 2);
}

interface BadFixture {
  readonly what: string;
  readonly text: string;
  readonly path: string;
  readonly message: RegExp;
}

const BAD: readonly BadFixture[] = [
  {
    what: 'unknown hyperparameter type',
    text: withChange((_, hps) => (hps[1].type = 'loguniform')),
    path: 'hyperparameters[1].type',
    message: /unknown hyperparameter type "loguniform"; expected one of uniform_float/,
  },
  {
    what: 'lower above upper',
    text: withChange((_, hps) => Object.assign(hps[3], { lower: 5, upper: 2, default_value: 3 })),
    path: 'hyperparameters[3].lower',
    message: /lower 5 must be below upper 2/,
  },
  {
    what: 'log scale with lower <= 0',
    text: withChange((_, hps) => (hps[1].lower = 0)),
    path: 'hyperparameters[1].lower',
    message: /log-scale range needs lower > 0, got 0/,
  },
  {
    what: 'default out of range',
    text: withChange((_, hps) => (hps[2].default_value = 1.5)),
    path: 'hyperparameters[2].default_value',
    message: /default 1.5 is outside \[0, 0.99\]/,
  },
  {
    what: 'categorical default not a choice',
    text: withChange((_, hps) => (hps[0].default_value = 'rmsprop')),
    path: 'hyperparameters[0].default_value',
    message: /default "rmsprop" is not one of "sgd", "adam"/,
  },
  {
    what: 'integer bound that is not an integer',
    text: withChange((_, hps) => (hps[3].upper = 4.5)),
    path: 'hyperparameters[3].upper',
    message: /expected an integer, got 4.5/,
  },
  {
    what: 'duplicate hyperparameter name',
    text: withChange((_, hps) => (hps[4].name = 'lr')),
    path: 'hyperparameters[4].name',
    message: /duplicate name 'lr' \(first declared at hyperparameters\[1\]\)/,
  },
  {
    what: 'duplicate choice',
    text: withChange((_, hps) => (hps[0].choices = ['sgd', 'adam', 'sgd'])),
    path: 'hyperparameters[0].choices[2]',
    message: /duplicate value "sgd"/,
  },
  {
    what: 'condition on an unknown child',
    text: withChange((s) => (s.conditions = [{ child: 'beta', type: 'equals', parent: 'optimizer', value: 'sgd' }])),
    path: 'conditions[0].child',
    message: /condition on unknown hyperparameter 'beta'/,
  },
  {
    what: 'missing parent',
    text: withChange((s) => (s.conditions = [{ child: 'momentum', type: 'equals', parent: 'solver', value: 'sgd' }])),
    path: 'conditions[0].parent',
    message: /unknown hyperparameter 'solver'; declare it in hyperparameters\[\]/,
  },
  {
    what: 'condition value that the parent cannot take',
    text: withChange((s) => (s.conditions = [{ child: 'momentum', type: 'equals', parent: 'optimizer', value: 'rmsprop' }])),
    path: 'conditions[0].value',
    message: /"rmsprop" is not a legal value of 'optimizer'; expected one of "sgd", "adam"/,
  },
  {
    what: 'greater_than on a categorical parent',
    text: withChange((s) => (s.conditions = [{ child: 'momentum', type: 'greater_than', parent: 'optimizer', value: 'sgd' }])),
    path: 'conditions[0].value',
    message: /greater_than and less_than need a numeric or ordinal parent/,
  },
  {
    what: 'a cycle of conditions',
    text: withChange((s) => (s.conditions = [
      { child: 'momentum', type: 'greater_than', parent: 'layers', value: 1 },
      { child: 'layers', type: 'less_than', parent: 'momentum', value: 0.5 },
    ])),
    path: 'conditions[0]',
    message: /conditions form a cycle: momentum → layers → momentum/,
  },
  {
    what: 'two conditions on one child',
    text: withChange((s) => (s.conditions = [
      { child: 'momentum', type: 'equals', parent: 'optimizer', value: 'sgd' },
      { child: 'momentum', type: 'greater_than', parent: 'layers', value: 1 },
    ])),
    path: 'conditions[1].child',
    message: /already has a condition; combine them with an 'and' or 'or'/,
  },
  {
    what: 'forbidden default configuration',
    text: withChange((s) => (s.forbiddens = [
      { type: 'equals', name: 'size', value: 'l' },
      { type: 'and', clauses: [{ type: 'equals', name: 'optimizer', value: 'adam' }, { type: 'in', name: 'layers', values: [2, 3] }] },
    ])),
    path: 'forbiddens[1]',
    message: /the default configuration is forbidden by this clause/,
  },
  {
    what: 'forbidden on an unknown name',
    text: withChange((s) => (s.forbiddens = [{ type: 'equals', name: 'depth', value: 3 }])),
    path: 'forbiddens[0].name',
    message: /unknown hyperparameter 'depth'/,
  },
  {
    what: 'unknown condition type',
    text: withChange((s) => (s.conditions = [{ child: 'momentum', type: 'EQ', parent: 'optimizer', value: 'sgd' }])),
    path: 'conditions[0].type',
    message: /unknown condition type "EQ"; expected one of equals, not_equals/,
  },
  {
    what: 'misspelt key',
    text: withChange((_, hps) => (hps[3].defualt_value = 2)),
    path: 'hyperparameters[3].defualt_value',
    message: /unknown key 'defualt_value'/,
  },
  {
    what: 'two fidelities',
    text: withChange((_, hps) => {
      hps[3].fidelity = true;
      hps.push({ name: 'epochs', type: 'uniform_int', lower: 1, upper: 9, fidelity: true });
    }),
    path: 'hyperparameters[5].fidelity',
    message: /only one fidelity is allowed; hyperparameters\[3\] is one already/,
  },
  {
    what: 'a name that cannot be a key',
    text: withChange((_, hps) => (hps[2].name = '__proto__')),
    path: 'hyperparameters[2].name',
    message: /bad name "__proto__"; expected a letter/,
  },
  {
    what: 'newer format version',
    text: withChange((s) => (s.format_version = 2)),
    path: 'format_version',
    message: /unsupported format_version 2; this metatune reads 1/,
  },
  {
    what: 'missing hyperparameters',
    text: withChange((s) => delete s.hyperparameters),
    path: 'hyperparameters',
    message: /expected an array, got nothing/,
  },
];

for (const bad of BAD) {
  test(`rejects a space with ${bad.what}, naming file, line, column and JSON path`, () => {
    assert.throws(
      () => parseSearchSpaceText(bad.text, 'spaces/toy.json'),
      (error: unknown) => {
        assert.ok(error instanceof SearchSpaceError, `expected SearchSpaceError, got ${String(error)}`);
        assert.equal(error.exitCode, 2);
        assert.equal(error.location.file, 'spaces/toy.json');
        assert.ok(error.message.includes(`: ${bad.path}: `), `path ${bad.path} not in: ${error.message}`);
        assert.match(error.message, bad.message);
        assert.equal(typeof error.location.line, 'number');
        return true;
      },
    );
  });
}

test('the reported line and column point at the offending value', () => {
  const text = withChange((_, hps) => Object.assign(hps[3], { lower: 5, upper: 2, default_value: 3 }));
  const lines = text.split('\n');
  const expectedLine = lines.findIndex((l) => l.includes('"lower": 5')) + 1;
  assert.throws(
    () => parseSearchSpaceText(text, 'toy.json'),
    (error: unknown) => {
      assert.ok(error instanceof SearchSpaceError);
      assert.equal(error.location.line, expectedLine);
      assert.equal(lines[expectedLine - 1].slice(Number(error.location.column) - 1).startsWith('5'), true);
      return true;
    },
  );
});

test('invalid JSON is reported with the position of the syntax error', () => {
  assert.throws(
    () => parseSearchSpaceText('{\n  "name": "x",\n  "format_version": 1,,\n}', 'broken.json'),
    (error: unknown) => {
      assert.ok(error instanceof SearchSpaceError);
      assert.deepEqual([error.location.line, error.location.column], [3, 23]);
      assert.equal(error.message, 'broken.json, line 3, column 23: invalid JSON: expected a double-quoted property name');
      return true;
    },
  );
});

test('loadSearchSpace reads a path, and names an unknown shipped space', () => {
  const dir = mkdtempSync(join(tmpdir(), 'metatune-spaces-'));
  const file = join(dir, 'toy.json');
  writeFileSync(file, withChange(() => undefined));
  assert.equal(loadSearchSpace(file).name, 'toy');
  assert.throws(() => loadSearchSpace('xgboost'), /unknown search space 'xgboost'; shipped spaces are linear, mlp/);
  assert.throws(() => loadSearchSpace(join(dir, 'missing.json')), (e: unknown) => e instanceof SearchSpaceError && /cannot read/.test(e.message));
});

test('a valid space with nested and/or conditions and a forbidden loads', () => {
  const text = withChange((s) => {
    s.conditions = [
      {
        child: 'momentum',
        type: 'and',
        conditions: [
          { type: 'in', parent: 'optimizer', values: ['sgd'] },
          { type: 'or', conditions: [{ type: 'greater_than', parent: 'size', value: 's' }, { type: 'less_than', parent: 'layers', value: 2 }] },
        ],
      },
    ];
    s.forbiddens = [{ type: 'and', clauses: [{ type: 'equals', name: 'size', value: 'l' }, { type: 'equals', name: 'layers', value: 4 }] }];
  });
  const space = parseSearchSpaceText(text);
  assert.equal(space.isActive('momentum', { optimizer: 'sgd', size: 'm', layers: 3 }), true);
  assert.equal(space.isActive('momentum', { optimizer: 'sgd', size: 's', layers: 1 }), true);
  assert.equal(space.isActive('momentum', { optimizer: 'sgd', size: 's', layers: 3 }), false);
  assert.equal(space.isActive('momentum', { optimizer: 'adam', size: 'l', layers: 1 }), false);
  assert.equal(space.isForbidden({ optimizer: 'adam', lr: 0.1, size: 'l', layers: 4 }), true);
});

test('a definition written in code is checked like a file', () => {
  const good = parseSearchSpaceText(withChange(() => undefined)).definition;
  const [first, ...rest] = good.hyperparameters;
  assert.equal(first.type, 'categorical');
  const badLog: Hyperparameter = { type: 'uniform_float', name: 'x', lower: -1, upper: 1, log: true, defaultValue: 0.5 };
  assert.throws(
    () => new SearchSpace({ ...good, hyperparameters: [badLog, ...rest] }),
    (e: unknown) => e instanceof SearchSpaceError && /hyperparameters\[0\]\.lower: a log-scale range needs lower > 0/.test(e.message),
  );
  assert.throws(
    () => new SearchSpace({ ...good, forbiddens: [{ type: 'equals', name: 'optimizer', value: 'adam' }] }),
    /forbiddens\[0\]: the default configuration is forbidden/,
  );
  assert.equal(new SearchSpace({ ...good }).fingerprint(), new SearchSpace(good).fingerprint());
});
