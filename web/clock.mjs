// The shim's time: one clock, { now(), setTimeout(fn, ms), clearTimeout(handle) }, handed to
// everything in web/ that reads the time or waits (the session's token times and refresh timer,
// its retry backoff and silent-restore timeout, the device flow's polls, the popup's timeout, the
// silent frame's grace, the backend's schedule). now() is milliseconds since the epoch, as
// Date.now(). Tests and simulations pass a clock they move themselves
// (scripts/dev-servers/manual-clock.mjs), so nothing waits for real time to pass. Waiting on a
// clock, abortably: web/sleep.mjs. The page's own timers (web/client.mjs, web/silent-frame.mjs)
// take the clock given or the system's (globalThis), so a page that only creates a client does not
// load this module.
export const realClock = Object.freeze({
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle),
});

// Whole seconds since the epoch on `clock`: the core's `now`.
export const seconds = (clock) => Math.floor(clock.now() / 1000);
