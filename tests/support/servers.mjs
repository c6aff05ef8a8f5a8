// The authorization server (oidc-provider) and the test API for one node:test file: started
// before its tests, closed after them. Read servers.as and servers.api inside the tests.
import { before, after } from 'node:test';
import { startAuthServer } from '../../scripts/dev-servers/auth-server.mjs';
import { startTestApi } from '../../scripts/dev-servers/test-api.mjs';

export function useServers(authServerOptions) {
  const servers = { as: null, api: null };
  before(async () => {
    servers.as = await startAuthServer(authServerOptions);
    servers.api = await startTestApi({ issuer: servers.as.issuer });
  });
  after(async () => {
    await servers.api?.close();
    await servers.as?.close();
  });
  return servers;
}
