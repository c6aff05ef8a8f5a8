// The auth server's own redirects during a login, for the page's flow log: the page leaves for the
// authorization endpoint and comes back with a code, and what happened in between (the server
// sending the browser to its login page, then to its consent page, then back to the app) is seen
// only by the server. This watches oidc-provider's answers and keeps, per login, the redirects it
// made, as log entries (values shortened as everywhere in the log).
//
// A login is keyed by what its authorization request carried: `state`, or with PAR the
// `request_uri` (the state is then in the pushed body). Its trail continues through the
// interaction ids (/interaction/UID) its redirects name, to the redirect back to the app.
//
//   const trails = recordAuthTrail(as);   // as: scripts/dev-servers/auth-server.mjs's server
//   trails.take(key)                      // the entries, once; [] when there are none
import { bare, queryParams } from './page/log.mjs';

const MAX_TRAILS = 50;
const INTERACTION = /\/interaction\/([\w-]+)/;

export function recordAuthTrail(as) {
  const byKey = new Map(); // state or request_uri -> entries
  const byUid = new Map(); // interaction uid -> the same entries

  async function describe(ctx, location) {
    const uid = INTERACTION.exec(location)?.[1];
    if (!uid) {
      return {
        label: 'the auth server redirects back to the app',
        notes: ['done on the server’s side: the browser carries the code to the redirect URI'],
        params: queryParams(location),
        url: bare(location),
      };
    }
    let prompt = 'interaction';
    try {
      prompt = (await ctx.oidc.provider.Interaction.find(uid))?.prompt?.name ?? prompt;
    } catch { /* expired: a plain interaction */ }
    const page = { login: 'its login page', consent: 'its consent page' }[prompt] ?? `its ${prompt} page`;
    return {
      label: `the auth server sends the browser to ${page}`,
      notes: [prompt === 'consent'
        ? 'the user is asked to allow this app the scopes it asked for; the page is the server’s, not the app’s'
        : 'the user signs in on the server’s own page: the app never sees the password'],
      params: [],
      url: bare(new URL(location, as.issuer).href),
      uid,
    };
  }

  as.use(async (ctx, next) => {
    await next();
    if (ctx.method !== 'GET' || ctx.status < 300 || ctx.status >= 400) return;
    const location = ctx.response.get('location');
    if (!location) return;
    let entries;
    if (ctx.path === '/auth') {
      const key = ctx.query.state ?? ctx.query.request_uri;
      if (typeof key !== 'string') return;
      entries = [];
      byKey.set(key, entries);
      if (byKey.size > MAX_TRAILS) byKey.delete(byKey.keys().next().value);
    } else {
      const uid = /^\/auth\/([\w-]+)$/.exec(ctx.path)?.[1];
      entries = uid && byUid.get(uid);
      if (!entries) return;
      byUid.delete(uid);
    }
    const { uid, ...entry } = await describe(ctx, location);
    if (uid) byUid.set(uid, entries);
    entries.push({
      kind: 'redirect', from: 'Auth server', to: 'Browser', method: 'GET', status: ctx.status,
      ...entry,
      text: ctx.path === '/auth' ? undefined : 'after the user answered the previous page',
    });
  });

  return {
    take(key) {
      const entries = byKey.get(key) ?? [];
      byKey.delete(key);
      return entries;
    },
  };
}
