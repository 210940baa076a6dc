import { renameSync, writeFileSync } from 'node:fs';
import { GcRecorder } from './gc-pauses';

/**
 * Loaded with `--require` into a process a benchmark starts (the API): records its GC pauses and
 * writes them every 200 ms to BENCH_GC_FILE plus its pid (with API_WORKERS each worker process
 * loads it too), for the benchmark to read per window with `readPauses(BENCH_GC_FILE)`.
 */
const prefix = process.env.BENCH_GC_FILE;
if (prefix) {
  const file = `${prefix}.${process.pid}`;
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
