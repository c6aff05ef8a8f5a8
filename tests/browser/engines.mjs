// One way to drive three browser engines from the tests, all from Debian packages (nothing is
// downloaded): Chromium through playwright-core (chromium.mjs), Firefox ESR through puppeteer-core
// over WebDriver BiDi, and WebKitGTK's MiniBrowser through WebKitWebDriver (classic WebDriver,
// selenium-webdriver) under Xvfb. Each driver offers the few operations the tests use:
//
//   await withEngine('firefox', async (browser) => {   // a fresh context; fails on problems
//     const page = await browser.newPage();            // goto reload url click fill evaluate text
//     const popup = await page.popupFrom('#login-popup'); // popup.closed, popup.isClosed()
//     await page.waitForSelector('body[data-ready]');  // waits poll through evaluate
//   });
//   after(closeEngines);                               // one browser process per engine and file
//
// The test SPA's pages load /watch.mjs, which reports CSP violations and uncaught errors on the
// console and in window.__problems (read by the WebKit driver, which has no console access).
// Waits poll the page through evaluate, so they behave the same in every engine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../scripts/dev-servers/chromium.mjs';

export const ENGINES = ['chromium', 'firefox', 'webkit'];

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
const MINIBROWSER = process.env.MINIBROWSER ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const PROBLEMS = /Content[- ]Security[- ]Policy|Uncaught|Refused to/i;
// Firefox fetches /favicon.ico for every page on its own and reports the CSP refusal as a page
// error; no script asked for it.
const BROWSERS_OWN = /favicon\.ico/;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// What every driver's page shares: waits built on evaluate (retried across navigations).
class Page {
  // Until fn(arg) in the page is truthy (its value), or 'gone' when orGone and the page closed.
  async poll(fn, arg, { timeout = 20000, what = 'a condition', orGone = false } = {}) {
    const deadline = Date.now() + timeout;
    let last;
    for (;;) {
      if (orGone && this.isClosed()) return 'gone';
      try {
        const value = await this.evaluate(fn, arg);
        if (value) return value;
      } catch (e) {
        last = e; // a navigation destroyed the context: try again in the next document
      }
      if (Date.now() > deadline) throw new Error(`${this.engine}: timed out after ${timeout} ms waiting for ${what}${last ? ` (${last.message})` : ''}`);
      await sleep(100);
    }
  }

  waitForSelector(selector, options) {
    return this.poll((s) => Boolean(document.querySelector(s)), selector, { what: selector, ...options });
  }

  waitForFunction(fn, arg, options) {
    return this.poll(fn, arg, { what: String(fn), ...options });
  }

  async waitForURL(test, { timeout = 20000 } = {}) {
    const ok = typeof test === 'string' ? (u) => u.startsWith(test) : test;
    const deadline = Date.now() + timeout;
    for (;;) {
      const url = await this.url().catch(() => '');
      if (ok(url)) return url;
      if (Date.now() > deadline) throw new Error(`${this.engine}: timed out waiting for a URL (${test}), at ${url}`);
      await sleep(100);
    }
  }

  text(selector) {
    return this.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
  }
}

// --- Chromium: playwright-core -------------------------------------------------------------
class PlaywrightPage extends Page {
  constructor(page, browser) {
    super();
    Object.assign(this, { page, engine: 'chromium' });
    this.closed = new Promise((resolve) => page.once('close', resolve));
    page.on('pageerror', (e) => browser.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => PROBLEMS.test(m.text()) && browser.problems.push(`console: ${m.text()}`));
    this.browser = browser;
  }

  goto(url) { return this.page.goto(url); }
  reload() { return this.page.reload(); }
  async url() { return this.page.url(); }
  isClosed() { return this.page.isClosed(); }
  click(selector) { return this.page.click(selector); }
  fill(selector, value) { return this.page.fill(selector, value); }
  evaluate(fn, arg) { return this.page.evaluate(fn, arg); }
  close() { return this.page.close(); }
  async popupFrom(selector) {
    const [popup] = await Promise.all([this.page.context().waitForEvent('page'), this.page.click(selector)]);
    return new PlaywrightPage(popup, this.browser);
  }
}

const chromium = {
  async start() {
    const { chromium: playwright } = await import('playwright-core');
    return playwright.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  },
  // A fresh context: no cookies, storage or workers of another session.
  async session(launched) {
    const context = await launched.newContext();
    const browser = {
      engine: 'chromium',
      version: launched.version(),
      problems: [],
      async newPage() { return new PlaywrightPage(await context.newPage(), browser); },
      close: () => context.close(),
    };
    return browser;
  },
  stop: (launched) => launched.close(),
};

// --- Firefox: puppeteer-core over WebDriver BiDi ----------------------------------------------
class PuppeteerPage extends Page {
  constructor(page, browser) {
    super();
    Object.assign(this, { page, browser, engine: 'firefox' });
    this.closed = new Promise((resolve) => page.once('close', resolve));
    page.on('pageerror', (e) => browser.problems.push(`page error: ${e.message}`));
    page.on('console', (m) => PROBLEMS.test(m.text()) && browser.problems.push(`console: ${m.text()}`));
  }

