// Debian's redis-server for tests: on 127.0.0.1, on a free port, with no persistence, in a
// temporary folder; stopped by close(). kill() stops it at once (SIGKILL), as a crash would.
//
//   const redis = await startRedis();   // redis.url 'redis://127.0.0.1:PORT'
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A port free on 127.0.0.1 at this moment (for a server that must know its port before it listens).
export const freePort = () => new Promise((resolve, reject) => {
  const probe = createServer().once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolve(port));
  });
});

async function startOnce(dir) {
  const port = await freePort();
  const child = spawn(process.env.REDIS_SERVER ?? 'redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no', '--dir', dir, '--loglevel', 'warning', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const ready = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
    // It says nothing at loglevel warning once ready: probe the port instead.
    const poll = setInterval(() => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => { socket.write('PING\r\n'); });
      socket.once('data', (data) => {
        socket.destroy();
        if (String(data).startsWith('+PONG')) {
          clearInterval(poll);
          resolve();
        }
      });
      socket.once('error', () => socket.destroy());
    }, 50);
    child.once('exit', () => clearInterval(poll));
  });
  child.stdout.on('data', (d) => { output += d; });
  child.stderr.on('data', (d) => { output += d; });
  await ready;
  return { port, child };
}

export async function startRedis() {
  const dir = mkdtempSync(join(tmpdir(), 'oauth-wasm-redis-'));
  let started;
  for (let attempt = 0; !started; attempt++) {
    try {
      started = await startOnce(dir);
    } catch (e) {
      if (attempt === 2) throw e; // the port was taken between the probe and the start, three times
    }
  }
  const { port, child } = started;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill() {
      child.kill('SIGKILL');
      return exited;
    },
    async close() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
