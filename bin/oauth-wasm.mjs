#!/usr/bin/env node
// oauth-wasm: log in from a terminal, or get a service token, through the wasm core.
//
//   oauth-wasm login --issuer URL --client-id ID [--client-secret S] [--scope S] [--resource URI]... [--dpop] [--out FILE]
//     The device flow (RFC 8628), as a CLI login: prints the URL and the code, waits (a spinner
//     when the terminal shows it) while you sign in elsewhere, then prints the token JSON.
//     The login lasts: the refresh token's record (never an access or ID token) is kept in
//     $XDG_CONFIG_HOME/oauth-wasm (mode 0600, bin/cli-session.mjs), and the next login with the same
//     issuer and client refreshes it instead of asking again (a kept login is a Bearer one; with
//     --dpop nothing is kept, since the key dies with the process).
//   oauth-wasm logout --issuer URL --client-id ID
//     Revokes the kept login at the server (RFC 7009) and deletes its file.
//   oauth-wasm token --issuer URL --client-id ID [--client-secret S] [--scope S] [--resource URI]... [--dpop] [--out FILE]
//     Client credentials (RFC 6749 §4.4).
//
// A confidential client's secret: --client-secret or OAUTH_CLIENT_SECRET (the environment keeps it
// out of the process list), for every command. The token is a Bearer token, which any program can
// send, unless --dpop asks for DPoP (RFC 9449): a DPoP-bound token needs proofs signed with a key
// that lives in the core of this process only, so it dies with it.
//
// Messages go to stderr; the token JSON to stdout, or with --out only to FILE (created mode 0600).
// Nothing else is written to disk but login's record. Exit codes: 0 ok, 1 an OAuth error (its code printed),
// 2 usage, 130 interrupted.
import { parseArgs } from 'node:util';
import { readSession, removeSession, sessionFile, writePrivate, writeSession } from './cli-session.mjs';

const NAME = 'oauth-wasm';
const USAGE = `Usage:
  ${NAME} login --issuer URL --client-id ID [--client-secret S] [--scope SCOPE] [--resource URI]... [--dpop] [--out FILE]
  ${NAME} token --issuer URL --client-id ID [--client-secret S] [--auth-method METHOD] [--scope SCOPE] [--resource URI]... [--dpop] [--out FILE]
  ${NAME} logout --issuer URL --client-id ID

  login   device authorization (RFC 8628): sign in on another screen; default scope "openid".
          The login is kept (the refresh token, in $XDG_CONFIG_HOME/oauth-wasm, mode 0600): the
          next login refreshes it instead of asking again (not with --dpop)
  logout  revoke the kept login and delete it
  token   client credentials (RFC 6749 §4.4); needs a client secret

Options:
  --issuer URL          the authorization server's issuer identifier (https; http only on loopback)
  --client-id ID        the client registered with it
  --client-secret S     a confidential client's secret (prefer the OAUTH_CLIENT_SECRET variable)
  --auth-method METHOD  client_secret_basic (default) or client_secret_post
  --scope SCOPE         space-separated scopes
  --resource URI        an RFC 8707 resource indicator (repeatable)
  --dpop                a DPoP-bound token (RFC 9449) instead of a Bearer token; its key lives in
                        this process only, so no other program can use the token
  --out FILE            write the token JSON to FILE (mode 0600) instead of stdout
  -h, --help            this text

The token JSON goes to stdout, messages to stderr. Exit codes: 0 ok, 1 OAuth error, 2 usage.`;

const OPTIONS = {
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'client-secret': { type: 'string' },
  'auth-method': { type: 'string' },
  scope: { type: 'string' },
  resource: { type: 'string', multiple: true },
  dpop: { type: 'boolean' },
  out: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

class UsageError extends Error {}

const say = (text) => process.stderr.write(`${NAME}: ${text}\n`);

// Text a server chose (a user code, a URL, a subject, an error's description), fit for a
// terminal: control characters (C0, DEL, and C1, whose CSI starts an escape sequence on
// terminals that read it) and the Unicode bidi controls are shown as \u{...}, so a server can
// neither drive the terminal nor show the code in another order than it is typed.
const shown = (text) => String(text).replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
  (c) => `\\u{${c.codePointAt(0).toString(16)}}`);

function parse(argv) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    // Node's message names the option, never its value (which may be a secret).
    throw new UsageError(e.message.replace(/\. To specify a positional argument.*$/s, ''));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true };
  const [command, ...extra] = positionals;
  if (!command) throw new UsageError('a command is needed: login, logout or token');
  if (!['login', 'logout', 'token'].includes(command)) throw new UsageError(`unknown command "${command}"`);
  if (extra.length) throw new UsageError('unexpected arguments after the command');
  for (const name of ['issuer', 'client-id']) if (!values[name]) throw new UsageError(`--${name} is required`);
  const secret = values['client-secret'] ?? (process.env.OAUTH_CLIENT_SECRET || undefined);
  if (command === 'token' && !secret) throw new UsageError('token needs --client-secret or OAUTH_CLIENT_SECRET');
  const method = values['auth-method'];
  if (method && !['client_secret_basic', 'client_secret_post'].includes(method)) {
    throw new UsageError('--auth-method is client_secret_basic or client_secret_post');
  }
  if (method && !secret) throw new UsageError('--auth-method needs a client secret');
  return {
    command,
    config: {
      issuer: values.issuer,
      clientId: values['client-id'],
      ...(secret ? { clientSecret: secret } : {}),
      ...(method ? { tokenEndpointAuthMethod: method } : {}),
      // Bearer unless asked: a DPoP-bound token is of no use once this process and its key are gone.
      dpop: Boolean(values.dpop),
    },
    scope: values.scope,
    resource: values.resource,
    out: values.out,
  };
}

