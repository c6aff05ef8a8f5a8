// `make demo`: serves the flow simulator page and the wasm module on 127.0.0.1.
import { fileURLToPath } from 'node:url';
import { startStaticServer } from './static-server.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 8080);
const app = await startStaticServer({ port, mounts: { '/dist/': root + 'dist/', '/': root + 'demo/page/' } });
console.log(`oauth-wasm demo: open ${app.url}/  (Ctrl-C stops it)`);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => app.close().then(() => process.exit(0)));
