// bin/oauth-wasm.mjs as a subprocess against the test authorization server: `login` runs the
// device flow while the test reads the code from its stderr and plays the user; `token` gets a
// client-credentials token. Exit codes 0 / 1 (OAuth error, code printed) / 2 (usage) / 130,
// messages on stderr, token JSON on stdout or in a 0600 file, and never the secret in the output.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';
import { UserAgent, playUser, postForm } from '../../scripts/dev-servers/http-client.mjs';

const CLI = fileURLToPath(new URL('../../bin/oauth-wasm.mjs', import.meta.url));
const SECRET = 'service-secret';

let as;
let api;
let dir;

before(async () => {
  as = await startAuthServer();
  api = await startTestApi({ issuer: as.issuer });
  dir = mkdtempSync(join(tmpdir(), 'oauth-wasm-cli-'));
});

after(async () => {
  await api?.close();
  await as?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// Runs the CLI; `onStderr(text so far, child)` sees its stderr as it comes.
// Each run keeps its login in a fresh config directory unless `env` names one.
function run(args, { env = {}, onStderr } = {}) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, XDG_CONFIG_HOME: mkdtempSync(join(dir, 'config-')), ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => {
    stderr += d;
    onStderr?.(stderr, child);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`the CLI did not end: ${stderr}`)); }, 60000);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const devicePolls = () => as.counts['urn:ietf:params:oauth:grant-type:device_code'] ?? 0;

// Reads the URL and the code the CLI printed, once, and plays the user there (after the CLI's
// first poll, as a person would take a moment).
function userAtTerminal({ decision = 'approve', login = 'frank' } = {}) {
  let started = null;
  return {
    get done() { return started; },
    onStderr(text) {
      const m = /open (\S+) and enter the code (\S+)/.exec(text);
      if (!m || started) return;
      const polled = devicePolls();
      started = (async () => {
        while (devicePolls() === polled) await new Promise((r) => setTimeout(r, 100));
        const ua = new UserAgent();
        return playUser(ua, await ua.navigate(m[1]), { userCode: m[2], login, decision });
      })();
    },
  };
}

const login = ['login', '--issuer', () => as.issuer, '--client-id', 'device'];
const token = ['token', '--issuer', () => as.issuer, '--client-id', 'service'];
const args = (list, ...more) => [...list.map((a) => (typeof a === 'function' ? a() : a)), ...more];

test('login: the device flow as a CLI login; code on stderr, token JSON on stdout, exit 0', async () => {
  const user = userAtTerminal();
  const before = devicePolls();
  const out = await run(args(login, '--scope', 'openid profile'), { onStderr: user.onStderr });
  assert.equal(out.code, 0, out.stderr);
  assert.match((await user.done).text, /id="success"/);
  assert.match(out.stderr, new RegExp(`open ${as.issuer}/device and enter the code [A-Z]{4}-[A-Z]{4}`));
  assert.match(out.stderr, /\(or open http:\/\/127\.0\.0\.1:\d+\/device\?user_code=/);
  assert.match(out.stderr, /signed in as frank/);
  assert.doesNotMatch(out.stderr, /\r|\x1b\[/, 'no spinner when the output is not a terminal');
  assert.ok(devicePolls() >= before + 2, 'it polled while the user signed in');

  const json = JSON.parse(out.stdout);
  assert.equal(json.token_type, 'Bearer');
  assert.equal(json.sub, 'frank');
  assert.equal(json.scope, 'openid profile');
  assert.ok(json.expires_at > Date.now() / 1000);
  assert.ok(!out.stderr.includes(json.access_token), 'the token only on stdout');
  const res = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${json.access_token}` } });
  assert.equal((await res.json()).sub, 'frank', 'the token works');
});

test('login lasts: its record is kept 0600 under XDG_CONFIG_HOME, the next login refreshes it without asking, logout revokes and deletes it', async () => {
  const env = { XDG_CONFIG_HOME: mkdtempSync(join(dir, 'kept-')) };
  const user = userAtTerminal({ login: 'grace' });
  const first = await run(args(login), { env, onStderr: user.onStderr });
  assert.equal(first.code, 0, first.stderr);
  const [file, ...more] = readdirSync(join(env.XDG_CONFIG_HOME, 'oauth-wasm')).map((f) => join(env.XDG_CONFIG_HOME, 'oauth-wasm', f));
  assert.equal(more.length, 0);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(env.XDG_CONFIG_HOME, 'oauth-wasm')).mode & 0o777, 0o700);
  const kept = JSON.parse(readFileSync(file, 'utf8'));
  assert.deepEqual(Object.keys(kept), ['v', 'issuer', 'client_id', 'refresh_token', 'scope', 'dpop_jkt', 'sub']);
  assert.equal(kept.sub, 'grace');
  assert.ok(!readFileSync(file, 'utf8').includes(JSON.parse(first.stdout).access_token), 'no access token kept');

  const polls = devicePolls();
  const second = await run(args(login), { env });
  assert.equal(second.code, 0, second.stderr);
  assert.doesNotMatch(second.stderr, /enter the code/, 'no new device flow');
  assert.equal(devicePolls(), polls);
  const json = JSON.parse(second.stdout);
  assert.equal(json.sub, 'grace');
  const res = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${json.access_token}` } });
  assert.equal((await res.json()).sub, 'grace', 'the refreshed token works');
  const rotated = JSON.parse(readFileSync(file, 'utf8')).refresh_token;
  assert.notEqual(rotated, kept.refresh_token, 'the rotated refresh token is kept');

  const out = await run(['logout', '--issuer', as.issuer, '--client-id', 'device'], { env });
  assert.equal(out.code, 0, out.stderr);
  assert.match(out.stderr, /signed out/);
  assert.throws(() => statSync(file), { code: 'ENOENT' });
  const introspection = await postForm(`${as.issuer}/token/introspection`, { token: rotated }, { basic: ['api', 'api-secret'] });
  assert.equal(introspection.json.active, false, 'the refresh token is revoked');
});

