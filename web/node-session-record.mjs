// The Node entry's session record methods (not in the browser's client, whose worker must never
// hand the refresh token to page script): the core's record of the refresh token (no access or ID
// token; src/session/session_record.hpp) for a program that keeps it itself, as the CLI does in a
// 0600 file, and a session restored from one (validated by the core; the next call refreshes).
import { unwrap } from './errors.mjs';

export function attachSessionRecord(client, { core, id, serial }) {
  return Object.assign(client, {
    exportSession: () => serial(async () => unwrap(core.clientExportSession(id, false))),
    restoreSession: (record) => serial(async () => { unwrap(core.clientRestoreSession(id, String(record))); }),
  });
}
