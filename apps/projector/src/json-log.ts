import { type ProjectorLogger } from '@newsroom/read-models';

type Level = 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface JsonLog extends ProjectorLogger {
  fatal(msg: string, fields?: Record<string, unknown>): void;
}

/** One JSON object per line on stdout, shaped like the API's log lines (time, level, service, msg). */
export function jsonLog(service: string, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): JsonLog {
  const emit =
    (level: Level) =>
    (msg: string, fields: Record<string, unknown> = {}): void =>
      write(JSON.stringify({ time: new Date().toISOString(), level, service, msg, ...fields }));
  return { info: emit('info'), warn: emit('warn'), error: emit('error'), fatal: emit('fatal') };
}
