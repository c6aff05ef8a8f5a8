#!/usr/bin/env node
// Cold start of the core in Chromium: from a page with nothing loaded, import the shim's entry
// (index.mjs, as an app does) from 127.0.0.1, fetch + compile + instantiate the wasm, and make the first PKCE pair. Each run uses a
// new page (fresh module map) and the server sends no-store, so nothing is reused between runs.
// Two ways: streaming (application/wasm, no integrity: WebAssembly.compileStreaming) and with an
// integrity hash (the bytes are hashed before compiling, so no streaming). Median of --runs.
// With --baseline, another build's dist/ runs in the same browser, its runs interleaved with
// ours, and the ratio of the medians is printed (baseline ÷ ours: > 1, ours starts faster).
// createClient() to resolved, with the page's and the worker's parts: bench/create-client.mjs.
//
//   node bench/cold-start.mjs [--runs 20] [--dist DIR] [--baseline DIR]
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startStaticServer } from '../scripts/dev-servers/static-server.mjs';
import { launchBrowser } from '../scripts/dev-servers/chromium.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, dist: { type: 'string' }, baseline: { type: 'string' } } });
const folder = (dir) => `${dir.replace(/\/$/, '')}/`;
const dist = values.dist ? folder(values.dist) : `${root}dist/`;
const runs = Number(values.runs);
if (!(runs >= 1)) throw new Error('--runs must be >= 1');
const manifest = JSON.parse(await readFile(`${dist}manifest.json`, 'utf8'));
const baseline = values.baseline && JSON.parse(await readFile(`${folder(values.baseline)}manifest.json`, 'utf8'));

const server = await startStaticServer({
  mounts: { '/dist/': dist, ...(baseline && { '/baseline/': folder(values.baseline) }) },
  routes: {
    '/': (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>cold start</title>'),
  },
});
const browser = await launchBrowser();

async function once(integrity, mount = '/dist/') {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${server.url}/`);
    return await page.evaluate(async ([integrity, mount]) => {
      const t0 = performance.now();
      const { loadCore } = await import(`${mount}index.mjs`);
      const core = await loadCore(integrity ? { integrity } : {});
      const t1 = performance.now();
      const pair = core.generatePkce();
      const t2 = performance.now();
      if (!pair.ok || pair.value.verifier.length !== 64) throw new Error('no PKCE pair');
      return { load: t1 - t0, total: t2 - t0 };
    }, [integrity, mount]);
  } finally {
    await page.close();
  }
}

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x) => x.toFixed(1).padStart(7);
try {
  await once(null);  // the browser's own first-use costs, not the core's
  console.log(`Cold start in Chromium ${browser.context.browser()?.version() ?? ''} from 127.0.0.1, ${runs} runs each, ms`);
  console.log(`wasm ${manifest.wasm.bytes} bytes, sha256 ${manifest.wasm.sha256.slice(0, 16)}…`);
  console.log('total = import the shim, fetch + compile + instantiate the wasm, first PKCE pair; load = without the pair');
  console.log(`${'way'.padEnd(44)}${'median'.padStart(7)}${'min'.padStart(7)}${'max'.padStart(7)}  of total`);
  if (baseline) console.log(`baseline: wasm ${baseline.wasm.bytes} bytes, sha256 ${baseline.wasm.sha256.slice(0, 16)}…, runs interleaved with ours`);
  const row = (name, results) => {
    const totals = results.map((r) => r.total);
    console.log(`${name.padEnd(44)}${fmt(median(totals))}${fmt(Math.min(...totals))}${fmt(Math.max(...totals))}` +
      `  (load median ${median(results.map((r) => r.load)).toFixed(1)})`);
    return median(totals);
  };
  for (const [name, integrity, baseIntegrity] of [['streaming (application/wasm, no integrity)', null, null],
    ['integrity sha384 (hash, then compile)', manifest.wasm.integrity, baseline?.wasm.integrity]]) {
    const ours = [];
    const base = [];
    for (let i = 0; i < runs; i++) {
      ours.push(await once(integrity));
      if (baseline) base.push(await once(baseIntegrity, '/baseline/'));
    }
    const m = row(name, ours);
    if (!baseline) continue;
    const b = row('  the same, baseline', base);
    console.log(`  ratio of the medians, baseline ÷ ours: ${(b / m).toFixed(2)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
