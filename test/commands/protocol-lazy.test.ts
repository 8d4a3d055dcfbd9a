import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

// Records every module URL the ESM loader resolves while the daemon's composition root and the
// signed transport load, in a child process (a fresh module graph).
const HOOK = `let port; export function initialize(data) { port = data.port; }
export async function resolve(specifier, context, next) { const r = await next(specifier, context); port.postMessage(r.url); return r; }`;

function resolvedWhile(code: string): string[] {
  const script = `import { register } from 'node:module';
const { port1, port2 } = new MessageChannel();
const seen = [];
port1.on('message', (url) => seen.push(url));
port1.unref();
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}), { data: { port: port2 }, transferList: [port2] });
${code}
await new Promise((r) => setTimeout(r, 100));
console.log(JSON.stringify(seen));`;
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '[]') as string[];
}

const protobuf = (urls: string[]): string[] => urls.filter((u) => /@bufbuild|\/gen\/vcp\//.test(u));

describe('signed-command protocol code', () => {
  it('is not loaded with the daemon, only on the first vehicle command', () => {
    const main = pathToFileURL(`${root}src/main.ts`).href;
    assert.deepEqual(protobuf(resolvedWhile(`await import(${JSON.stringify(main)});`)), []);
  });

  it('is loaded when a command is translated', () => {
    const transport = pathToFileURL(`${root}src/commands/signed-transport.ts`).href;
    const urls = resolvedWhile(
      `const { SignedCommandTransport } = await import(${JSON.stringify(transport)}); await SignedCommandTransport.translate('honk_horn', {});`,
    );
    assert.notDeepEqual(protobuf(urls), []);
  });
});
