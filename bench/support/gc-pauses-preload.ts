import { appendFileSync } from 'node:fs';
import { GcRecorder } from './gc-pauses';

/**
 * Loaded with `--require` into a process a benchmark starts (the API): records its GC pauses and
 * every 200 ms appends the new ones, a line each, to BENCH_GC_FILE plus its pid (with API_WORKERS
 * each worker process loads it too), for the benchmark to read per window with
 * `readPauses(BENCH_GC_FILE)`.
 */
const prefix = process.env.BENCH_GC_FILE;
if (prefix) {
  const file = `${prefix}.${process.pid}`;
  const recorder = new GcRecorder();
  let written = 0;
  const write = (): void => {
    if (recorder.pauses.length === written) return;
    const lines = recorder.pauses.slice(written).map((pause) => `${JSON.stringify(pause)}\n`);
    written = recorder.pauses.length;
    appendFileSync(file, lines.join(''));
  };
  setInterval(write, 200).unref();
}