test('login denied by the user: exit 1 with access_denied on stderr, nothing on stdout', async () => {
  const user = userAtTerminal({ decision: 'deny' });
  const out = await run(args(login), { onStderr: user.onStderr });
  await user.done;
  assert.equal(out.code, 1, out.stderr);
  assert.match(out.stderr, /^oauth-wasm: access_denied/m);
  assert.equal(out.stdout, '');
});

test('login interrupted (SIGINT while polling): exit 130', async () => {
  const out = await run(args(login), {
    onStderr(text, child) { if (/enter the code/.test(text) && !child.killed) child.kill('SIGINT'); },
  });
  assert.equal(out.code, 130, out.stderr);
  assert.match(out.stderr, /interrupted/);
  assert.equal(out.stdout, '');
});

// A server whose user_code carries a C1 control (CSI, U+009B: an escape sequence's start on
// terminals that read C1) and a bidi override (U+202E: the rest of the line shown reversed).
async function startLyingDeviceServer(userCode) {
  const server = createServer((req, res) => {
    const issuer = `http://127.0.0.1:${server.address().port}`;
    const send = (body) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration') {
      return send({
        issuer, authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`, jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'], code_challenge_methods_supported: ['S256'],
        device_authorization_endpoint: `${issuer}/device`,
      });
    }
    if (req.url === '/device') return send({ device_code: 'dc', user_code: userCode, verification_uri: `${issuer}/verify`, expires_in: 600 });
    return res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"authorization_pending"}');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { issuer: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

// The core refuses such a user_code (src/protocol/display_text.hpp); the CLI's own escaping of
// server text (shown()) stays as a second guard.
test('login: a user_code with control or bidi characters is refused, and none reaches the terminal', async () => {
  const lying = await startLyingDeviceServer('WDJB\u009b2J\u202eMJHT');
  try {
    const out = await run(['login', '--issuer', lying.issuer, '--client-id', 'device'], {
      onStderr(text, child) { if (/enter the code/.test(text) && !child.killed) child.kill('SIGINT'); },
    });
    assert.equal(out.code, 1, out.stderr);
    assert.match(out.stderr, /invalid_response: the user_code is too long or holds control or bidirectional formatting characters/);
    assert.doesNotMatch(out.stderr, /enter the code/);
    assert.doesNotMatch(out.stderr, /[\u0080-\u009f\u202a-\u202e\u2066-\u2069]/u);
  } finally {
    await lying.close();
  }
});

// A terminal through util-linux's script(1), when the machine has it.
const SCRIPT = ['/usr/bin/script', '/bin/script'].find((p) => { try { return statSync(p).isFile(); } catch { return false; } });

test('login on a terminal: a spinner on stderr while polling; Ctrl-C ends it with 130', { skip: !SCRIPT && 'no script(1) for a terminal' }, async () => {
  const command = [process.execPath, CLI, ...args(login)].map((a) => `'${a}'`).join(' ');
  const child = spawn(SCRIPT, ['-qefc', command, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { PATH: process.env.PATH } });
  let screen = '';
  child.stdout.on('data', (d) => { screen += d; });
  const closed = new Promise((resolve) => child.on('close', resolve));
  while (!/Waiting for you to sign in/.test(screen)) await new Promise((r) => setTimeout(r, 50));
  await new Promise((r) => setTimeout(r, 500));
  child.stdin.write('\x03'); // Ctrl-C, as typed
  assert.equal(await closed, 130, screen);
  assert.match(screen, /enter the code [A-Z]{4}-[A-Z]{4}/);
  assert.match(screen, /\r\x1b\[K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] Waiting for you to sign in…/);
  assert.ok(screen.match(/Waiting for you to sign in/g).length >= 3, 'it spins');
  assert.match(screen, /interrupted/);
});

test('token: client credentials with the secret from OAUTH_CLIENT_SECRET or --client-secret', async () => {
  const viaEnv = await run(args(token, '--scope', 'api:read', '--resource', api.url), { env: { OAUTH_CLIENT_SECRET: SECRET } });
  assert.equal(viaEnv.code, 0, viaEnv.stderr);
  const json = JSON.parse(viaEnv.stdout);
  assert.equal(json.token_type, 'Bearer');
  assert.equal(json.scope, 'api:read');
  assert.equal(json.sub, undefined);
  const res = await fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${json.access_token}` } });
  assert.equal((await res.json()).client_id, 'service');
  assert.equal(viaEnv.stderr, '', 'nothing to say');

  const viaFlag = await run(args(token, '--client-secret', SECRET));
  assert.equal(viaFlag.code, 0, viaFlag.stderr);
  assert.ok(JSON.parse(viaFlag.stdout).access_token);
  for (const out of [viaEnv, viaFlag]) assert.ok(!`${out.stdout}${out.stderr}`.includes(SECRET), 'the secret is never printed');
});

