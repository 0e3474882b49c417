// status.test.mjs — the generated Status table (scripts/gen_status.mjs) against common.h and the
// compiled library: same names, same numbers, and every code one vs_strerror knows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vs from '../dist/index.js';

await vs.ready;

const header = readFileSync(new URL('../../../include/vitalstream/common.h', import.meta.url), 'utf8');
// Read independently of the generator: every "VS_OK = n" / "VS_E_NAME = n" line of the header.
const declared = Object.fromEntries(
  [...header.matchAll(/^\s*VS_(?:E_)?([A-Z0-9_]+)\s*=\s*(\d+)\s*,?/gm)].map((m) => [m[1], Number(m[2])]));

test('Status has exactly the codes of common.h, with their numbers', () => {
  assert.ok(Object.keys(declared).length >= 20, 'common.h codes found');
  assert.deepEqual({ ...vs.Status }, declared);
});

test('every Status code is one the library describes', () => {
  const unknown = new vs.VitalStreamError(9999).message;
  const seen = new Set();
  for (const [name, code] of Object.entries(vs.Status)) {
    const text = new vs.VitalStreamError(code).message;
    assert.notEqual(text, unknown, `${name} = ${code} unknown to vs_strerror`);
    assert.ok(!seen.has(text), `${name}: message shared with another code`);
    seen.add(text);
  }
  // ... and the library knows no code that the table lacks
  const codes = new Set(Object.values(vs.Status));
  for (let c = 0; c < 256; c++) {
    if (!codes.has(c)) assert.equal(new vs.VitalStreamError(c).message, unknown, `code ${c}`);
  }
});
