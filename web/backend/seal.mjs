// Tokens at rest: every value the backend writes to its store is sealed with AES-256-GCM under the
// app's key, with the store key as additional data, so a value copied to another key (another
// session) does not open. A value that does not open reads as absent: the session is over.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { OAuthError } from '../errors.mjs';

const VERSION = 'v1';

export function keyBytes(key) {
  const bytes = typeof key === 'string' ? Buffer.from(key, 'base64url') : key instanceof Uint8Array ? Buffer.from(key) : null;
  if (bytes?.length !== 32) throw new OAuthError('invalid_argument', 'the backend key is 32 bytes (a Uint8Array or base64url)');
  return bytes;
}

export function createSealer(key) {
  const secret = keyBytes(key);
  return {
    seal(aad, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv).setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${VERSION}.${iv.toString('base64url')}.${body.toString('base64url')}`;
    },
    open(aad, sealed) {
      const [version, iv, body] = typeof sealed === 'string' ? sealed.split('.') : [];
      if (version !== VERSION || !iv || !body) return null;
      try {
        const bytes = Buffer.from(body, 'base64url');
        if (bytes.length < 16) return null;
        const decipher = createDecipheriv('aes-256-gcm', secret, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(aad));
        decipher.setAuthTag(bytes.subarray(-16));
        return JSON.parse(Buffer.concat([decipher.update(bytes.subarray(0, -16)), decipher.final()]).toString('utf8'));
      } catch {
        return null;
      }
    },
  };
}
