import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { entityReference } from '../../src/model/reference.js';

describe('docs/entities.md', () => {
  it('matches the entity tables (run "npm run docs:entities" after changing a table)', () => {
    assert.equal(readFileSync(new URL('../../docs/entities.md', import.meta.url), 'utf8'), entityReference());
  });
});
