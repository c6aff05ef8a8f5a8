// The core's calls are declared once, in the bindings' EMSCRIPTEN_BINDINGS lists (bindings/*.cpp);
// the two other lists follow them, and this test reads all three from their sources: CALLS in
// web/core-abi.mjs (each call's argument kinds), and the Core / NodeCore types in web/index.d.ts
// and web/node.d.ts. It fails when a call is bound and not listed (or listed and not bound), when
// its arguments differ, or when a call sits in the wrong module: cmake/wasm.cmake leaves some
// bindings files out of the browser's module, and Core declares exactly the browser's calls. Then
// the built modules (dist/) are held to the same split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path) => readFileSync(join(root, path), 'utf8');

// The glue's own call (web/core-abi.mjs wipes the answer buffer with it), not a core call.
const INTERNAL = ['releaseAnswer'];

// C++ parameter types → core-abi.mjs's argument kinds: h integer (a handle, a count), n seconds,
// s string, b boolean, r an HTTP response, passed as (double status, Text headers, Text body).
const CPP_KINDS = { int: 'h', Now: 'n', Text: 's', bool: 'b' };

function cppKinds(file, fn, source) {
  const params = source.match(new RegExp(`\\b${fn}\\(([^)]*)\\)\\s*\\{`))?.[1];
  if (params === undefined) throw new Error(`${file}: no definition of ${fn}`);
  const types = params.split(',').map((p) => p.trim()).filter(Boolean).map((p) => p.replace(/\s+\w+$/, '').replace(/^const\s+|[&\s]+$/g, ''));
  let kinds = '';
  for (let i = 0; i < types.length; i++) {
    if (types[i] === 'double' && types[i + 1] === 'Text' && types[i + 2] === 'Text') {
      kinds += 'r';
      i += 2;
    } else if (CPP_KINDS[types[i]]) {
      kinds += CPP_KINDS[types[i]];
    } else {
      throw new Error(`${file}: ${fn} takes a ${types[i]}, which this test does not map to an argument kind`);
    }
  }
  return kinds;
}

// { name → { kinds, file } } of every emscripten::function in bindings/*.cpp.
function bound() {
  const calls = {};
  for (const file of readdirSync(join(root, 'bindings')).filter((f) => f.endsWith('.cpp')).sort()) {
    const source = read(`bindings/${file}`);
    for (const [, name, fn] of source.matchAll(/emscripten::function\(\s*"(\w+)"\s*,\s*&(\w+)\s*\)/g)) {
      assert.ok(!calls[name], `${name} is bound twice (${calls[name]?.file}, ${file})`);
      calls[name] = { kinds: INTERNAL.includes(name) ? null : cppKinds(file, fn, source), file };
    }
  }
  return calls;
}

// The bindings files cmake/wasm.cmake leaves out of the browser's module.
function nodeOnly(file) {
  const pattern = read('cmake/wasm.cmake').match(/list\(FILTER browser_binding_sources EXCLUDE REGEX "([^"]+)"\)/)?.[1];
  assert.ok(pattern, 'cmake/wasm.cmake filters browser_binding_sources');
  return new RegExp(pattern.replace(/\\\\/g, '\\')).test(`/bindings/${file}`);
}

// CALLS of web/core-abi.mjs, read from its source (it is not exported).
function listed() {
  const literal = read('web/core-abi.mjs').match(/\nconst CALLS = (\{[\s\S]*?\n\});/)?.[1];
  assert.ok(literal, 'web/core-abi.mjs declares const CALLS = { ... }');
  return new Function(`return ${literal};`)();
}

// The methods of `export interface NAME` in a .d.ts, as { name → kinds } by their parameter types.
const TS_KINDS = { CoreInt: 'h', CoreSeconds: 'n', string: 's', boolean: 'b', CoreResponse: 'r' };
function declared(path, name) {
  const body = read(path).match(new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`))?.[1];
  assert.ok(body, `${path} declares interface ${name}`);
  const methods = {};
  for (const [, method, params] of body.matchAll(/^ {2}(\w+)\(([^)]*)\):/gm)) {
    methods[method] = params.split(',').map((p) => p.trim()).filter(Boolean).map((p) => {
      const type = p.split(':')[1]?.trim();
      if (!TS_KINDS[type]) throw new Error(`${path}: ${name}.${method} takes a ${type}, which this test does not map to an argument kind`);
      return TS_KINDS[type];
    }).join('');
  }
  assert.ok(!/\[\w+: string\]/.test(body), `${path}: ${name} has no index signature (every call is declared by name)`);
  return methods;
}

const kindsOf = (calls, pick = () => true) => Object.fromEntries(Object.entries(calls)
  .filter(([name, c]) => !INTERNAL.includes(name) && pick(c)).map(([name, c]) => [name, c.kinds]).sort(([a], [b]) => a.localeCompare(b)));
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

test('CALLS in web/core-abi.mjs lists exactly the bound calls, with their arguments', () => {
  const calls = bound();
  assert.ok(Object.keys(calls).length > 10, 'the bindings were read');
  assert.deepEqual(sorted(listed()), kindsOf(calls));
  for (const name of INTERNAL) {
    assert.ok(calls[name], `${name} is bound`);
    assert.match(read('web/core-abi.mjs'), new RegExp(`module\\.${name}\\(`), `web/core-abi.mjs calls ${name}`);
  }
});

test('Core (web/index.d.ts) declares the browser module\'s calls, NodeCore (web/node.d.ts) the Node module\'s others', () => {
  const calls = bound();
  const browser = kindsOf(calls, (c) => !nodeOnly(c.file));
  const node = kindsOf(calls, (c) => nodeOnly(c.file));
  assert.ok(Object.keys(node).length > 0, 'some calls are the Node module\'s only');
  assert.deepEqual(sorted(declared('web/index.d.ts', 'Core')), browser);
  assert.deepEqual(sorted(declared('web/node.d.ts', 'NodeCore')), node);
  assert.match(read('web/node.d.ts'), /export interface NodeCore extends Core\b/);
});

test('the built modules hold that split: the browser\'s has no Node-only call, the Node module has them all', async () => {
  const calls = bound();
  const { loadIsolatedCore: loadBrowser } = await import('oauth-wasm');
  const { loadIsolatedCore: loadNode } = await import('oauth-wasm/node');
  const names = (core) => Object.keys(core).sort();
  const wasmBytes = readFileSync(join(root, 'dist/oauth-wasm-core.wasm'));
  assert.deepEqual(names(await loadBrowser({ wasmBytes })), Object.keys(kindsOf(calls, (c) => !nodeOnly(c.file))).sort());
  assert.deepEqual(names(await loadNode()), Object.keys(kindsOf(calls)).sort());
});
