import { readBeatAnnotations } from './wfdb-annotations';

/** Encodes annotation words as the MIT format stores them. */
function words(...w: number[]): Uint8Array {
  const b = new Uint8Array(w.length * 2);
  const dv = new DataView(b.buffer);
  w.forEach((x, i) => dv.setUint16(2 * i, x, true));
  return b;
}
const ann = (code: number, dt: number): number => (code << 10) | dt;

describe('readBeatAnnotations', () => {
  it('accumulates sample increments and keeps only beat codes', () => {
    const beats = readBeatAnnotations(words(ann(1, 100), ann(28, 10), ann(5, 200), ann(0, 0)));
    expect(beats).toEqual([{ sample: 100, symbol: 'N' }, { sample: 310, symbol: 'V' }]);
  });

  it('handles SKIP (32-bit jump, high word first), AUX payloads and NUM/SUB/CHN', () => {
    // SKIP of 70000 samples = 0x00011170: high word 1, low word 0x1170.
    const aux = [ann(63, 3), 0x4128, 0x0046]; // 3 bytes "(AF" + pad
    const beats = readBeatAnnotations(words(
      ann(59, 0), 0x0001, 0x1170, ann(1, 5), ...aux, ann(61, 1), ann(8, 300), ann(0, 0),
    ));
    expect(beats).toEqual([{ sample: 70005, symbol: 'N' }, { sample: 70305, symbol: 'A' }]);
  });

  it('rejects a file cut inside a SKIP', () => {
    expect(() => readBeatAnnotations(words(ann(59, 0), 0x0001))).toThrow(/truncated/);
  });
});
