// A clock the test moves, in web/clock.mjs's shape ({ now(), setTimeout, clearTimeout }), for the
// `clock` option of createClient and createBackend: the time stands still until the test moves
// it, and a timer runs only when the time passes its moment, so no test waits for real time.
//
//   const clock = manualClock();                  // starts at the system time
//   const client = await createClient({ ..., clock });
//   await clock.advance(300_000);                 // five minutes on: the timers due run, in order
//   const waited = await clock.next();            // a timer is set (now, or once the code sets one):
//                                                 // the time moves to it, it runs; ms moved
//   await clock.run(promise);                     // moves to each timer as it is set, until promise
//                                                 // settles (for flows with no outside actor)
//   clock.pending;                                // timers set and not yet run or cleared
//   clock.requested;                              // every setTimeout's ms, in order
//
// After each timer it runs, the clock lets promise callbacks and I/O that has already arrived run
// before the next (a timer they set runs too when it falls within the same advance).
const settle = () => new Promise((resolve) => setImmediate(resolve));

export function manualClock(start = Date.now()) {
  let now = start;
  let id = 0;
  const timers = new Map(); // handle → { at, fn }, in the order they were set
  let waiting = []; // next()'s, until a timer is set
  const earliest = () => {
    let first = null;
    for (const [handle, t] of timers) if (!first || t.at < first.at) first = { handle, ...t };
    return first;
  };

  const clock = {
    now: () => now,
    setTimeout(fn, ms = 0) {
      const handle = { id: ++id, unref: () => handle, ref: () => handle };
      timers.set(handle, { at: now + Math.max(0, Number(ms) || 0), fn });
      clock.requested.push(ms);
      for (const wake of waiting) wake();
      waiting = [];
      return handle;
    },
    clearTimeout(handle) {
      timers.delete(handle);
    },
    get pending() {
      return timers.size;
    },
    requested: [],

    async advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance(${ms}): the time only moves on`);
      const end = now + ms;
      for (let t = earliest(); t && t.at <= end; t = earliest()) {
        timers.delete(t.handle);
        now = t.at;
        t.fn();
        await settle();
      }
      now = end;
      await settle();
    },

    // Waits (at most `within` ms of real time, then throws) until a timer is set, then moves the
    // time to the earliest one and runs it. Resolves to the milliseconds the time moved.
    async next({ within = 20000 } = {}) {
      if (!timers.size) {
        let guard;
        await new Promise((resolve, reject) => {
          waiting.push(resolve);
          guard = setTimeout(() => reject(new Error(`no timer was set within ${within} ms of real time`)), within);
        }).finally(() => clearTimeout(guard));
      }
      const moved = earliest().at - now;
      await clock.advance(moved);
      return moved;
    },

    // Moves the time to each timer as soon as it is set, until `promise` settles; resolves or
    // rejects as it does.
    async run(promise) {
      let settled = false;
      const done = promise.then(() => { settled = true; }, () => { settled = true; });
      while (!settled) {
        if (!timers.size) await Promise.race([done, new Promise((resolve) => waiting.push(resolve))]);
        if (!settled) await clock.advance(earliest().at - now);
      }
      return promise;
    },
  };
  return clock;
}
