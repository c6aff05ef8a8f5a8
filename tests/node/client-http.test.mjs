// web/http.mjs perform(): how the shim carries the core's requests. Redirects are errors, bodies
// are read with a 1 MiB limit, failures are typed. Needs no core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { perform, MAX_BODY_BYTES } from '../../web/http.mjs';
import { OAuthError } from '../../web/errors.mjs';
import { manualClock } from '../../scripts/dev-servers/manual-clock.mjs';

let server;
let base;
const seen = [];

before(async () => {
  server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
      const { pathname } = new URL(req.url, 'http://x');
      if (pathname === '/json') {
        res.writeHead(400, { 'Content-Type': 'application/json', 'DPoP-Nonce': 'n1', 'X-Multi': 'a' });
        return res.end('{"error":"invalid_grant","x":"é"}');
      }
      if (pathname === '/redirect') return res.writeHead(302, { Location: '/json' }).end();
      if (pathname === '/see-other') return res.writeHead(303, { Location: 'http://example.test/' }).end();
      if (pathname === '/exact') return res.end('a'.repeat(MAX_BODY_BYTES));
      if (pathname === '/big') {
        res.writeHead(200, { 'Content-Type': 'application/json' }); // chunked, no length
        const chunk = 'b'.repeat(64 * 1024);
        let sent = 0;
        const more = () => {
          while (sent < 64) {
            sent += 1;
            if (!res.write(chunk)) return res.once('drain', more);
          }
          return res.end();
        };
        return more();
      }
      if (pathname === '/big-length') {
        res.writeHead(200, { 'Content-Length': String(MAX_BODY_BYTES + 1) });
        return res.end('c'.repeat(MAX_BODY_BYTES + 1));
      }
      if (pathname === '/hangup') return req.socket.destroy();
      if (pathname === '/slow') return setTimeout(() => res.end('{}'), 60000).unref(); // later than any deadline here
      if (pathname === '/stall') return res.writeHead(200).flushHeaders(); // then nothing
      if (pathname === '/cut') {
        res.writeHead(503, { 'Content-Length': '100' });
        return res.write('{"error"', () => setTimeout(() => req.socket.destroy(), 50));
      }
      return res.writeHead(404).end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((r) => {
  server.closeAllConnections();
  server.close(r);
}));

const code = (c) => (e) => e instanceof OAuthError && e.code === c;

test('sends method, headers and body as given; returns status, lowercased headers and the body text', async () => {
  const response = await perform({
    method: 'POST', url: `${base}/json`, body: 'grant_type=authorization_code&code=x',
    headers: [['Content-Type', 'application/x-www-form-urlencoded'], ['accept', 'application/json']],
  });
  assert.equal(response.status, 400);
  assert.equal(response.body, '{"error":"invalid_grant","x":"é"}');
  const headers = Object.fromEntries(response.headers);
  assert.equal(headers['content-type'], 'application/json');
  assert.equal(headers['dpop-nonce'], 'n1');
  for (const [name] of response.headers) assert.equal(name, name.toLowerCase());
  const req = seen.at(-1);
  assert.equal(req.method, 'POST');
  assert.equal(req.headers['content-type'], 'application/x-www-form-urlencoded');
  assert.equal(req.body, 'grant_type=authorization_code&code=x');
});

test('a GET carries no body', async () => {
  const response = await perform({ method: 'GET', url: `${base}/json`, headers: [], body: '' });
  assert.equal(response.status, 400);
  assert.equal(seen.at(-1).body, '');
});

test('a redirect is never followed: unexpected_redirect', async () => {
  const before = seen.length;
  await assert.rejects(perform({ method: 'POST', url: `${base}/redirect`, headers: [], body: 'code=x' }), code('unexpected_redirect'));
  await assert.rejects(perform({ method: 'GET', url: `${base}/see-other`, headers: [], body: '' }), code('unexpected_redirect'));
  assert.equal(seen.length, before + 2, 'the Location was not requested');
});

// A fetch of the app's own (a wrapper, a polyfill) may follow redirects whatever `redirect` says:
// what it followed is refused all the same (Response.redirected).
test('a custom fetch that followed a redirect itself: unexpected_redirect, the answer not used', async () => {
  const following = (url, init) => fetch(url, { ...init, redirect: 'follow' });
  const before = seen.length;
  await assert.rejects(perform({ method: 'GET', url: `${base}/redirect`, headers: [], body: '' }, { fetch: following }),
    code('unexpected_redirect'));
  assert.deepEqual(seen.slice(before).map((s) => s.url), ['/redirect', '/json'], 'the fetch did follow it');
});

test('a body of exactly 1 MiB is read; one byte more is response_too_large, with or without Content-Length', async () => {
  const exact = await perform({ method: 'GET', url: `${base}/exact`, headers: [], body: '' });
  assert.equal(exact.body.length, MAX_BODY_BYTES);
  await assert.rejects(perform({ method: 'GET', url: `${base}/big`, headers: [], body: '' }), code('response_too_large'));
  await assert.rejects(perform({ method: 'GET', url: `${base}/big-length`, headers: [], body: '' }), code('response_too_large'));
});

test('connection failures and timeouts are network_error, blamed on the remote side', async () => {
  await assert.rejects(perform({ method: 'GET', url: `${base}/hangup`, headers: [], body: '' }),
    (e) => code('network_error')(e) && e.blame === 'remote');
  await assert.rejects(perform({ method: 'GET', url: 'http://127.0.0.1:1/', headers: [], body: '' }), code('network_error'));
  const clock = manualClock();
  const slow = assert.rejects(perform({ method: 'GET', url: `${base}/slow`, headers: [], body: '' }, { timeout: 200, clock }), code('network_error'));
  assert.equal(await clock.next(), 200, 'the deadline');
  await slow;
});

test('error messages name the URL without its query or fragment, which may carry a code or token', async () => {
  await assert.rejects(perform({ method: 'GET', url: 'http://127.0.0.1:1/token?secret=abc#frag', headers: [], body: '' }),
    (e) => !e.message.includes('secret') && !e.message.includes('frag') && e.message.includes('GET http://127.0.0.1:1/token failed')
      && e.url === 'http://127.0.0.1:1/token');
});

// Issue 21 item 8: the cause as a stable `reason`; issue 22 item 6: whether an answer had begun.
const closedPort = async () => {
  const s = createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
};
const failure = (url, options) => perform({ method: 'POST', url, headers: [], body: 'x' }, options).then(
  () => assert.fail('no error'), (e) => (assert.ok(e instanceof OAuthError && e.code === 'network_error', String(e)), e));

test('network_error says why: refused, dns, tls, timeout or reset; status 0 when no answer began', async () => {
  const refused = await failure(`http://127.0.0.1:${await closedPort()}/token?code=x`);
  assert.equal(refused.reason, 'refused');
  assert.equal(refused.status, 0);
  assert.match(refused.description, /^POST http:\/\/127\.0\.0\.1:\d+\/token failed: the connection was refused$/);
  assert.equal((await failure('http://no-such-host.invalid/token')).reason, 'dns');
  const tls = await failure(`${base.replace('http:', 'https:')}/json`); // TLS spoken to a plain HTTP server
  assert.equal(tls.reason, 'tls');
  assert.match(tls.description, /TLS handshake failed/);
  const clock = manualClock();
  const timingOut = failure(`${base}/slow`, { timeout: 100, clock });
  await clock.next();
  const timeout = await timingOut;
  assert.deepEqual([timeout.reason, timeout.status, timeout.url], ['timeout', 0, `${base}/slow`]);
  assert.equal((await failure(`${base}/hangup`)).reason, 'reset');
});

test('a failure after the status arrived keeps that status: the server has seen the request', async () => {
  // The deadline passes once the status has arrived (the fetch has resolved with the headers).
  const clock = manualClock();
  let headers;
  const arrived = new Promise((resolve) => { headers = resolve; });
  const stalling = failure(`${base}/stall`, { timeout: 200, clock, fetch: (...a) => fetch(...a).then((r) => (headers(), r)) });
  await arrived;
  await clock.advance(200);
  const stalled = await stalling;
  assert.deepEqual([stalled.reason, stalled.status], ['timeout', 200]);
  assert.match(stalled.description, /^POST http:\/\/127\.0\.0\.1:\d+\/stall answered HTTP 200, then failed: no complete answer in time$/);
  const cut = await failure(`${base}/cut`);
  assert.deepEqual([cut.reason, cut.status], ['reset', 503]);
});

test('a custom fetch is used instead of the global one', async () => {
  const calls = [];
  const response = await perform({ method: 'GET', url: 'https://as.example.test/x', headers: [['a', 'b']], body: '' }, {
    fetch: async (url, init) => {
      calls.push({ url, init });
      return new Response('{"ok":true}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    },
  });
  assert.equal(response.body, '{"ok":true}');
  assert.equal(calls[0].url, 'https://as.example.test/x');
  assert.equal(calls[0].init.redirect, 'manual');
  assert.equal(calls[0].init.credentials, 'omit');
});
