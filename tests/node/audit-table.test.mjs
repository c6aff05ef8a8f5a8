// docs/AUDIT.md's table cannot rot: every `file#function` it names is a function defined in that
// file, every test it names is a test of that name in that file, and every hostile-server lie it
// names is a switch of the server with a test of its own. Needs no build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { LIES } from '../support/hostile-server.mjs';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const doc = read('docs/AUDIT.md');
// The rule table's section; the threat model's comparison tables have rows of another kind.
const rules = doc.slice(doc.indexOf('## Security rules'), doc.indexOf('## How to reproduce'));
const rows = rules.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| Rule') && !line.startsWith('|---'));
const cells = rows.map((line) => line.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, '')));

const CODE = /`([^`#]+)#([^`]+)`/g;
const TEST = /`(tests\/[^`]+)` "([^"]+)"/g;

test('the table has a row for every rule family the issue names, each with code and a test', () => {
  assert.ok(rows.length >= 30, `${rows.length} rows`);
  for (const family of ['State', 'Nonce', 'PKCE', 'iss', 'Signature', 'Claims', 'Rotation', 'Wipe', 'Origin', 'Redirects', 'Size']) {
    assert.ok(cells.some(([rule]) => rule.startsWith(`${family}:`)), `a ${family} rule`);
  }
  for (const [rule, code, proof] of cells) {
    assert.ok([...code.matchAll(CODE)].length > 0, `${rule}: names the code that enforces it`);
    assert.ok([...proof.matchAll(TEST)].length > 0, `${rule}: names a test that proves it`);
  }
});

test('every file#function in the table is defined in that file', () => {
  let checked = 0;
  for (const [rule, code] of cells) {
    for (const [, file, fn] of code.matchAll(CODE)) {
      assert.ok(existsSync(new URL(file, root)), `${rule}: ${file} exists`);
      const source = read(file);
      // A definition: the name followed by its parameter list, then a body (C++) or as a JS
      // function, method or property.
      const cpp = new RegExp(`(^|[\\s*&:])${escape(fn)}\\s*\\([^;]*\\)\\s*(const\\s*)?(noexcept\\s*)?\\{`, 'm');
      const js = new RegExp(`(function\\s+${escape(fn)}\\s*\\(|^\\s*(async\\s+)?${escape(fn)}\\s*\\(.*\\)\\s*\\{)`, 'm');
      assert.ok((file.endsWith('.mjs') ? js : cpp).test(source), `${rule}: ${file} defines ${fn}`);
      checked += 1;
    }
  }
  assert.ok(checked >= rows.length);
});

test('every test in the table exists under that name in that file', () => {
  let checked = 0;
  for (const [rule, , proof] of cells) {
    for (const [, file, name] of proof.matchAll(TEST)) {
      assert.ok(existsSync(new URL(file, root)), `${rule}: ${file} exists`);
      const source = read(file);
      if (name.startsWith('lie ')) {
        const lie = name.slice(4);
        assert.equal(file, 'tests/node/hostile-server.test.mjs', `${rule}: lies are tested there`);
        assert.ok(LIES[lie], `${rule}: the hostile server has the lie ${lie}`);
        assert.match(source, new RegExp(`['\`]?${escape(lie)}['\`]?\\s*:|LIES\\['${escape(lie)}'\\]`), `${rule}: ${lie} has a test`);
      } else if (file.endsWith('.cpp')) {
        assert.ok(source.includes(`TEST_CASE("${name}"`), `${rule}: ${file} has TEST_CASE "${name}"`);
      } else {
        const literal = name.replaceAll("'", "\\'");
        assert.ok(source.includes(`test('${literal}'`) || source.includes(`test(\`${name}\``), `${rule}: ${file} has test "${name}"`);
      }
      checked += 1;
    }
  }
  assert.ok(checked >= rows.length);
});
