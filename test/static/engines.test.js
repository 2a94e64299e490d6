// The supported Node versions: set in package.json, stated in the README and
// docs/testing.md, and every `npm warn EBADENGINE` that `npm install` prints on
// a supported version is listed and explained in docs/testing.md.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { read, section } from './markdown.js';

const pkg = JSON.parse(read('package.json'));
const lock = JSON.parse(read('package-lock.json'));

/** @param {string} version */
const parse = (version) => version.split('.').map((part) => (/^\d+$/.test(part) ? Number(part) : undefined));

/**
 * @param {number[]} a
 * @param {number[]} b
 */
const compare = (a, b) => {
  for (let i = 0; i < 3; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) - (b[i] ?? 0);
  return 0;
};

/**
 * Whether a release version satisfies a comparator (`>=20.19.0`, `^22.13.0`,
 * `~1.2`, `20`, `1.x`, `*`), as npm reads `engines`.
 * @param {number[]} v
 * @param {string} comparator
 */
function meets(v, comparator) {
  const match = /^(>=|<=|>|<|=|\^|~)?v?([\dx*]+(?:\.[\dx*]+){0,2})$/i.exec(comparator);
  if (!match) throw new Error(`cannot read the comparator "${comparator}"`);
  const [, op = '', text = ''] = match;
  const parts = parse(text);
  const known = parts.filter((part) => part !== undefined).length;
  const base = parts.map((part) => part ?? 0);
  const sameUpTo = (/** @type {number} */ n) => base.slice(0, n).every((part, i) => v[i] === part);
  switch (op) {
    case '>=':
      return compare(v, base) >= 0;
    case '>':
      return known < 3 ? !sameUpTo(known) && compare(v, base) > 0 : compare(v, base) > 0;
    case '<':
      return compare(v, base) < 0;
    case '<=':
      return known < 3 ? compare(v, base) < 0 || sameUpTo(known) : compare(v, base) <= 0;
    case '^': {
      const fixed = base[0] ? 1 : base[1] ? 2 : 3;
      return compare(v, base) >= 0 && sameUpTo(Math.min(fixed, known || 1));
    }
    case '~':
      return compare(v, base) >= 0 && sameUpTo(known > 1 ? 2 : 1);
    default:
      return sameUpTo(known);
  }
}

/**
 * @param {string} version e.g. `20.19.0`
 * @param {string} range e.g. `^20.19.0 || >=22`
 */
function satisfies(version, range) {
  const v = /** @type {number[]} */ (parse(version));
  return range.split('||').some((set) => {
    const comparators = set.trim().replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1').split(/\s+/).filter(Boolean);
    return comparators.every((comparator) => comparator === '*' || comparator === 'x' || meets(v, comparator));
  });
}

/** The lowest version of each Node line a range admits: `^20.19.0 || >=24` → 20.19.0, 24.0.0. */
const lowest = (/** @type {string} */ range) =>
  range.split('||').map((set) => {
    const first = /(?:>=|\^|~)?\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(set.trim());
    assert.ok(first, `cannot read "${set}"`);
    return `${first[1]}.${first[2] ?? 0}.${first[3] ?? 0}`;
  });

/** The packages whose `engines.node` leaves out a supported Node version, as `name` → range. */
function warned() {
  const supported = lowest(pkg.engines.node);
  /** @type {Map<string, { range: string, dev: boolean }>} */
  const result = new Map();
  for (const [path, entry] of Object.entries(/** @type {Record<string, any>} */ (lock.packages))) {
    const range = entry.engines?.node;
    if (!path || typeof range !== 'string') continue;
    if (supported.every((version) => satisfies(version, range))) continue;
    result.set(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length), { range, dev: entry.dev === true });
  }
  return result;
}

describe('supported Node versions', () => {
  it('reads ranges as npm does', () => {
    assert.ok(satisfies('20.19.0', '^20.19.0 || ^22.13.0 || >=24'));
    assert.ok(!satisfies('20.18.3', '^20.19.0 || ^22.13.0 || >=24'));
    assert.ok(!satisfies('22.12.0', '^20.19.0 || ^22.13.0 || >=24'));
    assert.ok(!satisfies('23.1.0', '^20.19.0 || ^22.13.0 || >=24'));
    assert.ok(satisfies('24.0.0', '^20.19.0 || ^22.13.0 || >=24'));
    assert.ok(satisfies('20.19.0', '>=20.19.0 <22.0.0 || >=22.12.0'));
    assert.ok(!satisfies('22.0.0', '>=20.19.0 <22.0.0 || >=22.12.0'));
    assert.ok(satisfies('20.19.0', '18 || 20 || >=22'));
    assert.ok(satisfies('20.19.0', '>= 7.6.0'));
    assert.ok(satisfies('20.19.0', '>=0.6.x'));
    assert.ok(!satisfies('20.19.0', '>=22.0.0'));
    assert.ok(satisfies('22.13.0', '^20.9.0 || >=21.1.0'));
    assert.ok(!satisfies('20.19.0', '^18.18.0'));
    assert.deepEqual(lowest('^20.19.0 || ^22.13.0 || >=24'), ['20.19.0', '22.13.0', '24.0.0']);
  });

  it('sets engines.node in package.json, and the README and docs/testing.md state the same range', () => {
    const range = pkg.engines?.node;
    assert.equal(typeof range, 'string', 'package.json has no engines.node');
    assert.ok(lowest(range).every((version) => satisfies(version, range)));
    assert.ok(satisfies('20.19.0', range), 'Node 20, which the machines run, is not supported');
    assert.ok(section(read('README.md'), 'Requirements').includes(`\`${range}\``), 'README → Requirements does not state the range');
    assert.ok(read('README.md').slice(0, 1500).includes(`\`${range}\``), 'the top of README does not name the Node version');
    assert.ok(section(read('docs/testing.md'), 'Requirements').includes(`\`${range}\``), 'docs/testing.md does not state the range');
  });

  it('the build tools accept every supported version', () => {
    for (const name of ['vite', 'rolldown', 'eslint', 'typescript', 'storybook', 'playwright-core']) {
      const entry = lock.packages[`node_modules/${name}`];
      assert.ok(entry, name);
      if (entry.engines?.node) for (const version of lowest(pkg.engines.node)) assert.ok(satisfies(version, entry.engines.node), `${name} needs ${entry.engines.node}`);
    }
  });

  it('every engine warning npm prints on a supported version is listed in docs/testing.md, and every listed one is real', () => {
    const text = section(read('docs/testing.md'), 'Engine warnings on Node 20');
    const rows = [...text.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((match) => ({ name: match[1], range: match[2] }));
    const actual = warned();
    assert.deepEqual(rows.map(({ name }) => name).sort(), [...actual.keys()].sort());
    for (const { name, range } of rows) assert.equal(range, actual.get(name)?.range, name);
    for (const [name, { dev }] of actual) assert.ok(dev, `${name} is installed for users too, not only for development`);
    const count = String(actual.size);
    assert.match(text, new RegExp(`\\b${count} packages\\b`));
    assert.match(section(read('README.md'), 'Requirements'), new RegExp(`\\b${count}\\s+\`EBADENGINE\` warnings`));
  });

  it('the runtime dependencies accept every supported version', () => {
    for (const [path, entry] of Object.entries(/** @type {Record<string, any>} */ (lock.packages))) {
      if (!path || entry.dev || typeof entry.engines?.node !== 'string') continue;
      for (const version of lowest(pkg.engines.node)) assert.ok(satisfies(version, entry.engines.node), `${path} needs ${entry.engines.node}`);
    }
  });
});
