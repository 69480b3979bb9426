// Runs a test-bed component by hand (`npx tsx testbed/<component>.ts`): starts it, says how to reach it, and stops it
// on Ctrl-C or SIGTERM.
/** Starts a component, lets `announce` print how to use it, and stops it on SIGINT or SIGTERM; a failure exits 1. */
export function runUntilSignal<T extends { stop(): Promise<unknown> }>(start: () => Promise<T>, announce: (component: T) => void): void {
  start()
    .then((component) => {
      announce(component);
      const stop = () => void component.stop().then(() => process.exit(0), fail);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    })
    .catch(fail);
}

function fail(error: unknown): never {
  console.error(error);
  process.exit(1);
}
