// A bench page in Chromium: serves dist/ and bench/ from 127.0.0.1 with `html` at /, opens it in
// Debian's Chromium (playwright-core, or $CHROMIUM), waits for window.benchReady, and returns what
// window.bench(arg) resolves to, with the browser's version. Used by verify.mjs and pkce.mjs.
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export async function runInChromium(html, arg) {
  const [{ startStaticServer }, { launchBrowser }] = await Promise.all([
    import('../demo/static-server.mjs'), import('../tests/browser/chromium.mjs'),
  ]);
  const server = await startStaticServer({
    mounts: { '/dist/': `${root}dist/`, '/bench/': `${root}bench/` },
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
    return { version, result: await page.evaluate((a) => window.bench(a), arg) };
  } finally {
    await browser.close();
    await server.close();
  }
}
