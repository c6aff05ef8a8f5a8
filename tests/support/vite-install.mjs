// A fresh Vite app with the packed package installed, as a developer gets one after
// `npm install oauth-wasm`: `npm pack` of the repo (its dist/), the app of tests/support/vite-app/
// copied into a temp folder outside the repo, the tarball installed there offline (the package has
// no dependencies), and `vite build` with no configuration. Used by tests/browser/vite-app.test.mjs
// and bench/vite-page.mjs.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'vite';

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), '../..');

// { work, appDir, remove() }: the temp folder (the tarball, the app, its npm cache) and the app.
export async function installViteApp() {
  const work = mkdtempSync(join(tmpdir(), 'oauth-wasm-vite-'));
  const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root });
  const tarball = join(work, JSON.parse(stdout)[0].filename);
  const appDir = join(work, 'app');
  cpSync(join(root, 'tests/support/vite-app'), appDir, { recursive: true });
  writeFileSync(join(appDir, 'package.json'), JSON.stringify({
    name: 'fresh-vite-app', private: true, type: 'module', dependencies: { 'oauth-wasm': `file:${tarball}` },
  }, null, 2));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--cache', join(work, 'npm-cache')], { cwd: appDir });
  return { work, appDir, remove: () => rmSync(work, { recursive: true, force: true }) };
}

// `vite build` into appDir/dist, no configuration; resolves to the page's entry chunk, as
// index.html names it (a path under dist/).
export async function buildViteApp(appDir) {
  await build({ root: appDir, configFile: false, logLevel: 'warn', build: { outDir: 'dist', emptyOutDir: true } });
  const html = readFileSync(join(appDir, 'dist/index.html'), 'utf8');
  return html.match(/<script type="module"[^>]*src="\/([^"]+)"/)[1];
}