test('token --out FILE: written with mode 0600 (also over an existing file), nothing on stdout', async () => {
  const file = join(dir, 'token.json');
  writeFileSync(file, 'old');
  chmodSync(file, 0o644);
  const out = await run(args(token, '--out', file), { env: { OAUTH_CLIENT_SECRET: SECRET } });
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout, '');
  assert.match(out.stderr, /token written to /);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.ok(JSON.parse(readFileSync(file, 'utf8')).access_token);
});

test('OAuth errors exit 1 with the code on stderr, and never the secret', async () => {
  const wrong = await run(args(token, '--client-secret', 'wrong-secret-2718'));
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /^oauth-wasm: invalid_client/m);
  assert.ok(!wrong.stderr.includes('wrong-secret-2718'));
  assert.equal(wrong.stdout, '');

  const target = await run(args(token, '--resource', 'https://unknown.example.test/'), { env: { OAUTH_CLIENT_SECRET: SECRET } });
  assert.equal(target.code, 1);
  assert.match(target.stderr, /^oauth-wasm: invalid_target/m);

  const unreachable = await run(['token', '--issuer', 'http://127.0.0.1:9', '--client-id', 'service'], { env: { OAUTH_CLIENT_SECRET: SECRET } });
  assert.equal(unreachable.code, 1);
  assert.match(unreachable.stderr, /^oauth-wasm: network_error/m);
});

test('usage errors exit 2 with a message on stderr; --help exits 0', async () => {
  for (const argv of [
    [],
    ['logout'],
    ['login', '--client-id', 'device'],
    ['token', '--issuer', 'http://127.0.0.1:9', '--client-id', 'service'], // no secret anywhere
    ['token', '--issuer', 'http://127.0.0.1:9', '--client-id', 'service', '--client-secret', 'x', '--auth-method', 'none'],
    ['token', '--bogus=hidden-value-1234'],
    ['login', '--issuer', 'http://127.0.0.1:9', '--client-id', 'device', 'extra'],
  ]) {
    const out = await run(argv);
    assert.equal(out.code, 2, `${argv.join(' ')}: ${out.stderr}`);
    assert.match(out.stderr, /^oauth-wasm: /);
    assert.match(out.stderr, /Usage:/);
    assert.ok(!out.stderr.includes('hidden-value-1234'), 'an option\'s value is not echoed');
    assert.equal(out.stdout, '');
  }
  const bad = await run(args(login, '--resource', 'not a uri')); // refused by the core: a usage error too
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /^oauth-wasm: invalid_argument/m);
  const help = await run(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /oauth-wasm login --issuer URL --client-id ID/);
});

