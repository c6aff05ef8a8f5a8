// web/worker.mjs: the session holder's worker script. It exports nothing: createClient() starts it
// as new SharedWorker(new URL('./worker.mjs', import.meta.url), { type: 'module' }) (or a
// dedicated Worker), which bundlers follow. `oauth-wasm/worker` is exported so that an app can
// host or preload the script itself.
export {};
