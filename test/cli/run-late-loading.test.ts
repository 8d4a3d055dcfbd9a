import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT, resolvedWhile } from '../support/module-graph.js';

// docs/architecture.md#rules: load late what a run may not need.
describe('the run command', () => {
  it('loads no demo-mode code (simulator, demo key, demo PKI) and no protobuf until demo mode is chosen', () => {
    const run = pathToFileURL(`${ROOT}src/cli/commands/run.ts`).href;
    const urls = resolvedWhile(`await import(${JSON.stringify(run)});`);
    assert.ok(
      urls.some((u) => u.endsWith('/src/main.ts')),
      'the composition root is loaded',
    );
    assert.deepEqual(
      urls.filter((u) => /\/src\/simulator\/|\/src\/cli\/demo|\/src\/signing\/demo-key|@bufbuild|\/gen\//.test(u)),
      [],
    );
  });

  it('loads no automation runtime (runner, triggers, conditions, actions) until an automation is configured', () => {
    const run = pathToFileURL(`${ROOT}src/cli/commands/run.ts`).href;
    const urls = resolvedWhile(`await import(${JSON.stringify(run)});`);
    assert.deepEqual(
      urls.filter((u) => /\/src\/automations\/(runner|triggers|conditions|actions)\.ts$/.test(u)),
      [],
    );
  });
});
