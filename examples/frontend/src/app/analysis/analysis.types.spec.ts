import { planRecords } from './analysis.types';

describe('planRecords', () => {
  it('makes one record per header and per CSV and keeps .dat files for the headers', () => {
    const { records, orphans } = planRecords([
      { name: '100.hea' }, { name: '100.dat' }, { name: '101.hea' }, { name: '101.dat' },
      { name: 'x.csv' }, { name: '100.atr' },
    ]);
    expect(records.map((r) => `${r.kind}:${r.name}`)).toEqual(['wfdb:100', 'wfdb:101', 'csv:x.csv']);
    expect(orphans).toEqual([]);
  });

  it('reports a signal file without a header and unknown files', () => {
    const { records, orphans } = planRecords([{ name: '100.dat' }, { name: 'notes.pdf' }]);
    expect(records).toEqual([]);
    expect(orphans).toEqual(['100.dat', 'notes.pdf']);
  });
});
