// Reads names out of the package's .d.ts files for the tests that hold the types, the runtime and
// the docs to one another. Paths are relative to the repository root.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const read = (path) => readFileSync(join(root, path), 'utf8');

// The member names of `export interface NAME { ... }` (methods and properties, two-space indented).
export function interfaceMembers(path, name) {
  const body = read(path).match(new RegExp(`export interface ${name}\\b[^{]*\\{([\\s\\S]*?)\\n\\}`))?.[1];
  if (!body) throw new Error(`${path} declares no interface ${name}`);
  return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:<]/gm)].map((m) => m[1]);
}

// The value names a .d.ts exports: `export function|class|const NAME` and `export { A, B as C } from`.
export function declaredExports(path) {
  const text = read(path);
  const names = new Set();
  for (const [, name] of text.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)) names.add(name);
  for (const [, list] of text.matchAll(/^export \{([^}]+)\} from/gm)) {
    for (const name of list.split(',')) names.add(name.trim().split(/\s+as\s+/).pop());
  }
  return names;
}
