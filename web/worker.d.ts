// web/worker.mjs: the session holder's worker script. It exports nothing: createClient() starts it
// as new SharedWorker(new URL('./worker.mjs', import.meta.url), { type: 'module' }) (or a
// dedicated Worker), which bundlers follow. `oauth-wasm/worker` is exported so that an app can
// host or preload the script itself (and so that Vite's dev server, which pre-bundles the page's
// module away from it, finds it). It loads the wasm beside it (or the wasmUrl its name gives) and
// runs it only when the bytes match the SRI hash built into it.
export {};
