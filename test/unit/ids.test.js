// The one id source of tabs, storage keys and requests: plain characters a key can hold, unique.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { newId } from '../../src/core/ids.js';

describe('newId', () => {
  it('gives 16 hex characters (no `#` or `:`, which storage keys use), different each time', () => {
    const ids = Array.from({ length: 10_000 }, () => newId());
    for (const id of ids) assert.match(id, /^[0-9a-f]{16}$/);
    assert.equal(new Set(ids).size, ids.length);
  });
});
