#!/usr/bin/env node
// PKCE pair speed of the wasm core against WebCrypto, as ratios measured in the same process: in
// Node, and in Chromium on a page served from 127.0.0.1 (playwright-core + /usr/bin/chromium, or
// $CHROMIUM). See bench/pkce-lib.mjs and bench/README.md.
//
//   node bench/pkce.mjs [--rounds 7] [--ms 1000] [--slices 10] [--runtime all|node|chromium]
import { benchArgs, runInChromium } from './bench-page.mjs';
import { runPkce } from './pkce-lib.mjs';

const { options, ...values } = benchArgs();

const PAGE = `<!doctype html><meta charset="utf-8"><title>oauth-wasm PKCE bench</title>
<script type="module">
  import { loadIsolatedCore } from '/dist/index.mjs';
  import { runPkce } from '/bench/pkce-lib.mjs';
  window.bench = async (o) => runPkce(await loadIsolatedCore(), o);
  window.benchReady = true;
</script>`;

async function inNode() {
  const { loadIsolatedCore } = await import('../dist/node.mjs');
  return { version: `Node ${process.versions.node}`, result: await runPkce(await loadIsolatedCore(), options) };
}

async function inChromium() {
  const { version, result } = await runInChromium(PAGE, options);
  return { version: `Chromium ${version}`, result };
}

const f = (r) => (r >= 10 ? r.toFixed(1) : r.toFixed(2));
console.log('PKCE pair (verifier + S256 challenge): wasm core (generatePkce) vs WebCrypto (getRandomValues + digest) in the same process');
console.log(`${'runtime'.padEnd(26)}${'wasm ÷ WebCrypto  [median; range]'.padEnd(36)}best pairs/s: wasm, WebCrypto`);
for (const [name, fn] of [['node', inNode], ['chromium', inChromium]]) {
  if (values.runtime !== 'all' && values.runtime !== name) continue;
  const { version, result: { ratio, perSec } } = await fn();
  console.log(`${version.padEnd(26)}${`${f(ratio.best)}  [${f(ratio.median)}; ${f(ratio.range[0])}–${f(ratio.range[1])}]`.padEnd(36)}` +
    `${Math.round(perSec.wasm.best)}, ${Math.round(perSec.webcrypto.best)}`);
}
