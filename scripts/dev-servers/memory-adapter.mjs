// oidc-provider storage adapter keeping everything in Maps owned by one server.
// The built-in in-memory adapter is a module-wide LRU shared by every Provider in
// the process (and it evicts); tests that start several servers need them apart.
// Adapter API: see "adapter" in oidc-provider's configuration reference.

// Models whose entries die with their grant (revokeByGrantId).
const GRANTABLE = new Set([
  'AccessToken', 'AuthorizationCode', 'RefreshToken', 'DeviceCode', 'BackchannelAuthenticationRequest',
]);

export function createMemoryAdapter() {
  const entries = new Map(); // `${model}:${id}` -> { payload, expiresAt }
  const byGrant = new Map(); // grantId -> Set of entry keys
  const byUid = new Map(); // session uid -> session id
  const byUserCode = new Map(); // device user code -> device code id

  const expiresAt = (seconds) => (seconds ? Date.now() + seconds * 1000 : Infinity);

  function live(key) {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  return class MemoryAdapter {
    constructor(model) {
      this.model = model;
    }

    key(id) {
      return `${this.model}:${id}`;
    }

    async upsert(id, payload, expiresIn) {
      const key = this.key(id);
      entries.set(key, { payload: structuredClone(payload), expiresAt: expiresAt(expiresIn) });
      if (GRANTABLE.has(this.model) && payload.grantId) {
        if (!byGrant.has(payload.grantId)) byGrant.set(payload.grantId, new Set());
        byGrant.get(payload.grantId).add(key);
      }
      if (this.model === 'Session' && payload.uid) byUid.set(payload.uid, id);
      if (this.model === 'DeviceCode' && payload.userCode) byUserCode.set(payload.userCode, id);
    }

    async find(id) {
      const entry = live(this.key(id));
      return entry ? structuredClone(entry.payload) : undefined;
    }

    async findByUid(uid) {
      const id = byUid.get(uid);
      return id === undefined ? undefined : this.find(id);
    }

    async findByUserCode(userCode) {
      const id = byUserCode.get(userCode);
      return id === undefined ? undefined : this.find(id);
    }

    async consume(id) {
      const entry = live(this.key(id));
      if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    }

    async destroy(id) {
      entries.delete(this.key(id));
    }

    async revokeByGrantId(grantId) {
      for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
      byGrant.delete(grantId);
    }
  };
}
