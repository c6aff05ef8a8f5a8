// One run of a flow: its steps' states, its log and its outcome, as plain JSON (the PKCE run keeps
// it in sessionStorage across the redirect; server runs rebuild it from the event stream).
import { createLog } from './log.mjs';

const ORDER = { pending: 0, active: 1, done: 2, failed: 2 };

export function createRun(flow, saved) {
  const state = saved?.flow === flow.id && Array.isArray(saved.steps) ? saved : {
    id: globalThis.crypto.randomUUID(),
    flow: flow.id,
    started: Date.now(),
    steps: flow.steps.map(() => ({ state: 'pending' })),
    entries: [],
    outcome: null,
    extra: {},
  };
  const log = createLog(state.entries);
  state.entries = log.entries;
  const listeners = new Set();
  const changed = () => { for (const fn of listeners) fn(state); };
  log.onEntry(changed);

  return {
    state,
    log,
    flow,
    // A step only moves forward (pending → active → done/failed), so late events cannot dim it.
    step(n, next, note) {
      const current = state.steps[n - 1];
      if (!current || ORDER[next] < ORDER[current.state]) return;
      if (current.state === next && current.note === note) return;
      state.steps[n - 1] = note ? { state: next, note } : { state: next };
      changed();
    },
    stepState: (n) => state.steps[n - 1]?.state,
    outcome(value) {
      state.outcome = value;
      changed();
    },
    set(key, value) {
      state.extra[key] = value;
      changed();
    },
    get: (key) => state.extra[key],
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
