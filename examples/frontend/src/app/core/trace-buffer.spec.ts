import { TraceBuffer } from './trace-buffer';

describe('TraceBuffer', () => {
  it('keeps samples by absolute index and forgets the oldest beyond its capacity', () => {
    const b = new TraceBuffer(10, 2); // 20 samples
    b.push(0, Array.from({ length: 15 }, (_, i) => i));
    expect(b.endIdx).toBe(15);
    expect(b.at(3)).toBe(3);
    b.push(15, Array.from({ length: 10 }, (_, i) => 15 + i));
    expect(b.startIdx).toBe(5);
    expect(b.at(4)).toBeNaN();
    expect(b.at(5)).toBe(5);
    expect(b.at(24)).toBe(24);
    expect(b.at(25)).toBeNaN();
  });

  it('marks a forward gap as missing signal instead of joining unrelated samples', () => {
    const b = new TraceBuffer(10, 5);
    b.push(0, [1, 1, 1]);
    b.push(6, [2, 2]);
    expect(b.at(2)).toBe(1);
    expect(b.at(3)).toBeNaN();
    expect(b.at(5)).toBeNaN();
    expect(b.at(6)).toBe(2);
  });

  it('ignores duplicate chunks and appends only the new part of an overlap', () => {
    const b = new TraceBuffer(10, 5);
    b.push(0, [0, 1, 2, 3]);
    b.push(0, [9, 9, 9, 9]);
    expect(b.at(1)).toBe(1);
    b.push(2, [7, 7, 4, 5]);
    expect(b.at(2)).toBe(2);
    expect(b.at(4)).toBe(4);
    expect(b.endIdx).toBe(6);
  });

  it('stores non-finite input as NaN and rejects a bad sampling rate', () => {
    const b = new TraceBuffer(10, 1);
    b.push(0, [Infinity, 1]);
    expect(b.at(0)).toBeNaN();
    expect(() => new TraceBuffer(0)).toThrow(RangeError);
    expect(() => new TraceBuffer(NaN)).toThrow(RangeError);
  });

  it('returns beats of a range and drops beats older than the buffer', () => {
    const b = new TraceBuffer(10, 2);
    b.push(0, new Array(20).fill(0));
    b.addBeats([{ sample: 12, label: 'V' }, { sample: 3, label: 'N' }]);
    expect(b.beatsIn(0, 20).map((x) => x.label)).toEqual(['N', 'V']);
    b.push(20, new Array(10).fill(0));
    expect(b.beatsIn(0, 30).map((x) => x.sample)).toEqual([12]);
  });

  it('backfills history without overwriting live samples', () => {
    const b = new TraceBuffer(10, 2);
    b.push(10, [5, 5, 5]);
    b.backfill(4, [1, 1, 1, 1, 1, 1, 9, 9]);
    expect(b.at(3)).toBeNaN();
    expect(b.at(4)).toBe(1);
    expect(b.at(9)).toBe(1);
    expect(b.at(10)).toBe(5);
    expect(b.endIdx).toBe(13);
    const empty = new TraceBuffer(10, 2);
    empty.backfill(0, [2, 2]);
    expect(empty.endIdx).toBe(2);
  });
});
