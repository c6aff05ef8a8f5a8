// Reads a wasm binary linked with --profiling-funcs: the size of every function body, named from
// the name section, and the size of the data segments. No dependencies; wasm MVP encoding only.
export function wasmFunctions(bytes) {
  let p = 8;  // after the magic and version
  const leb = () => {
    let result = 0;
    let shift = 0;
    let byte;
    do {
      byte = bytes[p++];
      result += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return result;
  };
  const skipLimits = () => { const flags = bytes[p++]; leb(); if (flags & 1) leb(); };
  const skipConstExpr = () => { while (bytes[p++] !== 0x0b); };  // i32.const n / global.get n, then end
  let importedFunctions = 0;
  const bodies = [];
  const data = [];
  const names = new Map();
  while (p < bytes.length) {
    const id = bytes[p++];
    const size = leb();
    const end = p + size;
    if (id === 2) {  // imports: function indices start after the imported functions
      for (let n = leb(); n > 0; n--) {
        const skipName = () => { const l = leb(); p += l; };  // (p += leb() would add to the old p)
        skipName();
        skipName();
        const kind = bytes[p++];
        if (kind === 0) { leb(); importedFunctions++; }
        else if (kind === 1) { p++; skipLimits(); }
        else if (kind === 2) skipLimits();
        else if (kind === 3) p += 2;
      }
    } else if (id === 10) {
      for (let n = leb(); n > 0; n--) { const s = leb(); bodies.push(s); p += s; }
    } else if (id === 11) {
      for (let n = leb(); n > 0; n--) {
        const mode = leb();
        if (mode === 0) skipConstExpr();
        else if (mode === 2) { leb(); skipConstExpr(); }
        const s = leb();
        data.push(bytes.subarray(p, p + s));
        p += s;
      }
    } else if (id === 0) {
      const nameLength = leb();
      const name = Buffer.from(bytes.subarray(p, p + nameLength)).toString();
      p += nameLength;
      while (name === 'name' && p < end) {
        const sub = bytes[p++];
        const subEnd = leb() + p;
        if (sub === 1) {
          for (let n = leb(); n > 0; n--) {
            const index = leb();
            const l = leb();
            names.set(index, Buffer.from(bytes.subarray(p, p + l)).toString());
            p += l;
          }
        }
        p = subEnd;
      }
    }
    p = end;
  }
  return {
    functions: bodies.map((size, i) => ({ size, name: names.get(i + importedFunctions) ?? `function ${i}` })),
    dataBytes: data.reduce((a, b) => a + b.length, 0),
    textBytes: data.reduce((a, b) => a + textBytes(b), 0),
    data, // the data segments, views of `bytes`
  };
}

// The C strings of the data segments (runs of at least 4 printable bytes of valid UTF-8, ended by
// a NUL): [{ offset in `bytes`, length without the NUL, text }].
export function cStrings(bytes) {
  const out = [];
  for (const segment of wasmFunctions(bytes).data) {
    const base = segment.byteOffset - bytes.byteOffset;
    let start = 0;
    segment.forEach((byte, i) => {
      if (byte >= 0x20 && byte !== 0x7f) return;
      const text = byte === 0 && i - start >= 4 && Buffer.from(segment.subarray(start, i)).toString();
      if (text && !text.includes('\uFFFD')) out.push({ offset: base + start, length: i - start, text }); // valid UTF-8 only
      start = i + 1;
    });
  }
  return out;
}

// Bytes of a data segment held by texts: runs of at least 4 printable ASCII characters ended by
// a NUL (C strings: error descriptions, member names, type names), each counted with its NUL.
function textBytes(segment) {
  let total = 0;
  let run = 0;
  for (const byte of segment) {
    if (byte >= 0x20 && byte < 0x7f) {
      run++;
      continue;
    }
    if (byte === 0 && run >= 4) total += run + 1;
    run = 0;
  }
  return total;
}

// Where a function comes from, by its (demangled) name and the C symbols of the OpenSSL files.
export function origin(name, opensslSymbols) {
  if (name.startsWith('oauth::bindings::')) return 'ours: bindings';
  if (name.startsWith('oauth::')) return 'ours: core';
  if (name.includes('nlohmann::')) return 'nlohmann/json';
  if (/emscripten::|embind|_EmVal|__getTypeName/.test(name)) return 'embind';
  if (opensslSymbols.has(name)) return 'OpenSSL';
  if (name.includes('std::') || /^(operator |__cxa_|__cxxabiv1|abort_message)/.test(name)) return 'libc++';
  return 'libc, compiler-rt';
}
