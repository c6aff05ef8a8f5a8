// The CLI's lasting login: the core's session record (the refresh token, never an access or ID
// token) in $XDG_CONFIG_HOME/oauth-wasm (~/.config/oauth-wasm without it), one file per issuer and
// client, the directory 0700 and the file 0600, written without following a symlink.
import { createHash } from 'node:crypto';
import { closeSync, constants, fchmodSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

// A relative XDG_CONFIG_HOME is invalid and ignored, as the XDG Base Directory spec asks (it would
// put the record wherever the CLI happens to run).
export function sessionFile({ issuer, clientId }, env = process.env) {
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : '';
  const dir = join(xdg || join(env.HOME || homedir(), '.config'), 'oauth-wasm');
  const name = createHash('sha256').update(`${issuer}\n${clientId}`).digest('hex').slice(0, 32);
  return { dir, path: join(dir, `session-${name}.json`) };
}

// The record text, or null when none is kept.
export function readSession({ path }) {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e.code === 'ENOENT') return null;
    throw e;
  }
}

export function writeSession({ dir, path }, record) {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writePrivate(path, record);
}

export const removeSession = ({ path }) => rmSync(path, { force: true });

// Created with mode 0600, or truncated and set to 0600 before anything is written; a symlink is
// not followed.
export function writePrivate(file, text) {
  const fd = openSync(file, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
