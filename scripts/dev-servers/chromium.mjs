// Debian's Chromium driven by playwright-core, with a fresh profile per launch.
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

// Console lines that fail a test: script errors and CSP refusals, plus what a suite adds.
const PROBLEMS = /Content Security Policy|Uncaught|Refused to/i;

/**
 * Runs fn(context) in a fresh browser and fails when a page of it threw or logged a problem
 * (a script error, a CSP violation, or a line matching `alsoProblem`).
 */
export async function withBrowser(fn, { alsoProblem = null } = {}) {
  const browser = await launchBrowser();
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
