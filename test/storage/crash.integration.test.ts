import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import { type Record, STORES } from '../support/store-records.js';
import { tempDir } from '../support/tmp.js';

const WRITER = fileURLToPath(new URL('../support/store-writer.ts', import.meta.url));
const LANES = 5;
const ROUNDS_PER_LANE = 12;

interface RoundResult {
  acked: Map<string, number>;
}

/** Starts the writer, lets it write for a random moment, and SIGKILLs it mid-flight. */
async function killMidWrite(dir: string): Promise<RoundResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acked = new Map<string, number>();
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'ready') {
          // Random moment: anywhere from before the first write to dozens of writes in.
          setTimeout(() => child.kill('SIGKILL'), Math.random() * 120).unref();
        }
        const match = /^ack (\S+) (\d+)$/.exec(line);
        if (match?.[1] && match[2]) acked.set(match[1], Number(match[2]));
      }
    });
    child.once('exit', (_code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer exited on its own: ${errors}`))));
  });
  await exited;
  return { acked };
}

describe('stores survive SIGKILL at any moment', () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(() => Promise.all(cleanups.map((c) => c())));

  it(`keeps every file complete, durable and private over ${LANES * ROUNDS_PER_LANE} kills`, async () => {
    const problems: string[] = [];
    let writesSeen = 0;
    await Promise.all(
      Array.from({ length: LANES }, async () => {
        const { dir, cleanup } = await tempDir('teslahub-crash-');
        cleanups.push(cleanup);
        const lastAcked = new Map<string, number>();
        for (let round = 0; round < ROUNDS_PER_LANE; round++) {
          const { acked } = await killMidWrite(dir);
          for (const [name, seq] of acked) lastAcked.set(name, seq);
          for (const { name, secret } of STORES) {
            const file = join(dir, name);
            const acknowledged = lastAcked.get(name);
            let text: string;
            try {
              text = await readFile(file, 'utf8');
            } catch {
              if (acknowledged !== undefined) problems.push(`${name} missing after write ${acknowledged} was acknowledged`);
              continue;
            }
            let record: Record;
            try {
              record = JSON.parse(text) as Record;
            } catch {
              problems.push(`${name} is not complete JSON (${text.length} bytes) after round ${round}`);
              continue;
            }
            const sha = createHash('sha256').update(record.payload).digest('hex');
            if (sha !== record.sha256) problems.push(`${name} version ${record.seq} has a torn payload`);
            if (acknowledged !== undefined && record.seq < acknowledged) {
              problems.push(`${name} went back to version ${record.seq} after ${acknowledged} was acknowledged`);
            }
            const mode = (await stat(file)).mode & 0o777;
            const expected = secret ? 0o600 : 0o644;
            if (mode !== expected) problems.push(`${name} has mode ${mode.toString(8)}, expected ${expected.toString(8)}`);
            writesSeen = Math.max(writesSeen, record.seq);
          }
        }
        const leftovers = (await readdir(dir)).filter((name) => name.includes('.corrupt-'));
        if (leftovers.length > 0) problems.push(`a store was found corrupt and moved aside: ${leftovers.join(', ')}`);
      }),
    );
    assert.deepEqual(problems, []);
    // The test is only meaningful if kills landed among real writes.
    assert.ok(writesSeen > ROUNDS_PER_LANE, `only ${writesSeen} writes happened; the kills came too early to test anything`);
  });
});
