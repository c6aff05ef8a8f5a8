#!/usr/bin/env node
// DPoP proof signing speed (RFC 9449) of the wasm core against WebCrypto, as ratios measured in the
// same process: in Node, and in Chromium on a page served from 127.0.0.1 (bench-page.mjs). The
// core signs through its public path: a client with DPoP-bound tokens (logged in against
// oidc-provider with DPoP on, 127.0.0.1), then core.clientAuthorizeResource(handle, url, 'GET',
// now) makes the resource request's headers with a fresh proof on every call. WebCrypto builds and
// signs the same proof (bench/dpop-lib.mjs). See bench/README.md.
//
//   node bench/dpop.mjs [--rounds 7] [--ms 1000] [--slices 10] [--runtime all|node|chromium] [--json]
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createClient, loadIsolatedCore } from '../dist/node.mjs';
import { startAuthServer } from '../scripts/dev-servers/auth-server.mjs';
import { UserAgent, playUser } from '../scripts/dev-servers/http-client.mjs';
import { MemoryStorage } from '../scripts/dev-servers/memory-storage.mjs';
import { capturingHandle, runDpop } from './dpop-lib.mjs';
import { benchArgs, runInChromium } from './bench-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const APP = 'http://127.0.0.1:5173'; // nothing listens: the user agent stops at the redirect
const API = 'https://api.example.test'; // never called: the headers are only made
const TARGET = { url: `${API}/v1/orders/42?view=full`, method: 'GET' };

// The client's settings (the page's too): DPoP required, the API among its origins.
const clientConfig = (issuer) => ({
  issuer, clientId: 'spa', redirectUri: `${APP}/callback`, scope: 'openid api:read', apiOrigins: [API], dpop: true, autoRefresh: false,
});

// The user's part of the login, played over HTTP: the authorization URL → the callback URL.
async function playLogin(authorizationUrl) {
  const ua = new UserAgent();
  const atApp = (u) => u.startsWith(`${APP}/`);
  const done = await playUser(ua, await ua.navigate(authorizationUrl, { stopAt: atApp }), { login: 'alice', stopAt: atApp });
  if (!done.location) throw new Error('the authorization server did not redirect back');
  return done.location;
}

async function inNode(issuer, options) {
  const core = await loadIsolatedCore();
  const captured = capturingHandle(core);
  const client = await createClient({ ...clientConfig(issuer), core: captured.core, storage: new MemoryStorage() });
  let authorizationUrl;
  await client.loginWithRedirect({ openUrl: (url) => { authorizationUrl = url; } });
  await client.handleRedirectCallback(await playLogin(authorizationUrl));
  const { token, tokenType } = await client.getAccessToken();
  if (tokenType !== 'DPoP') throw new Error(`the server issued a ${tokenType} token, not a DPoP-bound one`);
  try {
    return await runDpop(core, { handle: captured.handle(), token, ...TARGET }, options);
  } finally {
    await client.logout({ revoke: false });
  }
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>oauth-wasm DPoP bench</title>
<script type="module">
  import { createClient, loadIsolatedCore } from '/dist/index.mjs';
  import { capturingHandle, runDpop } from '/bench/dpop-lib.mjs';
  let core, captured, client;
  // The page's client (isolation 'none': the core in this realm) starts its login.
  window.login = async (config) => {
    core = await loadIsolatedCore();
    captured = capturingHandle(core);
    client = await createClient({ ...config, core: captured.core });
    let url;
    await client.loginWithRedirect({ openUrl: (u) => { url = u; } });
    return url;
  };
  window.bench = async ([callbackUrl, target, options]) => {
    await client.handleRedirectCallback(callbackUrl);
    const { token, tokenType } = await client.getAccessToken();
    if (tokenType !== 'DPoP') throw new Error('the server issued a ' + tokenType + ' token, not a DPoP-bound one');
    return runDpop(core, { handle: captured.handle(), token, ...target }, options);
  };
  window.benchReady = true;
</script>`;

async function inChromium(issuer, options) {
  const { version, result } = await runInChromium(PAGE, async (page) => {
    const authorizationUrl = await page.evaluate((config) => window.login(config), clientConfig(issuer));
    return [await playLogin(authorizationUrl), TARGET, options];
  });
  return { version, result };
}

const fmtRatio = (r) => (r >= 10 ? r.toFixed(1) : r.toFixed(2));
const fmtSummary = ({ best, median, range: [lo, hi] }) => `${fmtRatio(best)}  [${fmtRatio(median)}; ${fmtRatio(lo)}–${fmtRatio(hi)}]`;
const fmtRate = (x) => String(Math.round(x)).padStart(8);

function print(runtime, r) {
  console.log(`\n${runtime}`);
  console.log(`  ${'wasm ÷ WebCrypto proof'.padEnd(28)}${'wasm ÷ subtle.sign alone'.padEnd(28)}best ops/s: wasm, WebCrypto proof, sign alone`);
  console.log(`  ${fmtSummary(r.ratio).padEnd(28)}${fmtSummary(r.ratioSign).padEnd(28)}`
    + `${fmtRate(r.perSec.wasm.best)}${fmtRate(r.perSec.webcrypto.best)}${fmtRate(r.perSec.sign.best)}`);
}

async function main() {
  const { options, ...values } = benchArgs();

  const manifest = JSON.parse(await readFile(`${root}dist/manifest.json`, 'utf8'));
  const report = {
    wasm: { sha256: manifest.wasm.sha256, node_sha256: manifest.wasm_node?.sha256, flags: manifest.compile_flags, openssl: manifest.openssl?.version },
    options,
    target: TARGET,
    runtimes: [],
  };
  if (!values.json) {
    console.log('DPoP proofs for a resource request: wasm core (clientAuthorizeResource) vs WebCrypto in the same process; ratios > 1: wasm is faster.');
    console.log(`dist wasm sha256 ${manifest.wasm.sha256.slice(0, 16)}… (page), ${manifest.wasm_node?.sha256.slice(0, 16)}… (Node), OpenSSL ${report.wasm.openssl}`);
    console.log(`${options.rounds} rounds of ${options.ms} ms per maker, taking turns in ${options.slices} slices a round.`);
    console.log('Ratio of the best rounds  [median of the per-round ratios; their range]');
  }
  // Long-lived access tokens: the bench must not outlast them.
  const as = await startAuthServer({ appOrigin: APP, dpop: true, accessTokenTTL: 3600 });
  try {
    if (values.runtime !== 'chromium') {
      const result = await inNode(as.issuer, options);
      report.runtimes.push({ runtime: `node ${process.version}`, result });
      if (!values.json) print(`Node ${process.version} (WebCrypto: node:crypto webcrypto)`, result);
    }
    if (values.runtime !== 'node') {
      try {
        const { version, result } = await inChromium(as.issuer, options);
        report.runtimes.push({ runtime: `chromium ${version}`, result });
        if (!values.json) print(`Chromium ${version} (page on 127.0.0.1, main thread)`, result);
      } catch (e) {
        if (values.runtime === 'chromium') throw e;
        report.runtimes.push({ runtime: 'chromium', skipped: String(e.message) });
        if (!values.json) console.log(`\nChromium: skipped (${e.message.split('\n')[0]})`);
      }
    }
  } finally {
    await as.close();
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
