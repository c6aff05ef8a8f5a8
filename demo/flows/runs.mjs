// Server-side runs and their live channel: each run of a server-side flow gets an id and an
// ordered list of events (one per step or log entry), streamed to the page as Server-Sent Events.
// A page that reconnects (or comes back from the auth server) gets the whole list again, then the
// rest as it happens. Events carry only what the page may show: log entries are already shortened.
import { randomBytes } from 'node:crypto';
import { createLog } from '../page/log.mjs';

const KEEP_MS = 30 * 60 * 1000;

export function createRuns() {
  const runs = new Map();

  function sweep() {
    const old = Date.now() - KEEP_MS;
    for (const [id, run] of runs) if (run.created < old && !run.clients.size) runs.delete(id);
  }

  function create(flow) {
    sweep();
    const id = randomBytes(16).toString('base64url');
    const run = {
      id, flow, created: Date.now(), events: [], clients: new Set(), ended: false,
      abort: new AbortController(),
    };
    run.log = createLog();
    run.log.onEntry((entry) => emit(run, 'log', entry));
    runs.set(id, run);
    return run;
  }

  function emit(run, type, data) {
    if (run.ended) return;
    const event = { id: run.events.length + 1, type, data };
    run.events.push(event);
    for (const res of run.clients) write(res, event);
    if (type === 'end') {
      run.ended = true;
      for (const res of run.clients) res.end();
      run.clients.clear();
    }
  }

  function write(res, { id, type, data }) {
    res.write(`id: ${id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  // GET /demo/runs/<id>/events
  function stream(req, res, run) {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    const last = Number(req.headers['last-event-id'] ?? 0) || 0;
    res.write('retry: 1000\n\n');
    for (const event of run.events) if (event.id > last) write(res, event);
    if (run.ended) return res.end();
    run.clients.add(res);
    const ping = setInterval(() => res.write(': ping\n\n'), 15000);
    req.on('close', () => {
      clearInterval(ping);
      run.clients.delete(res);
    });
  }

  return {
    create,
    emit,
    stream,
    get: (id) => runs.get(id),
    closeAll() {
      for (const run of runs.values()) {
        run.abort.abort();
        for (const res of run.clients) res.end();
        run.clients.clear();
      }
    },
  };
}
