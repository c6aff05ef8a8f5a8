#!/usr/bin/env node
// JWS (ID token) verification speed of the wasm core against WebCrypto, as ratios measured in the
// same process: in Node, and in Chromium on a page served from 127.0.0.1 (playwright-core +
// /usr/bin/chromium, or $CHROMIUM). The core is dist/'s Node module (the browser's leaves the
// binding out: only tests and benches call it), called through its verifyJws(compact, jwksJson)
// binding, in Chromium too (its glue is the web glue); WebCrypto is crypto.subtle.verify with the key imported beforehand, and
// again doing the binding's whole job per call (parse, import, verify). See bench/README.md.
//
//   node bench/verify.mjs [--rounds 7] [--ms 1000] [--slices 10] [--runtime all|node|chromium] [--json]
import { generateKeyPairSync, randomBytes, sign, createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { run } from './verify-lib.mjs';
import { benchArgs, runInChromium } from './bench-page.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const b64u = (data) => Buffer.from(data).toString('base64url');

// A realistic ID token per alg, signed by a fresh key, with a one-key JWKS and a tampered copy.
function fixtures() {
  const keys = {
    RS256: generateKeyPairSync('rsa', { modulusLength: 2048 }),
    ES256: generateKeyPairSync('ec', { namedCurve: 'P-256' }),
    EdDSA: generateKeyPairSync('ed25519'),
  };
  const iat = Math.floor(Date.now() / 1000);
  const accessToken = randomBytes(32).toString('base64url');
  return Object.entries(keys).map(([alg, { publicKey, privateKey }]) => {
    const kid = `${alg.toLowerCase()}-${randomBytes(6).toString('hex')}`;
    const header = { alg, typ: 'JWT', kid };
    const half = createHash(alg === 'EdDSA' ? 'sha512' : 'sha256').update(accessToken).digest();
    const claims = {
      iss: 'https://issuer.example.test', sub: 'user-1234567890', aud: 'spa', exp: iat + 3600, iat,
      auth_time: iat - 5, nonce: randomBytes(32).toString('base64url'),
      at_hash: b64u(half.subarray(0, half.length / 2)), sid: randomBytes(16).toString('hex'),
      name: 'Demo User', email: 'demo@example.test',
    };
    const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(claims))}`;
    const signature = alg === 'EdDSA'
      ? sign(null, Buffer.from(input), privateKey)
      : sign('sha256', Buffer.from(input), alg === 'ES256' ? { key: privateKey, dsaEncoding: 'ieee-p1363' } : privateKey);
    const compact = `${input}.${b64u(signature)}`;
    const tamperedClaims = b64u(JSON.stringify({ ...claims, sub: 'user-1234567891' }));
    const tampered = `${input.split('.')[0]}.${tamperedClaims}.${b64u(signature)}`;
    const jwks = JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' }] });
    return { alg, compact, jwks, tampered };
  });
}

async function inNode(cases, options) {
  const { loadIsolatedCore } = await import('../dist/node.mjs');
  const core = await loadIsolatedCore();
  if (typeof core.verifyJws !== 'function') {
    throw new Error('dist/ has no verifyJws binding (bindings/crypto_extra_bindings.cpp): run make dist');
  }
  return run(core, cases, options);
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>oauth-wasm verify bench</title>
<script type="module">
  import createNodeCore from '/dist/oauth-wasm-core-node.mjs';
  import { wrapCore } from '/web/core-abi.mjs';
  import { run } from '/bench/verify-lib.mjs';
  window.bench = async ([cases, options]) => {
    const wasmBinary = await (await fetch('/dist/oauth-wasm-core-node.wasm')).arrayBuffer();
    const core = wrapCore(await createNodeCore({ wasmBinary }));
    if (typeof core.verifyJws !== 'function') throw new Error('dist/ has no verifyJws binding: run make dist');
    return run(core, cases, options);
  };
  window.benchReady = true;
</script>`;

async function inChromium(cases, options) {
  const { version, result } = await runInChromium(PAGE, [cases, options]);
  return { version, results: result };
}

const fmtRatio = (r) => (r >= 10 ? r.toFixed(1) : r.toFixed(2));
const fmtSummary = ({ best, median, range: [lo, hi] }) => `${fmtRatio(best)}  [${fmtRatio(median)}; ${fmtRatio(lo)}–${fmtRatio(hi)}]`;
const fmtRate = (x) => String(Math.round(x)).padStart(7);

function print(runtime, results) {
  console.log(`\n${runtime}`);
  console.log(`  ${'alg'.padEnd(6)}${'wasm ÷ WebCrypto verify'.padEnd(32)}${'wasm ÷ WebCrypto parse+import+verify'.padEnd(38)}`
    + 'best ops/s: wasm, verify, parse+import+verify');
  for (const r of results) {
    if (r.unsupported) {
      console.log(`  ${r.alg.padEnd(6)}(WebCrypto here has no ${r.alg}: skipped)`);
      continue;
    }
    const { wasm, webcrypto, webcryptoFull } = r.perSec;
    console.log(`  ${r.alg.padEnd(6)}${fmtSummary(r.ratio).padEnd(32)}${fmtSummary(r.ratioFull).padEnd(38)}`
      + `${fmtRate(wasm.best)}${fmtRate(webcrypto.best)}${fmtRate(webcryptoFull.best)}`);
  }
}

async function main() {
  const { options, ...values } = benchArgs();

  const manifest = JSON.parse(await readFile(`${root}dist/manifest.json`, 'utf8'));
  const cases = fixtures();
  const report = {
    wasm: { sha256: manifest.wasm.sha256, flags: manifest.compile_flags, openssl: manifest.openssl?.version },
    options,
    runtimes: [],
  };
  if (!values.json) {
    console.log('JWS verification: wasm core (verifyJws) vs WebCrypto in the same process; ratios > 1: wasm is faster.');
    console.log(`dist wasm sha256 ${manifest.wasm.sha256.slice(0, 16)}…, compiled ${manifest.compile_flags.join(' ')}, OpenSSL ${report.wasm.openssl}`);
    console.log(`${options.rounds} rounds of ${options.ms} ms per verifier, taking turns in ${options.slices} slices a round.`);
    console.log('Ratio of the best rounds  [median of the per-round ratios; their range]');
  }
  if (values.runtime !== 'chromium') {
    const results = await inNode(cases, options);
    report.runtimes.push({ runtime: `node ${process.version}`, results });
    if (!values.json) print(`Node ${process.version} (WebCrypto: node:crypto webcrypto)`, results);
  }
  if (values.runtime !== 'node') {
    try {
      const { version, results } = await inChromium(cases, options);
      report.runtimes.push({ runtime: `chromium ${version}`, results });
      if (!values.json) print(`Chromium ${version} (page on 127.0.0.1, main thread)`, results);
    } catch (e) {
      if (values.runtime === 'chromium') throw e;
      report.runtimes.push({ runtime: 'chromium', skipped: String(e.message) });
      if (!values.json) console.log(`\nChromium: skipped (${e.message.split('\n')[0]})`);
    }
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
}

main().catch((e) => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
