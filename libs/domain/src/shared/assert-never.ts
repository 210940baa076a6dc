/**
 * The `default` branch of every switch over a union. If a new member is added to the union
 * and not handled, `value` is no longer `never` and the build fails here instead of the new
 * case being silently ignored at run time.
 */
export function assertNever(value: never, what: string): never {
  throw new Error(`Unhandled ${what}: ${JSON.stringify(value)}`);
}
