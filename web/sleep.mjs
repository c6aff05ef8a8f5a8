// Waiting on a clock (web/clock.mjs), abortable: the device flow's polls (web/grants.mjs), the
// backend's lock. Node only: the browser's bundle does not carry it.

// Resolves after `ms` on `clock`; with `signal`, rejects with its reason as soon as it aborts.
export function sleep(clock, ms, signal) {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    function stop() {
      clock.clearTimeout(timer);
      reject(signal.reason);
    }
    signal?.addEventListener('abort', stop, { once: true });
  });
}