// Issue 21 item 5: against a server that offers DPoP, the CLI still prints a Bearer token (a
// DPoP-bound one needs proofs from a key that died with the CLI), so its output works as the
// Authorization header of another program; --dpop asks for DPoP. `login` takes the secret from
// the environment as `token` does.
test('with a server that offers DPoP: token and login print Bearer tokens another program can use; --dpop asks for DPoP', async () => {
  const dpopAs = await startAuthServer({
    dpop: true, clientOverrides: { device: { token_endpoint_auth_method: 'client_secret_basic', client_secret: 'device-secret' } },
  });
  const dpopApi = await startTestApi({ issuer: dpopAs.issuer });
  const use = (json) => fetch(`${dpopApi.url}/me`, { headers: { authorization: `${json.token_type} ${json.access_token}` } });
  try {
    const out = await run(['token', '--issuer', dpopAs.issuer, '--client-id', 'service'], { env: { OAUTH_CLIENT_SECRET: SECRET } });
    assert.equal(out.code, 0, out.stderr);
    const json = JSON.parse(out.stdout);
    assert.equal(json.token_type, 'Bearer');
    const res = await use(json);
    assert.equal(res.status, 200, await res.clone().text());
    assert.equal((await res.json()).client_id, 'service');

    const bound = await run(['token', '--issuer', dpopAs.issuer, '--client-id', 'service', '--dpop'], { env: { OAUTH_CLIENT_SECRET: SECRET } });
    assert.equal(bound.code, 0, bound.stderr);
    assert.equal(JSON.parse(bound.stdout).token_type, 'DPoP');
    assert.match(bound.stderr, /DPoP-bound: its key ended with this process/);
    assert.equal((await use(JSON.parse(bound.stdout))).status, 401, 'without its key the bound token is refused, as the CLI said');

    // A confidential device client: the secret comes from OAUTH_CLIENT_SECRET, never printed.
    let started = null;
    const signIn = await run(['login', '--issuer', dpopAs.issuer, '--client-id', 'device', '--scope', 'openid'], {
      env: { OAUTH_CLIENT_SECRET: 'device-secret' },
      onStderr(text) {
        const m = /open (\S+) and enter the code (\S+)/.exec(text);
        if (!m || started) return;
        started = (async () => {
          const ua = new UserAgent();
          return playUser(ua, await ua.navigate(m[1]), { userCode: m[2], login: 'frank', decision: 'approve' });
        })();
      },
    });
    assert.equal(signIn.code, 0, signIn.stderr);
    await started;
    const signedIn = JSON.parse(signIn.stdout);
    assert.equal(signedIn.token_type, 'Bearer');
    assert.equal(signedIn.sub, 'frank');
    const me = await use(signedIn);
    assert.equal(me.status, 200);
    assert.equal((await me.json()).sub, 'frank');
    assert.ok(!`${signIn.stdout}${signIn.stderr}`.includes('device-secret'), 'the secret is never printed');
  } finally {
    await dpopApi.close();
    await dpopAs.close();
  }
});

test('the kept login lives under an absolute XDG_CONFIG_HOME; a relative one is ignored for ~/.config', async () => {
  const { sessionFile } = await import('../../bin/cli-session.mjs');
  const who = { issuer: 'https://as.example', clientId: 'cli' };
  assert.equal(sessionFile(who, { XDG_CONFIG_HOME: '/srv/conf', HOME: '/home/u' }).dir, '/srv/conf/oauth-wasm');
  assert.equal(sessionFile(who, { XDG_CONFIG_HOME: 'conf', HOME: '/home/u' }).dir, '/home/u/.config/oauth-wasm');
  assert.equal(sessionFile(who, { HOME: '/home/u' }).dir, '/home/u/.config/oauth-wasm');
  assert.notEqual(sessionFile(who, { HOME: '/h' }).path, sessionFile({ ...who, clientId: 'other' }, { HOME: '/h' }).path, 'one file per issuer and client');
});
