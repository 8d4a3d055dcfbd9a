import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT, resolvedWhile } from '../support/module-graph.js';

const protobuf = (urls: string[]): string[] => urls.filter((u) => /@bufbuild|\/gen\/vcp\//.test(u));

describe('signed-command protocol code', () => {
  it('is not loaded with the daemon, only on the first vehicle command', () => {
    const main = pathToFileURL(`${ROOT}src/main.ts`).href;
    assert.deepEqual(protobuf(resolvedWhile(`await import(${JSON.stringify(main)});`)), []);
  });

  it('is loaded when a command is translated', () => {
    const transport = pathToFileURL(`${ROOT}src/commands/signed-transport.ts`).href;
    const urls = resolvedWhile(
      `const { SignedCommandTransport } = await import(${JSON.stringify(transport)}); await SignedCommandTransport.translate('honk_horn', {});`,
    );
    assert.notDeepEqual(protobuf(urls), []);
  });
});
