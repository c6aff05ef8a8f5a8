// The backend mode's promise, checked in a browser: no token the backend got is anywhere the page
// or the browser keeps. Shared by the Chromium tests of the backend mode (oidc-provider, Glewlwyd).
//
//   const tokens = new Set(); // filled by a fetch that records the token endpoint's answers
//   await assertNoTokenVisible({ page, context, tokens, requests });
import assert from 'node:assert/strict';

// A fetch for createBackend that puts every token the token endpoint answers into `tokens`
// (the backend never hands them on; the test looks for them).
export function recordingTokens(tokens) {
  return async (input, init) => {
    const res = await fetch(input, init);
    const body = init?.method === 'POST' ? await res.clone().json().catch(() => ({})) : {};
    for (const name of ['access_token', 'refresh_token', 'id_token']) if (typeof body?.[name] === 'string') tokens.add(body[name]);
    return res;
  };
}

// Everything the page can read, as one string: cookies, every storage area (web storage, IndexedDB's
// records, Cache Storage's requests and answers), the URL, the DOM, the resource timing URLs, and the
// string values reachable from its globals (a few levels deep).
export async function pageVisible() {
  const seen = new Set();
  const strings = [];
  const walk = (value, depth) => {
    if (typeof value === 'string') return strings.push(value);
    if (value === null || (typeof value !== 'object' && typeof value !== 'function') || depth > 3 || seen.has(value)) return;
    if (value instanceof Node) return; // the DOM is read as HTML below
    if (value instanceof Promise) return void value.catch(() => {}); // a prototype's getter read out of context
    seen.add(value);
    let names = [];
    try { names = Object.getOwnPropertyNames(value); } catch { return; }
    for (const name of names) {
      let v;
      try { v = value[name]; } catch { continue; }
      walk(v, depth + 1);
    }
  };
  walk(globalThis, 0);
  const storage = (s) => JSON.stringify(Object.entries(s));
  const stored = [];
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => Object.assign(indexedDB.open(name), { onsuccess: (e) => resolve(e.target.result), onerror: reject }));
    for (const store of db.objectStoreNames) {
      const all = db.transaction(store).objectStore(store).getAll();
      stored.push(JSON.stringify(await new Promise((resolve, reject) => Object.assign(all, { onsuccess: () => resolve(all.result), onerror: reject }))));
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) stored.push(request.url, await (await cache.match(request)).text());
  }
  return [document.cookie, storage(localStorage), storage(sessionStorage), ...stored, location.href, document.documentElement.outerHTML,
    ...performance.getEntries().map((e) => e.name), ...strings].join('\n');
}

// No token of `tokens` in what the page sees, in the browser's cookie jar or in a URL the browser
// requested (`requests`); nothing JWT-shaped in the page either.
export async function assertNoTokenVisible({ page, context, tokens, requests }) {
  const visible = await page.evaluate(pageVisible);
  const cookies = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('\n');
  for (const token of tokens) {
    assert.ok(!visible.includes(token), 'a token is visible to the page');
    assert.ok(!cookies.includes(token), 'a token is in the cookie jar');
    assert.ok(!requests.some((u) => u.includes(token)), 'a token went into a URL');
  }
  assert.doesNotMatch(visible, /eyJ[\w-]+\.eyJ[\w-]+\./, 'nothing JWT-shaped in the page');
  assert.ok(visible.length > 10000, 'the walk saw the page');
}
