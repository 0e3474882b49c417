// finalization.test.mjs — the FinalizationRegistry backstop: objects dropped without dispose()
// are freed after garbage collection, so the wasm heap stops growing. Runs in a child Node
// with --expose-gc (gc() on demand).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = `
import * as vs from ${JSON.stringify(new URL('../dist/index.js', import.meta.url).href)};
import { exportsOrThrow } from ${JSON.stringify(new URL('../dist/core.js', import.meta.url).href)};
await vs.ready;
const mem = () => exportsOrThrow().memory.buffer.byteLength;
const x = vs.synthEcg({ durationS: 5 }).signal;
const leak = (n) => { for (let i = 0; i < n; i++) new vs.Monitor(360).process(x); };
const settle = async () => { for (let k = 0; k < 3; k++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); } };
const m0 = mem();
leak(100);
const m1 = mem();
await settle();
for (let round = 0; round < ${20}; round++) { leak(100); await settle(); }
console.log(JSON.stringify({ m0, m1, m2: mem() }));
`;

test('objects dropped without dispose() are freed after GC', () => {
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', child],
    { cwd: fileURLToPath(new URL('.', import.meta.url)) }).toString();
  const { m0, m1, m2 } = JSON.parse(out.trim().split('\n').pop());
  const perRound = m1 - m0;
  assert.ok(perRound > 0, `100 undisposed monitors must take memory (${m0} -> ${m1})`);
  // 20 more rounds of 100 leaked monitors: without the backstop the heap would grow by about
  // 20 x perRound; with it, freed blocks are reused.
  assert.ok(m2 - m0 < 4 * perRound, `heap grew from ${m0} to ${m2} bytes (one round: ${perRound})`);
});
