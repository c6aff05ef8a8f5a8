#!/usr/bin/env node
// What the wasm's texts weigh, to price issue 25's lever "error descriptions where only a failing
// app pays for them": the C strings of the browser wasm's data, sorted by where they come from
// (string literals of src/ and bindings/, the code table of src/core/error_codes.hpp, nlohmann's
// lexer, the rest: embind's and libc++'s type names), and for each class what leaving them out
// of the wasm would save: its brotli size with those bytes zeroed in a copy, and with them and
// their NULs cut out of it (no longer a valid module, but the bytes a build without them would
// lose; the code that points at them stays in both), and the brotli size of the texts alone (what
// a lazily fetched table of them would cost the app that fetches it). A probe: nothing is changed.
// Since the texts left the browser's wasm (src/core/error_text.hpp), its markers ("\x01" and 6 hex
// digits each) are a class of their own: what they cost is what the texts' removal did not save.
//
//   node bench/error-texts.mjs [path/to/oauth-wasm-core.wasm] [--list]
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cStrings } from './wasm-functions.mjs';
import { sizes } from './shipped.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const wasmPath = args.find((a) => !a.startsWith('--')) ?? join(root, 'dist', 'oauth-wasm-core.wasm');
const brotli = (bytes) => sizes(bytes).brotli;

// Every string literal of our C++ (adjacent literals joined, as the compiler does), without
// those of whole-line comments.
const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
const unescape = (s) => s.replace(/\\(x[0-9a-fA-F]{2}|.)/g, (m, c) => (c[0] === 'x' && c.length === 3
  ? String.fromCharCode(parseInt(c.slice(1), 16)) : ({ n: '\n', t: '\t', 0: '\0' })[c] ?? c));
const literals = [];
for (const file of ['src', 'bindings'].flatMap((d) => walk(join(root, d))).filter((f) => /\.(hpp|cpp|h|c)$/.test(f))) {
  const text = readFileSync(file, 'utf8').replace(/^\s*\/\/[^\n]*/gm, '');
  for (const [run] of text.matchAll(/(?:"(?:[^"\\\n]|\\.)*"\s*)+/g)) {
    literals.push([...run.matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].map((m) => unescape(m[1])).join(''));
  }
}
// The linker merges a string into the tail of a longer one that ends with it.
const ours = (t) => literals.some((l) => l.endsWith(t));
const meanings = new Set([...readFileSync(join(root, 'src/core/error_codes.hpp'), 'utf8')
  .matchAll(/X\(\w+, "[^"]+", "((?:[^"\\]|\\.)*)"\)/g)].map((m) => m[1]));
const human = (t) => t.includes(' ') && /[a-z]{2}/.test(t);

const classes = {
  'ours: the code table\'s meanings (errorCodes())': [],
  'ours: other human text (descriptions, their pieces)': [],
  'ours: names (members, codes, bindings)': [],
  'nlohmann\'s lexer: error texts (never shown)': [],
  'embind\'s and libc++\'s type names, the rest': [],
  'ours: text markers (\\x01 + 6 hex digits)': [],
};
const [table, texts, names, lexer, rest, markers] = Object.values(classes);
const wasm = readFileSync(wasmPath);
for (const s of cStrings(wasm)) {
  if (wasm[s.offset - 1] === 1 && /^[0-9a-f]{6}$/.test(s.text)) markers.push({ ...s, offset: s.offset - 1, length: 7 });
  else if (ours(s.text)) (meanings.has(s.text) ? table : human(s.text) ? texts : names).push(s);
  else (/^invalid (string|number|literal|BOM|comment)/.test(s.text) ? lexer : rest).push(s);
}
const strings = Object.values(classes).flat();
classes['all our human text (the first two)'] = [...table, ...texts];
classes['all human text (with nlohmann\'s)'] = [...table, ...texts, ...lexer];

const whole = brotli(wasm);
const bytesOf = (list) => list.reduce((t, s) => t + s.length + 1, 0);
console.log(`${wasmPath}: ${wasm.length} B, brotli ${whole}; ${strings.length} C strings, ${bytesOf(strings)} B with their NULs`);
const pad = (x, n) => String(x).padStart(n);
console.log(`${'class'.padEnd(54)}${pad('strings', 8)}${pad('bytes', 8)}${pad('br zeroed', 11)}${pad('saved', 7)}` +
  `${pad('br cut', 8)}${pad('saved', 7)}${pad('texts br', 10)}`);
for (const [name, list] of Object.entries(classes)) {
  const zeroed = Buffer.from(wasm);
  for (const s of list) zeroed.fill(0, s.offset, s.offset + s.length);
  const kept = [];
  let from = 0;
  for (const s of [...list].sort((a, b) => a.offset - b.offset)) {
    kept.push(wasm.subarray(from, s.offset));
    from = s.offset + s.length + 1;
  }
  kept.push(wasm.subarray(from));
  const z = brotli(zeroed);
  const c = brotli(Buffer.concat(kept));
  const alone = brotli(Buffer.from(list.map((s) => s.text).join('\0')));
  console.log(`${name.padEnd(54)}${pad(list.length, 8)}${pad(bytesOf(list), 8)}${pad(z, 11)}${pad(whole - z, 7)}` +
    `${pad(c, 8)}${pad(whole - c, 7)}${pad(alone, 10)}`);
}
if (args.includes('--list')) for (const [name, list] of Object.entries(classes).slice(0, 6)) console.log(`\n${name}:\n${list.map((s) => `  ${s.text}`).join('\n')}`);
