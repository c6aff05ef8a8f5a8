#!/usr/bin/env node
// What the components the brief mandates cost on their own, built with the shipped module's
// compiler flags from the probes in bench/floors/ (each the least use of its component):
// embind (one bound function, with its closure-minified glue), the same call as a plain C export
// of a standalone module (the baseline), and nlohmann/json parsing an object, both plainly and as
// the core uses it (its lexer under the core's grammar, numbers with a fraction kept as text, so no
// strtod or printf). Brotli -q 11.
// Needs em++ (make bootstrap) and the Closure Compiler from npm ci.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const probes = join(root, 'bench/floors');
const out = mkdtempSync(join(tmpdir(), 'oauth-wasm-floors-'));
// nlohmann's headers alone (never -I/usr/include: glibc's headers would shadow the wasm sysroot).
cpSync('/usr/include/nlohmann', join(out, 'include/nlohmann'), { recursive: true });

const common = ['-Oz', '-flto', '-fno-exceptions', '-sMALLOC=emmalloc', '-sFILESYSTEM=0', '-sALLOW_MEMORY_GROWTH=1',
  '-DJSON_USE_IMPLICIT_CONVERSIONS=0', '-isystem', join(out, 'include'), '-I', join(root, 'src'), '--no-entry'];
const glue = ['--bind', '-sMODULARIZE=1', '-sEXPORT_ES6=1', '-sENVIRONMENT=web', '-sDYNAMIC_EXECUTION=0',
  '-sINCOMING_MODULE_JS_API=wasmBinary,instantiateWasm', '-sSTRICT=1', '-sTEXTDECODER=2', '--closure=1'];
const closure = join(root, 'node_modules/google-closure-compiler-linux/compiler');
const env = { ...process.env, NODE_PATH: '/usr/share/nodejs', EM_CLOSURE_COMPILER: closure };

function build(probe, flags, output) {
  execFileSync('em++', [...common, ...flags, join(probes, probe), '-o', join(out, output)], { env, stdio: ['ignore', 'ignore', 'inherit'] });
}
const brotli = (file) => brotliCompressSync(readFileSync(join(out, file)), { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;

if (!existsSync(closure)) throw new Error(`${closure} is missing: run npm ci`);
build('embind.cpp', glue, 'embind.mjs');
build('c_export.cpp', ['-sSTANDALONE_WASM=1'], 'c_export.wasm');
build('nlohmann.cpp', ['-sSTANDALONE_WASM=1'], 'nlohmann.wasm');
build('nlohmann_text_numbers.cpp', ['-sSTANDALONE_WASM=1'], 'nlohmann_text_numbers.wasm');
const embind = brotli('embind.wasm') + brotli('embind.mjs');
const base = brotli('c_export.wasm');
const json = brotli('nlohmann.wasm');
const jsonAsUsed = brotli('nlohmann_text_numbers.wasm');
rmSync(out, { recursive: true, force: true });

const row = (name, bytes, note) => console.log(`${name.padEnd(44)}${String(bytes).padStart(8)}  ${note}`);
console.log(`${'probe (brotli -q 11)'.padEnd(44)}${'bytes'.padStart(8)}`);
row('embind: one bound call, wasm + glue', embind, '');
row('plain C export, standalone wasm (baseline)', base, '');
row('nlohmann/json: parse an object, read a member', json, '');
row('nlohmann/json as the core uses it', jsonAsUsed, '(its lexer, the core\'s grammar, numbers as text)');
row('=> embind over a plain C export', embind - base, '(the JS loader replacing the glue is extra)');
row('=> nlohmann/json over the baseline', json - base, '');
row('=> nlohmann/json as the core uses it, over it', jsonAsUsed - base, '');
