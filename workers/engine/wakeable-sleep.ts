/**
 * A loop's pause that another event can cut short: `sleep(ms)` resolves after `ms`, or
 * as soon as `wake()` is called (new work arrived), whichever comes first.
 */
export function wakeableSleep(): { sleep: (ms: number) => Promise<void>; wake: () => void } {
  let wakeSleeper: () => void = () => undefined;
  return {
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wakeSleeper = () => undefined;
          resolve();
        }
        wakeSleeper = done;
      }),
    wake: () => wakeSleeper(),
  };
}
