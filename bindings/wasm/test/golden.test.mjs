// golden.test.mjs — native C and WASM-in-Node give byte-identical events (QrsDetector beats,
// Monitor events) and state blobs for the same input, and state blobs from one load in the
// other (test/golden_core.mjs describes the procedure). The Chromium side is browser.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vs from '../dist/index.js';
import { eventCount, eventsDecidedFrom, firstDifference, KINDS, resumeGolden, runGolden, synthOptions } from './golden_core.mjs';
import { bytesOf, goldenCases, goldenSkipReason, jsSignal, nativeResume, nativeRun } from './native.mjs';

await vs.ready;
const skip = goldenSkipReason() || false;
const same = (a, b) => Buffer.from(a).equals(Buffer.from(b));

for (const c of goldenCases()) {
  for (const kind of KINDS) {
    test(`golden ${kind} ${c.name}: native == wasm (Node)`, { skip }, (t) => {
      const nat = nativeRun(kind, c);
      const signal = jsSignal(vs, c, synthOptions);
      assert.ok(same(bytesOf(signal), nat.signal), 'input samples identical');
      const fsHz = vs.inspectState(nat.final).fsHz;
      const js = runGolden(vs, kind, signal, fsHz, c.chunk, c.mid);
      t.diagnostic(`${eventCount(kind, nat.events)} events, state ${nat.final.length} bytes`);
      assert.ok(eventCount(kind, nat.events) >= 50, 'enough events to mean something');
      assert.ok(same(js.events, nat.events), 'events byte-identical');
      assert.ok(same(js.mid, nat.mid), 'mid state byte-identical');
      assert.ok(same(js.final, nat.final), 'final state byte-identical');
      if (kind === 'monitor') {
        // HRV of the rolling window (libm log in DFA/entropies: glibc natively, musl in wasm)
        assert.equal(nat.hrv.length, 6 + 33);
        assert.ok(nat.hrv[1] > 50, `NN intervals in the window: ${nat.hrv[1]}`);
        assert.equal(firstDifference(js.hrv, nat.hrv), -1, `HRV identical: ${js.hrv} vs ${nat.hrv}`);
      }

      // Native state loads in WASM, and WASM state loads natively, each continuing exactly.
      const tail = eventsDecidedFrom(kind, nat.events, c.mid);
      assert.ok(tail.length > 0 && tail.length < nat.events.length);
      assert.ok(same(resumeGolden(vs, kind, signal, nat.mid, c.mid, c.chunk), tail),
        'wasm resumes from the native blob');
      assert.ok(same(nativeResume(kind, c, js.mid, c.mid), tail), 'native resumes from the wasm blob');
    });
  }
}
