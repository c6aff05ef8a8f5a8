// A bench page in Chromium: serves dist/, bench/ and web/ from 127.0.0.1 with `html` at /, opens it in
// Debian's Chromium (playwright-core, or $CHROMIUM), waits for window.benchReady, and returns what
// window.bench(arg) resolves to, with the browser's version. Used by verify.mjs, pkce.mjs and
// dpop.mjs. `arg` may be an async function of the page that returns the argument: a step the
// page needs first (dpop.mjs logs the page's client in).
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function runInChromium(html, arg) {
  const [{ startStaticServer }, { launchBrowser }] = await Promise.all([
    import('../scripts/dev-servers/static-server.mjs'), import('../scripts/dev-servers/chromium.mjs'),
  ]);
  const server = await startStaticServer({
    mounts: { '/dist/': `${root}dist/`, '/bench/': `${root}bench/`, '/web/': `${root}web/` },
    routes: { '/': (req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html) },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForFunction(() => window.benchReady === true, null, { timeout: 10000 }).catch(() => {
      throw new Error(`the bench page did not load: ${errors.join('; ')}`);
    });
    const version = browser.context.browser()?.version() ?? await page.evaluate(() => navigator.userAgent);
    const value = typeof arg === 'function' ? await arg(page) : arg;
    return { version, result: await page.evaluate((a) => window.bench(a), value) };
  } finally {
    await browser.close();
    await server.close();
  }
}

// The command line of the benches that compare in one process (verify.mjs, pkce.mjs, dpop.mjs):
// [--rounds 7] [--ms 1000] [--slices 10] [--runtime all|node|chromium] [--json].
export function benchArgs() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '7' },
      ms: { type: 'string', default: '1000' },
      slices: { type: 'string', default: '10' },
      runtime: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
    },
  });
  const options = { rounds: Number(values.rounds), ms: Number(values.ms), slices: Number(values.slices) };
  if (!(options.rounds >= 1 && options.slices >= 1 && options.ms / options.slices >= 10)) {
    throw new Error('--rounds and --slices must be >= 1, and --ms / --slices >= 10');
  }
  if (!['all', 'node', 'chromium'].includes(values.runtime)) throw new Error('--runtime is all, node or chromium');
  return { options, runtime: values.runtime, json: values.json };
}
