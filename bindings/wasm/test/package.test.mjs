// package.test.mjs — what the npm package ships: the .wasm within its size budget, entry points
// and type declarations present, every function of the export list callable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as vs from '../dist/index.js';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));

test('vitalstream.wasm is at most 150 KB before compression', () => {
  const size = readFileSync(join(pkgDir, 'dist', 'vitalstream.wasm')).length;
  assert.ok(size <= 150 * 1000, `${size} bytes`);
});

test('package.json entry points exist', () => {
  assert.equal(pkg.name, 'vitalstream');
  assert.equal(pkg.type, 'module');
  for (const f of [pkg.exports['.'].default, pkg.exports['.'].types, pkg.exports['./vitalstream.wasm']]) {
    assert.ok(existsSync(join(pkgDir, f)), f);
  }
});

test('package version follows the C library version', async () => {
  await vs.ready;
  assert.equal(pkg.version, vs.version());
});

test('the module exports every function of src/vitalstream.exports', async () => {
  const list = readFileSync(join(pkgDir, '..', '..', 'src', 'vitalstream.exports'), 'utf8').split('\n').filter(Boolean);
  const mod = new WebAssembly.Module(readFileSync(join(pkgDir, 'dist', 'vitalstream.wasm')));
  const exported = new Set(WebAssembly.Module.exports(mod).map((e) => e.name));
  assert.ok(list.length > 100);
  assert.deepEqual(list.filter((n) => !exported.has(n)), []);
});

test('init() with explicit bytes after load returns the same instance promise', async () => {
  await vs.ready;
  await vs.init(readFileSync(join(pkgDir, 'dist', 'vitalstream.wasm')));
  const d = new vs.QrsDetector(360);
  d.dispose();
});
