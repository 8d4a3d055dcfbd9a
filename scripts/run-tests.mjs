#!/usr/bin/env node
// Runs the test suite with node:test through tsx. Node 20's runner does not find .ts files by
// itself, so this script lists them. Usage: node scripts/run-tests.mjs [--unit] [--no-typecheck] [filter...]
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const typecheck = !args.includes('--no-typecheck') && !unitOnly;
const filters = args.filter((arg) => !arg.startsWith('--'));

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...find(path));
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

let files = find('test')
  .map((file) => relative('.', file))
  .sort();
// Integration tests start brokers and processes; the unit subset is what runs in seconds.
if (unitOnly) files = files.filter((file) => !file.includes('.integration.'));
if (filters.length > 0) files = files.filter((file) => filters.some((filter) => file.includes(filter)));
if (files.length === 0) {
  console.error('no test files match');
  process.exit(1);
}

if (typecheck) {
  const tsc = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], { stdio: 'inherit' });
  if (tsc.status !== 0) {
    console.error('typecheck failed');
    process.exit(tsc.status ?? 1);
  }
  // Lint and format check (Biome: the recommended rules, unused code, 160-column layout) with the type check.
  const lint = spawnSync(process.execPath, ['node_modules/@biomejs/biome/bin/biome', 'check', '--error-on-warnings'], { stdio: 'inherit' });
  if (lint.status !== 0) {
    console.error('lint failed (fix: npm run format for layout, then the rule the message names)');
    process.exit(lint.status ?? 1);
  }
}

const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-timeout=420000', ...files], {
  stdio: 'inherit',
  env: { ...process.env, NODE_ENV: 'test' },
});
process.exit(result.status ?? 1);
