// The documentation keeps up with the API: docs/API.md has a section with an example for every
// function each entry exports and every client method, names every option of the types, and the
// links of README.md and docs/API.md land on headings that exist. README keeps the two set-up
// commands. Needs dist/ (the runtime exports are read from the built entries).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { interfaceMembers } from '../support/declarations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const read = (path) => readFileSync(join(root, path), 'utf8');
const api = read('docs/API.md');
const readme = read('README.md');

// Heading text -> its section (up to the next heading of any level).
function sections(markdown) {
  const out = new Map();
  const parts = markdown.split(/^(#{1,4} .+)$/m);
  for (let i = 1; i < parts.length; i += 2) out.set(parts[i].replace(/^#+ /, ''), parts[i + 1]);
  return out;
}
const apiSections = sections(api);

// GitHub's anchor of a heading: lower case, punctuation dropped, spaces to hyphens.
const slug = (heading) => heading.toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');

function documented(name, prefix = '') {
  const heading = [...apiSections.keys()].find((h) => h.startsWith(`${prefix}${name}(`) || h === `${prefix}${name}`
    || h.includes(` ${name}(`));
  assert.ok(heading, `docs/API.md has a heading for ${prefix}${name}`);
  assert.match(apiSections.get(heading), /```(js|jsx|sh)\n[\s\S]*?\n```/, `${heading} has an example`);
  assert.match(apiSections.get(heading), new RegExp(`\\b${name}\\b`), `${heading}'s section uses ${name}`);
}

test('every function an entry exports has a section with an example', async () => {
  const pkg = JSON.parse(read('package.json'));
  let count = 0;
  for (const entry of ['.', './node', './popup-callback', './silent-callback', './backend']) {
    for (const [name, value] of Object.entries(await import(join(root, pkg.exports[entry].default)))) {
      if (typeof value !== 'function' || name === 'OAuthError') continue;
      documented(name);
      count++;
    }
  }
  assert.ok(count >= 9, `checked ${count} functions`);
  assert.match(apiSections.get('Errors'), /OAuthError/);
});

test('every client method, browser and Node, has a section with an example', () => {
  const methods = [...interfaceMembers('web/index.d.ts', 'Client'), ...interfaceMembers('web/node.d.ts', 'NodeClient')];
  assert.ok(methods.length >= 15, `found the methods (${methods})`);
  for (const method of new Set(methods)) documented(method, 'client.');
});

test('every option of the types is named in docs/API.md', () => {
  const options = [
    ...['ClientOptions', 'LoadOptions', 'LoginOptions', 'RedirectLoginOptions', 'RestoreOptions', 'PopupLoginOptions', 'LogoutOptions']
      .flatMap((i) => interfaceMembers('web/index.d.ts', i)),
    ...['NodeClientOptions', 'ClientCredentialsOptions', 'DeviceCodeOptions', 'DevicePrompt', 'BackendOptions', 'BackendStore']
      .flatMap((i) => interfaceMembers('web/node.d.ts', i)),
    ...['BackendClientOptions', 'BackendClient'].flatMap((i) => interfaceMembers('web/backend-client.d.ts', i)),
  ];
  assert.ok(options.length >= 30, `found the options (${options.length})`);
  const missing = [...new Set(options)].filter((o) => !api.includes(`\`${o}\``) && !new RegExp(`\\b${o}\\b`).test(api));
  assert.deepEqual(missing, []);
});

test('every event is documented with its detail', () => {
  const events = [...interfaceMembers('web/index.d.ts', 'ClientEvents'), ...interfaceMembers('web/node.d.ts', 'NodeClientEvents')];
  for (const event of events) assert.ok(api.includes(`\`${event}\``), `${event} is documented`);
});

test('the links of README.md and docs/API.md land on existing headings and files', () => {
  const anchors = { 'docs/API.md': new Set([...apiSections.keys()].map(slug)), 'README.md': new Set([...sections(readme).keys()].map(slug)) };
  const links = [
    ...[...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ['README.md', m[1]]),
    ...[...api.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => ['docs/API.md', m[1]]),
  ];
  assert.ok(links.length > 20);
  for (const [from, link] of links) {
    if (/^[a-z]+:/.test(link)) continue;
    const [path, anchor] = link.split('#');
    const target = path ? join(dirname(from), path).replace(/^\.\//, '') : from;
    assert.doesNotThrow(() => read(target), `${from} links to ${target}`);
    if (anchor) assert.ok(anchors[target]?.has(anchor), `${from} links to ${target}#${anchor}, which is no heading`);
  }
});

test('README keeps the two set-up commands, both quick starts and the manifest as the place of the wasm figures', () => {
  assert.match(readme, /```sh\nmake demo[^\n]*\nmake test[^\n]*\n```/);
  assert.match(readme, /from 'oauth-wasm';/);
  assert.match(readme, /from 'oauth-wasm\/node';/);
  assert.match(readme, /dist\/manifest\.json/);
  assert.match(readme, /wasm\.sha256/);
  const security = sections(readme).get('Security model');
  assert.equal(security.match(/^- /gm)?.length, 5, 'five bullets');
});

// Node's own parser judges (as vm.SourceTextModule, what node --check runs), after TypeScript has
// turned JSX into calls.
test('every JavaScript example in README.md and docs/API.md is a valid ES module', async () => {
  const { default: ts } = await import('typescript');
  const examples = [];
  for (const [file, text] of [['README.md', readme], ['docs/API.md', api]]) {
    for (const [, lang, code] of text.matchAll(/```(js|jsx)\n([\s\S]*?)\n```/g)) {
      const js = lang === 'jsx'
        ? ts.transpileModule(code, { compilerOptions: { jsx: ts.JsxEmit.React, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText
        : code;
      examples.push({ file, code, js });
    }
  }
  // One Node process parses them all as modules (parsed, never linked or run).
  const judge = `const vm = require('node:vm');
    const out = JSON.parse(require('node:fs').readFileSync(0, 'utf8')).map((js) => {
      try { new vm.SourceTextModule(js); return null; } catch (e) { return String(e); }
    });
    process.stdout.write(JSON.stringify(out));`;
  const check = spawnSync(process.execPath, ['--experimental-vm-modules', '--no-warnings', '-e', judge],
    { input: JSON.stringify(examples.map((e) => e.js)), encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
  JSON.parse(check.stdout).forEach((error, i) => {
    assert.equal(error, null, `${examples[i].file}: an example is not a valid module:\n${examples[i].code}\n${error}`);
  });
  assert.ok(examples.length >= 25, `checked ${examples.length} examples`);
});
