// The measurement behind bench/verify.mjs, the same code in Node and in the browser page: JWS
// verifications per second by the wasm core (core.verifyJws) and by WebCrypto in the same realm,
// taking turns in short slices so that both see the same machine state. Only globals that Node 20
// and browsers share are used (crypto.subtle, performance, TextEncoder/TextDecoder, atob).

const subtle = globalThis.crypto.subtle;
const te = new TextEncoder();
const td = new TextDecoder();

// WebCrypto's names for each JWS alg (RFC 7518 §3.3, §3.4; RFC 8037 §3.1).
export const WEBCRYPTO = {
  RS256: { importAlg: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, verifyAlg: { name: 'RSASSA-PKCS1-v1_5' } },
  ES256: { importAlg: { name: 'ECDSA', namedCurve: 'P-256' }, verifyAlg: { name: 'ECDSA', hash: 'SHA-256' } },
  EdDSA: { importAlg: { name: 'Ed25519' }, verifyAlg: { name: 'Ed25519' } },
};

function base64urlDecode(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// One case: { alg, compact, jwks (JSON text), tampered (same token, one payload byte changed) }.
// Returns the three verifiers, after checking that each accepts the token and refuses the
// tampered one (so that nothing is timed that does not verify). Null when this WebCrypto lacks
// the algorithm.
export async function prepare(core, { alg, compact, jwks, tampered }) {
  const { importAlg, verifyAlg } = WEBCRYPTO[alg];
  const jwk = JSON.parse(jwks).keys[0];
  let key;
  try {
    key = await subtle.importKey('jwk', jwk, importAlg, false, ['verify']);
  } catch {
    return null;
  }
  const split = (c) => {
    const dot = c.lastIndexOf('.');
    return { input: te.encode(c.slice(0, dot)), signature: base64urlDecode(c.slice(dot + 1)) };
  };
  const good = split(compact);
  const bad = split(tampered);

  // The wasm core: everything verify_jws does per call, JWKS parsing included (the binding
  // parses it every time), from JS strings to the { ok } result.
  const wasm = (c = compact) => core.verifyJws(c, jwks);
  // WebCrypto, the signature check alone: key imported and bytes decoded beforehand.
  const webcrypto = (t = good) => subtle.verify(verifyAlg, key, t.signature, t.input);
  // WebCrypto doing the same work as the binding: parse the JWKS and the JWS, import the key, verify.
  const webcryptoFull = async (c = compact) => {
    const [h, p, s] = c.split('.');
    const header = JSON.parse(td.decode(base64urlDecode(h)));
    JSON.parse(td.decode(base64urlDecode(p)));
    const k = JSON.parse(jwks).keys.find((x) => x.kid === header.kid);
    const imported = await subtle.importKey('jwk', k, importAlg, false, ['verify']);
    return subtle.verify(verifyAlg, imported, base64urlDecode(s), te.encode(`${h}.${p}`));
  };

  const accepted = wasm();
  if (!accepted.ok || accepted.value !== alg) throw new Error(`${alg}: the core refused the token: ${JSON.stringify(accepted.error)}`);
  if (wasm(tampered).ok) throw new Error(`${alg}: the core accepted a tampered token`);
  if (!(await webcrypto()) || !(await webcryptoFull())) throw new Error(`${alg}: WebCrypto refused the token`);
  if ((await webcrypto(bad)) || (await webcryptoFull(tampered))) throw new Error(`${alg}: WebCrypto accepted a tampered token`);

  return {
    wasm: () => { if (!wasm().ok) throw new Error('verification failed'); },
    webcrypto: async () => { if (!(await webcrypto())) throw new Error('verification failed'); },
    webcryptoFull: async () => { if (!(await webcryptoFull())) throw new Error('verification failed'); },
  };
}

// Runs `fn` (sync or async, one call at a time) for at least `ms`: { n, elapsed }.
async function slice(fn, ms, isAsync) {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    if (isAsync) for (let i = 0; i < 4; i++) await fn();
    else for (let i = 0; i < 4; i++) fn();
    n += 4;
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return { n, elapsed };
}

// One round: the verifiers take turns in `slices` short slices (so that a busy machine slows
// them alike), `ms` in all for each. Returns each one's operations per second.
export async function round(verifiers, ms, slices) {
  const totals = verifiers.map(() => ({ n: 0, elapsed: 0 }));
  for (let s = 0; s < slices; s++) {
    for (const [i, [fn, isAsync]] of verifiers.entries()) {
      const { n, elapsed } = await slice(fn, ms / slices, isAsync);
      totals[i].n += n;
      totals[i].elapsed += elapsed;
    }
  }
  return totals.map(({ n, elapsed }) => (n * 1000) / elapsed);
}

// A warm-up round (wasm tier-up, JIT, key caches), then `rounds` rounds of the contestants taking
// turns: for each contestant, its rate in every round. (pkce-lib.mjs and dpop-lib.mjs too.)
export async function measure(contestants, { rounds = 7, ms = 1000, slices = 10, warmupMs = 500 } = {}) {
  await round(contestants, warmupMs, 2);
  const rates = contestants.map(() => []);
  for (let r = 0; r < rounds; r++) {
    (await round(contestants, ms, slices)).forEach((rate, i) => rates[i].push(rate));
  }
  return rates;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// One side's rates over the rounds: the best round (the least disturbed by other load) and the median.
export const perSec = (xs) => ({ best: Math.max(...xs), median: median(xs) });

// `rates` against `baseline`, round by round: the ratio of the best rates, and the median and
// range of the per-round ratios. (pkce-lib.mjs, dpop-lib.mjs and native.mjs too.)
export function ratioSummary(rates, baseline) {
  const ratios = rates.map((r, i) => r / baseline[i]);
  return { best: Math.max(...rates) / Math.max(...baseline), median: median(ratios), range: [Math.min(...ratios), Math.max(...ratios)] };
}

// Runs every case: a warm-up round (wasm tier-up, JIT, key caches), then `rounds` rounds of
// wasm / WebCrypto / WebCrypto-full interleaved. Reported per verifier: the best round's rate
// (the least disturbed by other load) and the median; the ratios wasm ÷ WebCrypto of the best
// rates, and the median and range of the per-round ratios.
export async function run(core, cases, options = {}) {
  const results = [];
  for (const c of cases) {
    const v = await prepare(core, c);
    if (!v) {
      results.push({ alg: c.alg, unsupported: true });
      continue;
    }
    const [wasm, webcrypto, webcryptoFull] = await measure([[v.wasm, false], [v.webcrypto, true], [v.webcryptoFull, true]], options);
    results.push({
      alg: c.alg,
      perSec: { wasm: perSec(wasm), webcrypto: perSec(webcrypto), webcryptoFull: perSec(webcryptoFull) },
      ratio: ratioSummary(wasm, webcrypto),
      ratioFull: ratioSummary(wasm, webcryptoFull),
    });
  }
  return results;
}
