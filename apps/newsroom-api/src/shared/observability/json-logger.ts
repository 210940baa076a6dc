import { type LoggerService } from '@nestjs/common';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Lines held for one turn of the event loop before they are written; more than this many bytes are written at once. */
const FLUSH_AT_BYTES = 64 * 1024;

/**
 * Standard output, written once per turn of the event loop rather than once per line: under load
 * one request-log line per request was one write system call per request. Lines are flushed on the
 * next turn, when 64 KiB are waiting, when an error is logged, and when the process exits.
 */
export class BatchedStdout {
  private lines: string[] = [];
  private bytes = 0;
  private scheduled = false;

  constructor(private readonly out: (text: string) => void = (text) => process.stdout.write(text)) {
    process.once('exit', () => this.flush());
  }

  write(line: string, urgent = false): void {
    this.lines.push(line);
    this.bytes += line.length + 1;
    if (urgent || this.bytes >= FLUSH_AT_BYTES) {
      this.flush();
      return;
    }
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.lines.length === 0) return;
    const text = `${this.lines.join('\n')}\n`;
    this.lines = [];
    this.bytes = 0;
    this.out(text);
  }
}

let stdout: BatchedStdout | undefined;

/** One batched standard output per process, shared by every logger that writes there. */
function sharedStdout(): BatchedStdout {
  stdout ??= new BatchedStdout();
  return stdout;
}

/** One JSON object per line on stdout, so log shippers need no parsing rules. */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly write: (line: string, urgent: boolean) => void = (line, urgent) => sharedStdout().write(line, urgent),
    private readonly minimum: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info',
  ) {}

  private static readonly order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };

  emit(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    if (JsonLogger.order[level] < JsonLogger.order[this.minimum]) return;
    this.write(JSON.stringify({ time: new Date().toISOString(), level, service: this.service, msg, ...fields }), JsonLogger.order[level] >= JsonLogger.order.error);
  }

  info(msg: string, fields?: Record<string, unknown>): void {
    this.emit('info', msg, fields);
  }

  // Nest's LoggerService signatures: (message, ...optionalParams) where the last may be a context.
  log(message: unknown, ...rest: unknown[]): void {
    this.emit('info', String(message), JsonLogger.context(rest));
  }

  error(message: unknown, ...rest: unknown[]): void {
    const [fields] = rest;
    if (fields && typeof fields === 'object') this.emit('error', String(message), fields as Record<string, unknown>);
    else this.emit('error', String(message), JsonLogger.context(rest));
  }

  warn(message: unknown, ...rest: unknown[]): void {
    const [fields] = rest;
    if (fields && typeof fields === 'object') this.emit('warn', String(message), fields as Record<string, unknown>);
    else this.emit('warn', String(message), JsonLogger.context(rest));
  }

  debug(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', String(message), JsonLogger.context(rest));
  }

  verbose(message: unknown, ...rest: unknown[]): void {
    this.emit('debug', String(message), JsonLogger.context(rest));
  }

  fatal(message: unknown, ...rest: unknown[]): void {
    this.emit('fatal', String(message), JsonLogger.context(rest));
  }

  private static context(rest: unknown[]): Record<string, unknown> {
    const last = rest.at(-1);
    return typeof last === 'string' ? { context: last } : {};
  }
}
