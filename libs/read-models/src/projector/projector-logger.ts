/** Where the projector runtime reports; the app writes it as JSON lines, tests collect it. */
export interface ProjectorLogger {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: ProjectorLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** An error as log fields: its name, message and, when it carries them, the SQLSTATE and cause. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { error: String(error) };
  const code = (error as { code?: unknown }).code;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return { error: error.message, errorName: error.name, ...(typeof code === 'string' ? { code } : {}), ...(cause ? { cause } : {}) };
}
