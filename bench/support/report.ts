import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isInterrupted } from './lifecycle';
import { type MachineInfo } from './machine';

/** The repository root, found from this file whether it runs from bench/ or dist/bench/. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export type Cell = string | number;

/** Numbers with a fixed number of decimals; NaN (no samples) as a dash. */
export function fixed(value: number, digits = 1): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '-';
}

export function printTable(title: string, columns: readonly string[], rows: readonly (readonly Cell[])[]): void {
  const text = rows.map((row) => row.map(String));
  const widths = columns.map((column, i) => Math.max(column.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  console.log(`\n${title}`);
  console.log(line(columns));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of text) console.log(line(row));
}

export interface BenchDocument {
  readonly benchmark: string;
  readonly machine: MachineInfo;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly results: unknown;
  readonly notes?: readonly string[];
}

/** Writes bench/results/<name>.json (git-ignored) and returns its path; an interrupted run writes nothing. */
export function writeResults(document: BenchDocument): string {
  if (isInterrupted()) return '(nothing: the run was interrupted)';
  const dir = path.join(repoRoot(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${document.benchmark}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  return file;
}
