import { PX_PER_MM, pxPerMv, sweepX } from './sweep-renderer';

describe('sweep geometry', () => {
  it('moves 25 mm per second of signal and wraps at the tile width', () => {
    const fs = 360;
    expect(sweepX(fs, fs, 10_000)).toBeCloseTo(25 * PX_PER_MM, 6);
    const w = 200;
    const oneSweep = (w / (25 * PX_PER_MM)) * fs;
    expect(sweepX(oneSweep + fs, fs, w)).toBeCloseTo(sweepX(fs, fs, w), 6);
    expect(sweepX(0, fs, w)).toBe(0);
  });

  it('uses 10 mm/mV when the tile is tall enough and shrinks otherwise', () => {
    expect(pxPerMv(1000)).toBeCloseTo(10 * PX_PER_MM, 6);
    expect(pxPerMv(64)).toBeCloseTo(20, 6);
  });
});
