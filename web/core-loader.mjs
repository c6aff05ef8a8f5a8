// Loads and instantiates the wasm core once per realm (page or worker). The .wasm is found with
// new URL(..., import.meta.url) so bundlers (Vite, webpack 5, Rollup) ship it untouched.
// This is the browser's module, without the Node-only grants; web/node.mjs hands in its own
// module (oauth-wasm-core-node: the same core with them) through loadCoreWith.
// With `integrity` ("sha384-..." or "sha256-...", as in dist/manifest.json; the worker passes a
// list, every one checked) the bytes are hashed before compilation and a mismatch refuses to start.
import createCore from './oauth-wasm-core.mjs';
import { wrapCore } from './core-abi.mjs';
import { OAuthError } from './errors.mjs';

// Vite's dev server moves this module into node_modules/.vite/deps (dependency pre-bundling), away
// from the .wasm; from there the package's own export is used, which Vite resolves.
const wasmFile = () => (import.meta.url.includes('/.vite/deps/')
  ? new URL('oauth-wasm/oauth-wasm-core.wasm', import.meta.url) : new URL('./oauth-wasm-core.wasm', import.meta.url));

let corePromise = null;
let coreBytes = null; // the bytes the realm's core was compiled from (null after a streaming compile)

export function loadCore(options = {}) {
  return loadCoreWith(createCore, options);
}

// A fresh, independent instance (tests, and Node programs that want two clients isolated).
export function loadIsolatedCore(options = {}) {
  return instantiate(createCore, options);
}

// The realm's one core, made by `createModule` (an Emscripten factory) the first time. A later
// call's `integrity` is checked against the bytes that core was made from: the core is not
// handed out under a hash it was never compared with (refused when a streaming compile kept no
// bytes: pass the integrity to the first load).
export function loadCoreWith(createModule, options = {}) {
  if (!corePromise) {
    corePromise = instantiate(createModule, options, (bytes) => { coreBytes = bytes; }).catch((e) => {
      corePromise = null;
      throw e instanceof OAuthError ? e : new OAuthError('wasm_load_failed', String(e?.message ?? e));
    });
    return corePromise;
  }
  if (!options.integrity) return corePromise;
  return corePromise.then(async (core) => {
    if (!coreBytes) throw new OAuthError('wasm_integrity_mismatch', 'the wasm core was loaded before without an integrity to check');
    await checkIntegrity(coreBytes, options.integrity);
    return core;
  });
}

// `keep(bytes)` receives a copy of the bytes compiled, or null when they were streamed.
export async function instantiate(createModule, { wasmUrl, wasmBytes, integrity } = {}, keep = () => {}) {
  const module = await compile(wasmUrl ?? wasmFile(), wasmBytes, integrity, keep);
  return wrapCore(await createModule({
    instantiateWasm(imports, receive) {
      WebAssembly.instantiate(module, imports).then((instance) => receive(instance, module));
      return {};
    },
  }));
}

async function compile(url, bytes, integrity, keep) {
  const source = bytes ? 'the wasm core (bytes)' : `the wasm core at ${url}`;
  if (!bytes) {
    let response;
    try {
      response = await fetch(url, { credentials: 'same-origin' });
    } catch (e) {
      // Node's fetch has no file: URLs: this is the browser entry, loaded where its module is a file.
      if (String(url).startsWith('file:')) {
        throw new OAuthError('wasm_load_failed', 'the browser entry cannot fetch its wasm core from a file: URL; in Node, import \'oauth-wasm/node\'');
      }
      throw new OAuthError('wasm_load_failed', `fetching ${source} failed: check the URL, and that the ` +
        'Content-Security-Policy allows it (connect-src)', { cause: e });
    }
    if (!response.ok) {
      throw new OAuthError('wasm_load_failed', `fetching ${source} gave HTTP ${response.status}: check the URL, ` +
        'and that the bundler ships the package\'s oauth-wasm-core.wasm');
    }
    const streamable = response.headers.get('content-type')?.startsWith('application/wasm');
    if (!integrity && streamable && typeof WebAssembly.compileStreaming === 'function') {
      keep(null);
      return compiled(source, WebAssembly.compileStreaming(response));
    }
    if (streamable && typeof WebAssembly.compileStreaming === 'function') {
      // Compiled while it downloads, hashed alongside: nothing of it runs unless the hash matches.
      const [module, copy] = await Promise.all([
        compiled(source, WebAssembly.compileStreaming(response.clone())),
        response.arrayBuffer().then(async (b) => { const c = new Uint8Array(b); await checkIntegrity(c, integrity); return c; }),
      ]);
      keep(copy);
      return module;
    }
    bytes = await response.arrayBuffer();
  }
  // A copy: the caller's buffer may be changed or transferred later.
  const copy = ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice() : new Uint8Array(bytes).slice();
  if (integrity) await checkIntegrity(copy, integrity);
  keep(copy);
  return compiled(source, WebAssembly.compile(copy));
}

async function compiled(source, compiling) {
  try {
    return await compiling;
  } catch (e) {
    throw new OAuthError('wasm_load_failed', `${source} does not compile: check that it is the package's ` +
      'oauth-wasm-core.wasm (not an HTML page served in its place) and that the Content-Security-Policy allows ' +
      '\'wasm-unsafe-eval\'', { cause: e });
  }
}

async function checkIntegrity(bytes, integrity) {
  for (const one of [integrity].flat()) await checkHash(bytes, one);
}

async function checkHash(bytes, integrity) {
  const [alg, expected] = String(integrity).split(/-(.*)/s);
  const name = { sha256: 'SHA-256', sha384: 'SHA-384', sha512: 'SHA-512' }[alg];
  if (!name) throw new OAuthError('invalid_argument', 'integrity must start with sha256-, sha384- or sha512-');
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest(name, bytes));
  let binary = '';
  for (const b of digest) binary += String.fromCharCode(b);
  if (btoa(binary) !== expected) {
    throw new OAuthError('wasm_integrity_mismatch', `the wasm core does not match the expected hash ${integrity}`);
  }
}