// A spinner on stderr, only when both streams are a terminal: the token JSON on stdout and a log
// of stderr stay free of animation frames.
function spinner(text) {
  if (!process.stdout.isTTY || !process.stderr.isTTY) return { update() {}, stop() {} };
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  let n = 0;
  const draw = () => process.stderr.write(`\r\x1b[K${frames[n++ % frames.length]} ${text}`);
  const timer = setInterval(draw, 100);
  draw();
  return {
    update(next) { text = next; },
    stop() {
      clearInterval(timer);
      process.stderr.write('\r\x1b[K');
    },
  };
}

const minutes = (seconds) => (seconds >= 120 ? `${Math.round(seconds / 60)} minutes` : `${seconds} seconds`);

async function login(client, { scope, resource, signal }) {
  let wait = { update() {}, stop() {} };
  const stopPoll = client.on('device_poll', ({ result, interval }) => {
    if (result === 'slow_down') wait.update(`Waiting for you to sign in (the server asked to slow down: every ${interval} s)`);
    if (result === 'no_response') wait.update(`Waiting for you to sign in (no answer from the server; next try in ${interval} s)`);
  });
  try {
    return await client.loginWithDeviceCode({
      scope,
      resource,
      signal,
      onPrompt({ userCode, verificationUri, verificationUriComplete, expiresIn }) {
        say(`to sign in, open ${shown(verificationUri)} and enter the code ${shown(userCode)}`);
        if (verificationUriComplete) say(`(or open ${shown(verificationUriComplete)})`);
        say(`the code expires in ${minutes(expiresIn)}`);
        wait = spinner('Waiting for you to sign in…');
      },
    });
  } finally {
    wait.stop();
    stopPoll();
  }
}

// The token JSON: what a shell script needs to call an API.
async function tokenJson(client, result) {
  const { token, tokenType, expiresAt } = await client.getAccessToken();
  const out = { access_token: token, token_type: tokenType, expires_at: expiresAt, scope: result.scope };
  if (result.user?.sub) out.sub = result.user.sub;
  return `${JSON.stringify(out, null, 2)}\n`;
}

// The kept login, refreshed: its result, or null when there is none or the server or the core
// refused it (then it is deleted).
async function resumeLogin(client, file) {
  const record = readSession(file);
  if (record === null) return null;
  try {
    await client.restoreSession(record);
    await client.getAccessToken(); // the refresh
    return { scope: JSON.parse(record).scope, user: await client.getUser() };
  } catch (e) {
    if (e?.name !== 'OAuthError' || e.code === 'network_error') throw e;
    removeSession(file);
    say(shown(`the kept login was refused (${e.code}); signing in again`));
    return null;
  }
}

// After a login: its record replaces the kept one (a rotated refresh token).
async function keepLogin(client, file) {
  try {
    writeSession(file, await client.exportSession());
  } catch (e) {
    if (e?.code !== 'login_required') throw e;
    removeSession(file);
    say('the server issued no refresh token: this login lasts until the token expires');
  }
}

async function logout(client, file) {
  const record = readSession(file);
  if (record === null) {
    say('not signed in');
    return 0;
  }
  try {
    await client.restoreSession(record);
    await client.logout(); // revokes the refresh token (RFC 7009), best effort
  } finally {
    removeSession(file);
  }
  say('signed out');
  return 0;
}

async function main(argv = process.argv.slice(2)) {
  let args;
  try {
    args = parse(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    say(e.message);
    process.stderr.write(`${USAGE.split('\n\n')[0]}\nRun "${NAME} --help" for more.\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }

  // Ctrl-C stops the polling at once; anything else in flight is not waited for long.
  const abort = new AbortController();
  const interrupt = () => {
    abort.abort();
    setTimeout(() => {
      say('interrupted');
      process.exit(130);
    }, 500).unref();
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    const { createClient } = await import('../dist/node.mjs');
    // A kept login is a Bearer one (args.config.dpop is false without --dpop): a DPoP key would
    // end with this process, so a --dpop login is not kept.
    const keep = args.command === 'login' && !args.config.dpop;
    const client = await createClient({ ...args.config, autoRefresh: false });
    const file = sessionFile(args.config);
    if (args.command === 'logout') return await logout(client, file);
    const result = args.command === 'login'
      ? (keep ? await resumeLogin(client, file) : null) ?? (await login(client, { scope: args.scope, resource: args.resource, signal: abort.signal }))
      : await client.loginWithClientCredentials({ scope: args.scope, resource: args.resource });
    if (keep) await keepLogin(client, file);
    const json = await tokenJson(client, result);
    if (args.out) {
      writePrivate(args.out, json);
      say(`token written to ${args.out}`);
    } else {
      process.stdout.write(json);
    }
    if (args.command === 'login') say(`signed in${result.user?.sub ? ` as ${shown(result.user.sub)}` : ''}`);
    if (args.config.dpop) say('the token is DPoP-bound: its key ended with this process, so no other program can send it');
    return 0;
  } catch (e) {
    if (abort.signal.aborted) {
      say('interrupted');
      return 130;
    }
    if (e?.name === 'OAuthError') {
      say(shown(`${e.code}${e.description ? `: ${e.description}` : ''}`));
      return e.code === 'invalid_argument' && e.blame === 'local' ? 2 : 1;
    }
    say(shown(e?.code && e?.syscall ? `${e.code}: ${e.message}` : String(e?.message ?? e)));
    return 1;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

main().then((code) => { process.exitCode = code; });
