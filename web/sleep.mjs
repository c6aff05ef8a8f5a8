// Waiting on a clock (web/clock.mjs): the session's retry backoff, the device flow's polls, the
// backend's lock.

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
