import { renameSync, writeFileSync } from 'node:fs';
import { GcRecorder } from './gc-pauses';

/**
 * Loaded with `--require` into a process a benchmark starts (the API): records its GC pauses and
 * writes them to BENCH_GC_FILE every 200 ms, for the benchmark to read per window.
 */
const file = process.env.BENCH_GC_FILE;
if (file) {
  const recorder = new GcRecorder();
  let written = -1;
  const write = (): void => {
    if (recorder.pauses.length === written) return;
    written = recorder.pauses.length;
    // Replaced whole, so a reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(recorder.pauses));
    renameSync(`${file}.tmp`, file);
  };
  setInterval(write, 200).unref();
}
