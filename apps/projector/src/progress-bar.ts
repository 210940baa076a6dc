import { type RebuildProgress, type RebuildResult } from '@newsroom/read-models';

const count = (n: number): string => n.toLocaleString('en-US');

/** `[########------------]  4,000 / 10,000 events  2,150 events/s  replay` */
export function renderProgress(progress: RebuildProgress, elapsedMs: number, width = 24): string {
  const ratio = progress.total === 0 ? 1 : Math.min(progress.done / progress.total, 1);
  const filled = Math.round(ratio * width);
  const rate = elapsedMs > 0 ? Math.round((progress.done * 1000) / elapsedMs) : 0;
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${count(progress.done)} / ${count(progress.total)} events  ${count(rate)} events/s  ${progress.phase}`;
}

export function renderSummary(result: RebuildResult): string {
  return `Rebuilt the read models from ${count(result.events)} events (${count(result.eventsInSwap)} caught up during the swap) in ${(result.ms / 1000).toFixed(1)} s.`;
}

/**
 * The rebuild's progress on stderr: one line redrawn in place on a terminal, a line every few
 * seconds otherwise (CI logs, a test reading the pipe), always the last state before the summary.
 */
export class ProgressBar {
  private readonly started = Date.now();
  private lastDrawn = 0;
  private last: RebuildProgress | null = null;

  constructor(
    private readonly out: NodeJS.WriteStream = process.stderr,
    private readonly intervalMs = out.isTTY ? 100 : 2_000,
  ) {}

  update(progress: RebuildProgress): void {
    this.last = progress;
    if (Date.now() - this.lastDrawn >= this.intervalMs) this.draw();
  }

  finish(result: RebuildResult): void {
    if (this.last) this.draw();
    if (this.out.isTTY) this.out.write('\n');
    this.out.write(`${renderSummary(result)}\n`);
  }

  private draw(): void {
    if (!this.last) return;
    this.lastDrawn = Date.now();
    const line = renderProgress(this.last, this.lastDrawn - this.started);
    this.out.write(this.out.isTTY ? `\r${line}\x1b[K` : `${line}\n`);
  }
}
