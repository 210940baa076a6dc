import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describeLongPauses, type GcPause, readPauses, summarizePauses } from './gc-pauses';

describe('GC pauses of a window', () => {
  const pauses: GcPause[] = [
    [999, 30],
    [1_000, 2],
    [1_500, 6.25],
    [1_700, 5],
    [2_000, 12],
    [2_001, 40],
  ];

  it('counts the pauses that started within it, the ones over 5 ms, their total and the longest', () => {
    const summary = summarizePauses(pauses, 1_000, 2_000);
    expect(summary).toEqual({ count: 4, totalMs: 25.25, over5ms: 2, longestMs: 12 });
    expect(describeLongPauses(summary)).toBe('2 / 12.0');
  });

  it('is empty for a window without pauses', () => {
    expect(summarizePauses(pauses, 3_000, 4_000)).toEqual({ count: 0, totalMs: 0, over5ms: 0, longestMs: 0 });
  });

  it("reads other processes' pauses from their files, and none before they have written", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'gc-pauses-'));
    try {
      const prefix = path.join(dir, 'pauses.json');
      expect(readPauses(prefix)).toEqual([]);
      const lines = (some: readonly GcPause[]): string => some.map((pause) => `${JSON.stringify(pause)}\n`).join('');
      writeFileSync(`${prefix}.101`, lines(pauses.slice(0, 2)));
      // The last line still being written.
      writeFileSync(`${prefix}.102`, `${lines(pauses.slice(2))}[3000,`);
      // Not a process's file.
      writeFileSync(`${prefix}.102.tmp`, '[1,1]\n');
      writeFileSync(path.join(dir, 'other.json.103'), '[1,1]\n');
      expect(readPauses(prefix).sort((a, b) => a[0] - b[0])).toEqual(pauses);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
