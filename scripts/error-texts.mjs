// Writes web/error-texts-table.mjs, the human texts the browser's wasm holds as markers
// (src/core/error_text.hpp): every OAUTH_TEXT("...") literal of src/ and bindings/ and every
// meaning of the code table (src/core/error_codes.hpp, wrapped where bindings/crypto_bindings.cpp
// lists it). A marker holds its text's key, the 32-bit FNV-1a hash folded to 24 bits, which the
// compiler computes and web/error-texts-write.mjs computes again from the table's texts (so the
// table holds no keys). The page imports it on the first error that carries a marker (web/error-texts.mjs).
// Fails on an OAUTH_TEXT argument it cannot read (anything but string literals), an escape it
// does not know, or two texts with one key (reword one of them).
//
//   node scripts/error-texts.mjs           rewrites web/error-texts-table.mjs
//   node scripts/error-texts.mjs --check   exits 1 when it is out of date
import { readFileSync, writeFileSync, readdirSync, statSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { libraryCodes } from './error-table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const TABLE = 'web/error-texts-table.mjs';
// The one OAUTH_TEXT whose argument is not a literal: the code table's meanings, read from
// src/core/error_codes.hpp instead.
const CODE_TABLE_USE = 'OAUTH_TEXT(meaning)';

// FNV-1a, 32 bits, of `bytes`.
export function fnv1a(bytes) {
  let h = 2166136261;
  for (const b of bytes) h = Math.imul(h ^ b, 16777619) >>> 0;
  return h;
}

// The marker's 6 hex digits: the hash xor-folded to 24 bits (src/core/error_text.hpp).
export const key = (bytes) => {
  const h = fnv1a(bytes);
  return ((h >>> 24) ^ (h & 0xffffff)).toString(16).padStart(6, '0');
};

const SIMPLE = { n: 10, t: 9, r: 13, 0: 0, '\\': 92, '"': 34, '\'': 39, '?': 63 };

// The bytes a C string literal's body stands for.
function literalBytes(body, where) {
  const out = [];
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      out.push(...Buffer.from(body[i], 'utf8'));
      continue;
    }
    const c = body[++i];
    if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(body.slice(i + 1, i + 3)) && !/[0-9a-fA-F]/.test(body[i + 3] ?? '')) {
      out.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c in SIMPLE && !(c === '0' && /[0-7]/.test(body[i + 1] ?? ''))) {
      out.push(SIMPLE[c]);
    } else {
      throw new Error(`${where}: an escape this script does not read: \\${c}`);
    }
  }
  return out;
}

// Comments, literals (string and char, a digit separator is not one) and OAUTH_TEXT( in file order.
const TOKENS = /\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\\n]|\\.)*"|(?<![0-9a-fA-F])'(?:[^'\\\n]|\\.)*'|\bOAUTH_TEXT\(/g;
const ARGUMENT = /^\s*((?:"(?:[^"\\\n]|\\.)*"\s*)+)\)/;

// [{ text, where }] of one file's OAUTH_TEXT literals (adjacent literals joined).
export function fileTexts(source, file) {
  const found = [];
  for (const m of source.matchAll(TOKENS)) {
    if (m[0] !== 'OAUTH_TEXT(') continue;
    const line = source.slice(0, m.index).split('\n').length;
    const where = `${file}:${line}`;
    const lineText = source.slice(source.lastIndexOf('\n', m.index) + 1, m.index);
    if (/^\s*#\s*define\s*$/.test(lineText) || source.startsWith(CODE_TABLE_USE, m.index)) continue;
    const arg = source.slice(m.index + m[0].length).match(ARGUMENT);
    if (!arg) throw new Error(`${where}: OAUTH_TEXT takes string literals only`);
    const bytes = [...arg[1].matchAll(/"((?:[^"\\\n]|\\.)*)"/g)].flatMap((l) => literalBytes(l[1], where));
    found.push({ bytes, where });
  }
  return found;
}

const walk = (d) => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));

// [[hash, text]] from the sources as they are now, in the order of the texts (brotli finds more in
// neighbours that share words).
export function collectTexts(dir = root) {
  const files = ['src', 'bindings'].flatMap((d) => walk(join(dir, d))).filter((f) => /\.(cpp|hpp|h|c)$/.test(f)).sort();
  const all = files.flatMap((f) => fileTexts(readFileSync(f, 'utf8'), relative(dir, f)));
  const hpp = readFileSync(join(dir, 'src/core/error_codes.hpp'), 'utf8');
  for (const { code } of libraryCodes(hpp)) {
    const meaning = hpp.match(new RegExp(`X\\(\\s*${code}\\s*,\\s*"${code}"\\s*,\\s*"((?:[^"\\\\]|\\\\.)*)"\\s*\\)`))[1];
    all.push({ bytes: literalBytes(meaning, `src/core/error_codes.hpp (${code})`), where: `src/core/error_codes.hpp (${code})` });
  }
  const table = new Map();
  for (const { bytes, where } of all) {
    const text = Buffer.from(bytes).toString('utf8');
    if (!Buffer.from(text, 'utf8').equals(Buffer.from(bytes))) throw new Error(`${where}: the text is not UTF-8`);
    const k = key(bytes);
    const seen = table.get(k);
    if (seen !== undefined && seen.text !== text) throw new Error(`${where}: "${text}" has the key of "${seen.text}" (${seen.where}); reword one`);
    if (seen === undefined) table.set(k, { text, where });
  }
  return [...table].map(([k, { text }]) => [k, text]).sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function renderTable(texts = collectTexts()) {
  return `// Generated by scripts/error-texts.mjs from the OAUTH_TEXT literals of src/ and bindings/ and the
// meanings of src/core/error_codes.hpp: do not edit. The browser's wasm holds each of these texts
// as "\\x01" and the text's key (src/core/error_text.hpp); web/error-texts-write.mjs writes
// them back.
export default [
${texts.map(([, t]) => `  ${JSON.stringify(t)},`).join('\n')}
];
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const file = join(root, TABLE);
  const next = renderTable();
  let now = '';
  try { now = readFileSync(file, 'utf8'); } catch { /* first run */ }
  if (process.argv.includes('--check')) {
    if (next !== now) {
      console.error(`${TABLE} is out of date; run node scripts/error-texts.mjs`);
      process.exit(1);
    }
  } else if (next !== now) {
    writeFileSync(file, next);
    console.log(`${TABLE}: ${collectTexts().length} texts written`);
  }
}
