import { type LoggerService } from '@nestjs/common';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** One JSON object per line on stdout, so log shippers need no parsing rules. */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private readonly write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
    private readonly minimum: Level = (process.env.LOG_LEVEL as Level | undefined) ?? 'info',
  ) {}

  private static readonly order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, fatal: 50 };

  emit(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
    if (JsonLogger.order[level] < JsonLogger.order[this.minimum]) return;
    this.write(JSON.stringify({ time: new Date().toISOString(), level, service: this.service, msg, ...fields }));
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
