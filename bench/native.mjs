#!/usr/bin/env node
// Our core's crypto compiled natively (src/crypto with the OpenSSL files the wasm build compiles
// in) against the system libcrypto, as ratios: PKCE S256, ES256 and RS256 verification, ES256
// signing. Two binaries (cmake/native.cmake: bench_native_ours, bench_native_system; the same
// symbols, so not one process) on the same fixtures made here with node:crypto; each checks that
// every operation does its job before timing. Their runs alternate (ours first in even rounds,
// the system's in odd ones), and each round's ratio pairs the two runs next to each other.
// With valgrind, instructions per operation under callgrind too: a count that does not depend on
// the machine's load. See bench/README.md. scripts/bench-native.sh builds the binaries and runs this.
//
//   node bench/native.mjs [--build build/native] [--rounds 7] [--ms 1000] [--callgrind auto|yes|no] [--json]
import { generateKeyPairSync, createHash, randomBytes, sign } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { perSec, ratioSummary } from './verify-lib.mjs';

const OPS = ['pkce_s256', 'es256_verify', 'rs256_verify', 'es256_sign'];
// Calls per operation under callgrind (the difference to a run of 0 calls, divided by this).
const CALLGRIND_COUNT = { pkce_s256: 2000, es256_verify: 100, rs256_verify: 200, es256_sign: 100 };

const { values } = parseArgs({
  options: {
    build: { type: 'string', default: 'build/native' },
    rounds: { type: 'string', default: '7' },
    ms: { type: 'string', default: '1000' },
    callgrind: { type: 'string', default: 'auto' },
    json: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!(rounds >= 1 && Number(values.ms) >= 10)) throw new Error('--rounds must be >= 1 and --ms >= 10');
if (!['auto', 'yes', 'no'].includes(values.callgrind)) throw new Error('--callgrind is auto, yes or no');
const binaries = { ours: join(values.build, 'bench_native_ours'), system: join(values.build, 'bench_native_system') };

// A realistic ID token's signing input, signed by fresh RS256 (2048) and ES256 keys; a PKCE
// verifier from 48 random bytes and its S256 challenge.
function fixtures() {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const b64u = (x) => Buffer.from(x).toString('base64url');
  const iat = Math.floor(Date.now() / 1000);
  const message = Buffer.from(`${b64u(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: 'k1' }))}.${b64u(JSON.stringify({
    iss: 'https://issuer.example.test', sub: 'user-1234567890', aud: 'spa', exp: iat + 3600, iat, auth_time: iat - 5,
    nonce: randomBytes(32).toString('base64url'), sid: randomBytes(16).toString('hex'), name: 'Demo User', email: 'demo@example.test',
  }))}`);
  const verifier = randomBytes(48).toString('base64url');
  const { n, e } = rsa.publicKey.export({ format: 'jwk' });
  const { x, y } = ec.publicKey.export({ format: 'jwk' });
  const fromB64u = (s) => Buffer.from(s, 'base64url');
  return {
    verifier: Buffer.from(verifier),
    challenge: Buffer.from(createHash('sha256').update(verifier).digest('base64url')),
    message,
    rsa_n: fromB64u(n),
    rsa_e: fromB64u(e),
    rs256: sign('sha256', message, rsa.privateKey),
    ec_x: fromB64u(x),
    ec_y: fromB64u(y),
    es256: sign('sha256', message, { key: ec.privateKey, dsaEncoding: 'ieee-p1363' }),
  };
}

function timedRun(which, file) {
  const out = execFileSync(binaries[which], [file, '--ms', values.ms], { encoding: 'utf8' });
  return JSON.parse(out.trim());
}

// Instructions (callgrind's Ir) of a run of `count` calls of `op`; null without valgrind.
function instructions(which, file, op, count) {
  const r = spawnSync('valgrind', ['--tool=callgrind', '--callgrind-out-file=/dev/null', binaries[which], file, '--count', String(count), '--op', op],
    { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    if (values.callgrind === 'auto' && r.error?.code === 'ENOENT') return null;
    throw new Error(`valgrind ${which} ${op}: ${r.error?.message ?? r.stderr.split('\n').slice(-5).join('\n')}`);
  }
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) throw new Error('callgrind printed no instruction count');
  return Number(m[1]);
}

function callgrind(file) {
  if (values.callgrind === 'no') return null;
  const perOp = {};
  for (const which of ['ours', 'system']) {
    const base = instructions(which, file, OPS[0], 0);
    if (base === null) return null;
    for (const op of OPS) {
      perOp[op] ??= {};
      perOp[op][which] = (instructions(which, file, op, CALLGRIND_COUNT[op]) - base) / CALLGRIND_COUNT[op];
    }
  }
  return perOp;
}

const dir = mkdtempSync(join(tmpdir(), 'oauth-wasm-bench-native-'));
try {
  const file = join(dir, 'fixtures.txt');
  writeFileSync(file, Object.entries(fixtures()).map(([k, v]) => `${k} ${v.toString('hex')}`).join('\n') + '\n');

  const runs = { ours: [], system: [] };
  for (let r = 0; r < rounds; r++) {
    for (const which of r % 2 ? ['system', 'ours'] : ['ours', 'system']) runs[which].push(timedRun(which, file));
  }
  const results = OPS.map((op) => {
    const ours = runs.ours.map((x) => x[op]);
    const system = runs.system.map((x) => x[op]);
    return { op, perSec: { ours: perSec(ours), system: perSec(system) }, ratio: ratioSummary(ours, system) };
  });
  const irs = callgrind(file);
  for (const r of results) if (irs) r.instructions = { ...irs[r.op], ratio: irs[r.op].system / irs[r.op].ours };

  const report = { openssl: { ours: runs.ours[0].openssl, system: runs.system[0].openssl }, rounds, ms: Number(values.ms), results };
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
  } else {
    const f = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));
    const n = (x) => Math.round(x).toLocaleString('en-US');
    console.log('Native crypto: our core (src/crypto + compiled-in OpenSSL files) vs the system libcrypto; ratios > 1: ours is faster.');
    console.log(`ours: ${report.openssl.ours} sources; system: ${report.openssl.system}. ${rounds} rounds of ${values.ms} ms per operation, the two binaries alternating.`);
    console.log(`\n${'operation'.padEnd(14)}${'ours ÷ system ops/s, best [median; range]'.padEnd(44)}${'best ops/s: ours, system'.padEnd(28)}`
      + (irs ? 'instructions/op: ours, system (system ÷ ours)' : '(no instruction counts: --callgrind no, or no valgrind)'));
    for (const r of results) {
      console.log(`${r.op.padEnd(14)}${`${f(r.ratio.best)} [${f(r.ratio.median)}; ${f(r.ratio.range[0])}–${f(r.ratio.range[1])}]`.padEnd(44)}`
        + `${`${n(r.perSec.ours.best)}, ${n(r.perSec.system.best)}`.padEnd(28)}`
        + (r.instructions ? `${n(r.instructions.ours)}, ${n(r.instructions.system)} (${f(r.instructions.ratio)})` : ''));
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
