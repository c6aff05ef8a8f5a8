// Reading requests and writing answers on node:http's (req, res), for the backend's routes.
import { OAuthError } from '../errors.mjs';

// The request body, up to `limit` bytes. A framework that read the stream already (Express's
// body parsers, Fastify's) left it in req.body: a Buffer or string is taken as it is, an object
// as its JSON.
export async function readBody(req, limit) {
  if (req.body !== undefined && req.readableEnded) {
    const b = req.body;
    const bytes = Buffer.isBuffer(b) ? b : Buffer.from(typeof b === 'string' ? b : JSON.stringify(b));
    if (bytes.length > limit) throw tooLarge(limit);
    return bytes;
  }
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (limit) => Object.assign(new OAuthError('invalid_request', `the request body exceeds ${limit} bytes`), { httpStatus: 413 });

export function sendJson(res, status, value, headers = {}) {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(value));
}

export function redirect(res, location, headers = {}) {
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', ...headers });
  res.end();
}

// The JSON error answer: the code and description of an OAuthError, never its cause (which may
// hold a server's body); anything else is internal_error without detail.
export function sendError(res, error, headers = {}) {
  const known = error instanceof OAuthError;
  const status = error.httpStatus ?? STATUS[known ? error.code : 'internal_error'] ?? (error.blame === 'remote' ? 502 : 400);
  const code = known ? error.code : 'internal_error';
  // The header tells the browser client this answer is the backend's, not the API's.
  sendJson(res, status, { error: code, error_description: known ? error.description : '' }, { 'OAuth-Wasm-Error': code, ...headers });
}

const STATUS = {
  login_required: 401,
  session_expired: 401,
  token_expired: 401,
  origin_not_allowed: 403,
  network_error: 502,
  internal_error: 500,
};
