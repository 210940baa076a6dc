/**
 * Runs a benchmark's main function and, whatever happens (an error, Ctrl-C), undoes what it set
 * up: child processes stopped, throwaway databases dropped. Cleanups run last-registered first.
 */
type Cleanup = () => Promise<void>;

const cleanups: Cleanup[] = [];
let interrupted = false;

/** After Ctrl-C: loops stop starting operations and no results are written. */
export function isInterrupted(): boolean {
  return interrupted;
}

export function onCleanup(cleanup: Cleanup): void {
  cleanups.push(cleanup);
}

async function cleanUp(): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) {
    try {
      await cleanup();
    } catch (error) {
      console.error('cleanup failed:', error);
    }
  }
}

export function runBench(name: string, main: () => Promise<void>): void {
  process.once('SIGINT', () => {
    interrupted = true;
    console.error(`\n${name}: interrupted, cleaning up`);
    void cleanUp().finally(() => process.exit(130));
  });
  main()
    .catch((error: unknown) => {
      console.error(`${name} failed:`, error);
      process.exitCode = 1;
    })
    .finally(() => (interrupted ? undefined : cleanUp()))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
