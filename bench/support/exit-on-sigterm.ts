/**
 * Preloaded (`node --require`) into the API child only when it is CPU-profiled: a normal exit on
 * SIGTERM lets `--cpu-prof` write its profile. Registered before Nest's own handler, so it wins.
 */
process.once('SIGTERM', () => process.exit(0));