  goto(url) { return this.page.goto(url); }
  reload() { return this.page.reload(); }
  async url() { return this.page.url(); }
  isClosed() { return this.page.isClosed(); }
  click(selector) { return this.page.click(selector); }
  async fill(selector, value) {
    await this.page.evaluate((s) => { document.querySelector(s).value = ''; }, selector);
    await this.page.type(selector, value);
  }
  evaluate(fn, arg) { return this.page.evaluate(fn, arg); }
  close() { return this.page.close(); }
  async popupFrom(selector) {
    const [popup] = await Promise.all([new Promise((resolve) => this.page.once('popup', resolve)), this.page.click(selector)]);
    return new PuppeteerPage(popup, this.browser);
  }
}

const firefox = {
  async start() {
    const { default: puppeteer } = await import('puppeteer-core');
    return puppeteer.launch({
      browser: 'firefox', executablePath: FIREFOX, headless: true,
      // No update checks, telemetry or other traffic of its own.
      extraPrefsFirefox: { 'app.update.enabled': false, 'network.captive-portal-service.enabled': false },
    });
  },
  // A fresh user context (BiDi): its own cookies, storage and workers.
  async session(launched) {
    const context = await launched.createBrowserContext();
    const browser = {
      engine: 'firefox',
      version: (await launched.version()).replace(/^firefox\//, ''),
      problems: [],
      async newPage() { return new PuppeteerPage(await context.newPage(), browser); },
      close: () => context.close(),
    };
    return browser;
  },
  stop: (launched) => launched.close(),
};

// --- WebKit: WebKitWebDriver + MiniBrowser under Xvfb, selenium-webdriver ---------------------
// WebDriver talks to one window at a time: a page switches to its own window before each command.
class WebDriverPage extends Page {
  constructor(driver, handle, browser) {
    super();
    Object.assign(this, { driver, handle, browser, engine: 'webkit', gone: false });
  }

  async use() {
    if (this.gone) throw new Error('webkit: the window is closed');
    if (this.browser.current !== this.handle) {
      const handles = await this.driver.getAllWindowHandles();
      if (!handles.includes(this.handle)) {
        this.gone = true;
        throw new Error('webkit: the window is closed');
      }
      await this.driver.switchTo().window(this.handle);
      this.browser.current = this.handle;
    }
  }

  isClosed() { return this.gone; }

  // Resolves when this window is gone (the popup closed itself or was closed).
  get closed() {
    this.untilGone ??= (async () => {
      while (!this.gone && !this.browser.ended) {
        const handles = await this.browser.lock(() => this.driver.getAllWindowHandles()).catch(() => []);
        if (!handles.includes(this.handle)) this.gone = true;
        else await sleep(200);
      }
    })();
    return this.untilGone;
  }

  run(fn) {
    return this.browser.lock(async () => {
      await this.use();
      try {
        return await fn();
      } catch (e) {
        if (e.name === 'NoSuchWindowError') {
          this.gone = true;
          this.browser.current = null;
        }
        throw e;
      }
    });
  }
  goto(url) { return this.run(() => this.driver.get(url)); }
  reload() { return this.run(() => this.driver.navigate().refresh()); }
  url() { return this.run(() => this.driver.getCurrentUrl()); }
  async click(selector) {
    const { By } = await import('selenium-webdriver');
    return this.run(async () => (await this.driver.findElement(By.css(selector))).click());
  }
  async fill(selector, value) {
    const { By } = await import('selenium-webdriver');
    return this.run(async () => {
      const input = await this.driver.findElement(By.css(selector));
      await input.clear();
      await input.sendKeys(value);
    });
  }

  // fn runs in the page (awaited there); the page's reported problems come back with its result.
  async evaluate(fn, arg) {
    const script = `const done = arguments[arguments.length - 1];
      const drain = () => (window.__problems ?? []).splice(0);
      Promise.resolve().then(() => (${fn})(arguments[0])).then(
        (value) => done({ value: value === undefined ? null : value, problems: drain() }),
        (e) => done({ thrown: String(e && e.stack || e), problems: drain() }));`;
    const out = await this.run(() => this.driver.executeAsyncScript(script, arg ?? null));
    this.browser.problems.push(...(out?.problems ?? []));
    if (out?.thrown) throw new Error(`webkit: ${out.thrown}`);
    return out?.value ?? undefined;
  }

  async close() {
    await this.run(() => this.driver.close());
    this.gone = true;
    this.browser.current = null;
  }

  // The popup is a window the page opened: found among the handles after the click.
  async popupFrom(selector) {
    const before = await this.run(() => this.driver.getAllWindowHandles());
    await this.click(selector);
    for (let i = 0; i < 100; i++) {
      const handles = await this.browser.lock(() => this.driver.getAllWindowHandles());
      const opened = handles.find((h) => !before.includes(h));
      if (opened) return new WebDriverPage(this.driver, opened, this.browser);
      await sleep(100);
    }
    throw new Error('webkit: no popup opened');
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// A virtual display for MiniBrowser (it has no headless mode); -displayfd picks a free number.
async function startXvfb() {
  const xvfb = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
  const [data] = await Promise.race([once(xvfb.stdio[3], 'data'), once(xvfb, 'exit').then(() => { throw new Error('Xvfb exited'); })]);
  return { display: `:${String(data).trim()}`, stop: () => xvfb.kill() };
}

async function untilListening(port, child) {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`WebKitWebDriver exited (${child.exitCode})`);
    try {
      await fetch(`http://127.0.0.1:${port}/status`);
      return;
    } catch { await sleep(100); }
  }
  throw new Error('WebKitWebDriver did not start');
}

const webkit = {
  // One Xvfb and one WebKitWebDriver per process; each session launches its own MiniBrowser.
  async start() {
    const x = await startXvfb();
    const port = await freePort();
    const server = spawn('WebKitWebDriver', [`--port=${port}`, '--host=127.0.0.1'], {
      env: { ...process.env, DISPLAY: x.display }, stdio: 'ignore',
    });
    const stop = () => { server.kill(); x.stop(); };
    process.once('exit', stop);
    try {
      await untilListening(port, server);
    } catch (e) {
      stop();
      throw e;
    }
    return { url: `http://127.0.0.1:${port}`, stop };
  },
  async session(host) {
    const { Builder } = await import('selenium-webdriver');
    const driver = await new Builder().usingServer(host.url).withCapabilities({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation'] },
    }).build();
    await driver.manage().setTimeouts({ script: 30000, pageLoad: 30000 });
    // One command at a time: a command goes to the window last switched to.
    let queue = Promise.resolve();
    const first = await driver.getWindowHandle();
    let firstUsed = false;
    const browser = {
      engine: 'webkit',
      version: (await driver.getCapabilities()).get('browserVersion'),
      problems: [],
      current: first,
      ended: false,
      lock(fn) {
        const run = queue.then(fn);
        queue = run.catch(() => {});
        return run;
      },
      // The session's first window serves the first page; later pages are new tabs (after which
      // WebKit blocks window.open: a popup test uses one window).
      async newPage() {
        if (!firstUsed) {
          firstUsed = true;
          return new WebDriverPage(driver, first, browser);
        }
        const handle = await browser.lock(async () => {
          await driver.switchTo().newWindow('tab');
          browser.current = await driver.getWindowHandle();
          return browser.current;
        });
        return new WebDriverPage(driver, handle, browser);
      },
      async close() {
        browser.ended = true;
        await driver.quit().catch(() => {});
      },
    };
    return browser;
  },
  stop: (host) => host.stop(),
};

const DRIVERS = { chromium, firefox, webkit };

const running = new Map(); // engine → Promise of what its driver started (once per process)

// A fresh session of `engine` (its own cookies, storage, workers): { engine, version, problems,
// newPage(), close() }. The browser process behind it is started once per process.
export async function launchEngine(engine) {
  const driver = DRIVERS[engine];
  if (!driver) throw new Error(`unknown engine ${engine}: one of ${ENGINES}`);
  if (!running.has(engine)) running.set(engine, driver.start());
  return driver.session(await running.get(engine));
}

// Ends the browser processes this process started (call it in an `after` hook).
export async function closeEngines() {
  for (const [engine, started] of running) {
    running.delete(engine);
    await Promise.resolve(started).then((host) => DRIVERS[engine].stop(host)).catch(() => {});
  }
}

/**
 * Runs fn(browser) in a fresh `engine` and fails, naming the engine, when fn fails or when a page
 * threw or reported a problem (a script error, a CSP violation, or a line matching alsoProblem).
 */
export async function withEngine(engine, fn, { alsoProblem = null } = {}) {
  const browser = await launchEngine(engine);
  try {
    await fn(browser);
    const problems = browser.problems.filter((p) => (PROBLEMS.test(p) || alsoProblem?.test(p) || /^page error/.test(p)) && !BROWSERS_OWN.test(p));
    assert.deepEqual(problems, [], `${engine}: no script errors, CSP violations or other problems`);
  } catch (e) {
    if (!String(e.message).startsWith(engine)) e.message = `${engine} ${browser.version}: ${e.message}`;
    throw e;
  } finally {
    await browser.close();
  }
}

// The engines a run covers: ENGINES=firefox,webkit narrows it; default all three.
export function selectedEngines() {
  const wanted = process.env.ENGINES?.split(',').map((s) => s.trim()).filter(Boolean);
  return wanted?.length ? ENGINES.filter((e) => wanted.includes(e)) : ENGINES;
}
