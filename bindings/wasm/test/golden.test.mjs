// golden.test.mjs — native C and WASM-in-Node give byte-identical beats and state blobs for the
// same input, and state blobs from one load in the other (test/golden_core.mjs describes the
// procedure). The Chromium side is in browser.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vs from '../dist/index.js';
import { beatsDecidedFrom, resumeGolden, runGolden, synthOptions } from './golden_core.mjs';
import { bytesOf, goldenCases, goldenSkipReason, jsSignal, nativeResume, nativeRun } from './native.mjs';

await vs.ready;
const skip = goldenSkipReason() || false;

for (const c of goldenCases()) {
  test(`golden ${c.name}: native == wasm (Node)`, { skip }, () => {
    const nat = nativeRun(c);
    const signal = jsSignal(vs, c, synthOptions);
    assert.ok(Buffer.from(bytesOf(signal)).equals(Buffer.from(nat.signal)), 'input samples identical');
    const fsHz = vs.inspectState(nat.final).fsHz;
    const js = runGolden(vs, signal, fsHz, c.chunk, c.mid);
    assert.ok(nat.beats.length >= 32 * 50, 'enough beats to mean something');
    assert.ok(Buffer.from(js.beats).equals(Buffer.from(nat.beats)), 'beats byte-identical');
    assert.ok(Buffer.from(js.mid).equals(Buffer.from(nat.mid)), 'mid state byte-identical');
    assert.ok(Buffer.from(js.final).equals(Buffer.from(nat.final)), 'final state byte-identical');

    // Native state loads in WASM, and WASM state loads natively, each continuing exactly.
    const tail = beatsDecidedFrom(nat.beats, c.mid);
    assert.ok(tail.length > 0 && tail.length < nat.beats.length);
    assert.ok(Buffer.from(resumeGolden(vs, signal, nat.mid, c.mid, c.chunk)).equals(Buffer.from(tail)),
      'wasm resumes from the native blob');
    assert.ok(Buffer.from(nativeResume(c, js.mid, c.mid)).equals(Buffer.from(tail)),
      'native resumes from the wasm blob');
  });
}
