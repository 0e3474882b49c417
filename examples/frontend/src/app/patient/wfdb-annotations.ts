/**
 * Reader of WFDB annotation files in the MIT format (e.g. the `.atr` of a session's WFDB
 * download): 16-bit little-endian words, 6-bit code + 10-bit sample increment, with the SKIP,
 * NUM, SUB, CHN and AUX pseudo-codes. Returns the beat annotations only.
 */
const SKIP = 59;
const NUM = 60;
const SUB = 61;
const CHN = 62;
const AUX = 63;

/** WFDB annotation code -> mnemonic, for the codes that mark a beat (isqrs). */
const BEAT_SYMBOLS: Record<number, string> = {
  1: 'N', 2: 'L', 3: 'R', 4: 'a', 5: 'V', 6: 'F', 7: 'J', 8: 'A', 9: 'S', 10: 'E', 11: 'j',
  12: '/', 13: 'Q', 25: 'B', 30: '?', 34: 'e', 35: 'n', 38: 'f', 41: 'r',
};

export interface WfdbBeat {
  sample: number;
  symbol: string;
}

export function readBeatAnnotations(bytes: Uint8Array): WfdbBeat[] {
  const beats: WfdbBeat[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let t = 0;
  let i = 0;
  while (i + 1 < bytes.length) {
    const word = dv.getUint16(i, true);
    i += 2;
    const code = word >> 10;
    const value = word & 0x3ff;
    if (code === 0 && value === 0) break; // end of file
    if (code === SKIP) {
      if (i + 3 >= bytes.length) throw new Error('annotation file truncated in a SKIP');
      // 32-bit interval, high 16-bit word first (PDP-11 order).
      const hi = dv.getInt16(i, true);
      const lo = dv.getUint16(i + 2, true);
      t += hi * 65536 + lo;
      i += 4;
    } else if (code === AUX) {
      i += value + (value & 1);
    } else if (code === NUM || code === SUB || code === CHN) {
      // attributes of the previous annotation: not needed for beat labels
    } else {
      t += value;
      const symbol = BEAT_SYMBOLS[code];
      if (symbol) beats.push({ sample: t, symbol });
    }
  }
  return beats;
}
