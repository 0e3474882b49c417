// monitor_static.test.mjs — vs_monitor in caller memory (vs_monitor_workspace_size +
// vs_monitor_init_static) inside the wasm32 heap: errors for too small or misaligned blocks, and
// events and state blobs byte-identical to the Monitor class (which uses vs_monitor_create).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as vs from '../dist/index.js';
import { exportsOrThrow, heapU8, heapF32, readU32 } from '../dist/core.js';

await vs.ready;

const FS = 360;
const rec = vs.synthEcg({ durationS: 120, seed: 7n, pvcPerMin: 4 });

test('monitor init_static in the wasm heap: errors, then the same events and state as Monitor', () => {
  const e = exportsOrThrow();
  const size = e.vs_monitor_workspace_size(FS) >>> 0;
  assert.ok(size > 50000 && size < 512 * 1024, `workspace ${size} bytes`);
  assert.equal(e.vs_monitor_workspace_size(50) >>> 0, 0);
  const out = e.malloc(16);
  const mem = e.malloc(size + 16);
  const base = Math.ceil(mem / 8) * 8;
  try {
    assert.equal(e.vs_monitor_init_static(out, base, size - 1, FS), vs.Status.NO_MEMORY);
    assert.equal(e.vs_monitor_init_static(out, base + 4, size, FS), vs.Status.INVALID_ARG);
    assert.equal(e.vs_monitor_init_static(out, base, size, 50), vs.Status.FS_OUT_OF_RANGE);
    assert.equal(e.vs_monitor_init_static(out, base, size, FS), vs.Status.OK);
    const h = readU32(out);
    assert.equal(h, base);

    const n = rec.signal.length;
    const cap = e.vs_monitor_max_events(h, n) >>> 0;
    const x = e.malloc(n * 4);
    const ev = e.malloc(cap * 56);
    heapF32().set(rec.signal, x >>> 2);
    assert.equal(e.vs_monitor_process(h, x, n, ev, cap, out), vs.Status.OK);
    const count = readU32(out);
    const stateSize = e.vs_monitor_state_size(h) >>> 0;
    const blob = e.malloc(stateSize);
    assert.equal(e.vs_monitor_state_save(h, blob, stateSize, out), vs.Status.OK);
    const staticBlob = heapU8().slice(blob, blob + readU32(out));
    e.free(x);
    e.free(ev);
    e.free(blob);
    e.vs_monitor_destroy(h); // a no-op for a monitor in caller memory

    const m = new vs.Monitor(FS);
    try {
      const events = m.process(rec.signal);
      assert.equal(events.length, count);
      assert.ok(count > 100);
      assert.ok(Buffer.from(m.saveState()).equals(Buffer.from(staticBlob)), 'state blobs identical');
    } finally {
      m.dispose();
    }
  } finally {
    e.free(mem);
    e.free(out);
  }
});
