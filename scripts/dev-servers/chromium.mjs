// Debian's Chromium driven by playwright-core. launchBrowser: a fresh profile per launch (the
// benches' cold starts). Under the test runner, withBrowser gives each test a new context of one
// Chromium the test file shares: as fresh as a new profile (its own cookies, storage, workers and
// cache) without the cost of a launch (about 5 s of a loaded 2-core machine each).
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'oauth-wasm-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

let shared = null;
const underTestRunner = Boolean(process.env.NODE_TEST_CONTEXT) || /\.test\.mjs$/.test(process.argv[1] ?? '');
if (underTestRunner) {
  const { after } = await import('node:test');
  after(async () => { if (shared) await (await shared).close(); });
}

// A new context: in the test file's one Chromium under the test runner, else in a browser of its own.
export async function newContext() {
  if (!underTestRunner) return launchBrowser();
  shared ??= chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  const context = await (await shared).newContext();
  return { context, close: () => context.close() };
}

// Console lines that fail a test: script errors and CSP refusals, plus what a suite adds.
const PROBLEMS = /Content Security Policy|Uncaught|Refused to/i;

/**
 * Runs fn(context) in a fresh browser context and fails when a page of it threw or logged a problem
 * (a script error, a CSP violation, or a line matching `alsoProblem`).
 */
export async function withBrowser(fn, { alsoProblem = null } = {}) {
  const browser = await newContext();
  const problems = [];
  browser.context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
  browser.context.on('console', (m) => {
    if (PROBLEMS.test(m.text()) || alsoProblem?.test(m.text())) problems.push(`console: ${m.text()}`);
  });
  try {
    await fn(browser.context);
    assert.deepEqual(problems, [], 'no script errors, CSP violations or other problems in the console');
  } finally {
    await browser.close();
  }
}

// A new page at url, once the page says it is ready (body[data-ready]).
export async function openReady(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForSelector('body[data-ready]');
  return page;
}
