/** Where the adapter reports what it recovers from on its own (a dropped LISTEN connection, a failed rollback). */
export interface EventStoreLogger {
  warn(message: string, error?: unknown): void;
}

export const consoleEventStoreLogger: EventStoreLogger = {
  warn(message, error) {
    console.warn(`[event-store] ${message}`, ...(error === undefined ? [] : [error]));
  },
};
