// The flow simulator page: the picker, the selected flow's steps and log, the PKCE run in this
// page, the server-run flows over Server-Sent Events, the refusals, the decision helper and the
// 2.0 → 2.1 table. `window.demo` is there for the browser tests to look inside.
import { mountDecisionHelper } from './decide.mjs';
import { FLOWS, OAUTH21, flowById, stepsOf } from './flows.mjs';
import { mountLog } from './log.mjs';
import * as pkce from './pkce-flow.mjs';
import { createRun } from './run.mjs';
import { SERVER_RUN_KEY, cancelServerRun, follow, startServerRun } from './server-flow.mjs';

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return node;
};

const demo = { config: null, runs: {}, pkceClient: null, selected: 'pkce' };
window.demo = demo;

// ---- the demo server's settings (absent when the page is served by a plain static server) ----
try {
  const res = await fetch('/demo/config.json', { cache: 'no-store' });
  if (res.ok) demo.config = await res.json();
} catch { /* no demo server */ }
const config = demo.config;
$('servers').textContent = config
  ? `Auth server ${config.issuer} · demo API ${config.apiUrl}/me · this page ${location.origin} — all on 127.0.0.1.`
  : 'The demo server is not running, so no flow can run (start it with make demo). The PKCE sample below still works.';
$('servers').classList.toggle('warn', !config);

const availability = (id) => {
  if (!config) return { available: false, message: 'the demo server is not running', reason: 'start it with make demo' };
  return config.flows?.[id] ?? { available: false, message: 'this flow is not available in this build yet', reason: 'the demo server does not know it' };
};

for (const flow of FLOWS) demo.runs[flow.id] = createRun(flow);

// ---- picker ----
function drawPicker() {
  const picker = $('flow-picker');
  picker.replaceChildren(...FLOWS.map((flow) => {
    const a = availability(flow.id);
    const where = !a.available ? 'not available in this build yet' : flow.runsOn === 'page' ? 'runs in this page' : 'runs on the demo server';
    const card = el('button', {
      type: 'button', role: 'radio', class: 'card', 'data-flow': flow.id,
      'aria-checked': String(demo.selected === flow.id),
    },
    el('span', { class: 'card-name' }, flow.name),
    el('span', { class: 'card-type' }, flow.clientType),
    el('dl', { class: 'card-facts' },
      el('dt', {}, 'Secret'), el('dd', {}, flow.secret),
      el('dt', {}, 'User'), el('dd', {}, flow.user),
      el('dt', {}, 'Best for'), el('dd', {}, flow.bestFor)),
    el('span', { class: `badge ${a.available ? 'ok' : 'off'}` }, where));
    card.addEventListener('click', () => select(flow.id));
    return card;
  }));
}

// ---- the selected flow ----
let unbind = [];

function drawSteps(run) {
  const flow = run.flow;
  const stopped = Boolean(run.state.outcome);
  $('steps').replaceChildren(...stepsOf(flow, run.state.extra).map((text, i) => {
    const { state, note } = run.state.steps[i];
    const shown = stopped && state === 'active' ? 'stopped' : state;
    return el('li', { class: `step ${shown}`, 'data-step': i + 1, 'data-state': state },
      el('span', { class: 'step-n', 'aria-hidden': 'true' }, state === 'done' ? '✓' : state === 'failed' ? '✕' : String(i + 1)),
      el('span', { class: 'step-text' }, text,
        note ? el('span', { class: 'step-note' }, note) : null,
        el('span', { class: 'sr' }, ` (${shown})`)));
  }));
  $('steps-after').textContent = flow.after ? `${flow.after} — see “Refresh-token rotation” below.` : '';
  const outcome = run.state.outcome;
  $('outcome').hidden = !outcome;
  if (outcome) {
    $('outcome').className = `outcome ${outcome.ok ? 'ok' : 'bad'}`;
    $('outcome').dataset.ok = String(Boolean(outcome.ok));
    $('outcome').textContent = outcome.text ?? '';
  }
}

function drawControls(flow) {
  const a = availability(flow.id);
  const run = demo.runs[flow.id];
  if (flow.id === 'pkce' && run.get('mode')) {
    // The options this run was started with (restored after the redirect).
    const radio = document.querySelector(`input[name="pkce-mode"][value="${run.get('mode')}"]`);
    if (radio && !radio.checked) radio.checked = true;
    $('attacker').checked = Boolean(run.get('attacker'));
    $('opt-par').checked = Boolean(run.get('par'));
    $('opt-dpop').checked = Boolean(run.get('dpop'));
  }
  // The options need the demo's auth server, which offers both.
  $('opt-par').disabled = !config?.options?.par;
  $('opt-dpop').disabled = !config?.options?.dpop;
  const busy = run.get('busy') && !run.state.outcome;
  $('run').disabled = !a.available || Boolean(busy);
  $('run').textContent = a.available ? (run.state.entries.length ? 'Run again' : 'Run this flow') : 'Not available in this build yet';
  $('run').dataset.available = String(a.available);
  $('run-note').textContent = a.available ? '' : `${capital(a.message)}${a.reason ? ` — ${a.reason}.` : '.'}`;
  $('run-note').className = a.available ? 'note' : 'note warn';
  $('cancel').hidden = !(flow.id === 'device' && busy);
  $('pkce-options').hidden = flow.id !== 'pkce';
}

const capital = (s) => (s ? s[0].toUpperCase() + s.slice(1) : '');

function drawPanes(run) {
  for (const pane of document.querySelectorAll('.panes')) pane.hidden = pane.dataset.for !== run.flow.id;
  if (run.flow.id === 'pkce') drawPkcePane(run);
  if (run.flow.id === 'device') drawDevicePane(run);
  if (run.flow.id === 'confidential') {
    $('cookie-view').textContent = `Right now, document.cookie here reads “${document.cookie || '(empty)'}”.`;
  }
}

function select(id) {
  const flow = flowById(id) ?? flowById('pkce');
  demo.selected = flow.id;
  if (location.hash !== `#${flow.id}`) history.replaceState(history.state, '', `${location.pathname}${location.search}#${flow.id}`);
  for (const card of document.querySelectorAll('#flow-picker .card')) card.setAttribute('aria-checked', String(card.dataset.flow === flow.id));
  $('flow').dataset.flow = flow.id;
  $('flow-name').textContent = flow.name;
  $('flow-summary').textContent = flow.summary;
  $('actors').replaceChildren(...flow.actors.flatMap(([name, arrow]) => [
    el('span', { class: 'actor' }, name), arrow ? el('span', { class: 'arrow', 'aria-hidden': 'true' }, ` ${arrow} `) : null,
  ].filter(Boolean)));
  bind(demo.runs[flow.id]);
}

function bind(run) {
  for (const off of unbind) off();
  const redraw = () => {
    drawSteps(run);
    drawControls(run.flow);
    drawPanes(run);
    drawResults();
  };
  unbind = [
    mountLog($('log'), run.log, { empty: 'Nothing yet. Press “Run this flow”.' }),
    run.onChange(redraw),
  ];
  redraw();
}

function newRun(id) {
  const run = createRun(flowById(id));
  demo.runs[id] = run;
  if (demo.selected === id) bind(run);
  return run;
}

// ---- PKCE panes ----
function drawPkcePane(run) {
  const p = run.get('pkce') ?? {};
  $('run-challenge').textContent = p.challenge ?? '— no run yet';
  $('run-verifier').textContent = p.verifier ?? '— not sent yet';
  $('run-recomputed').textContent = p.recomputed ?? '—';
  const check = $('run-pkce-check');
  if (p.recomputed) {
    check.className = `check ${p.matches ? 'ok' : 'bad'}`;
    check.textContent = p.matches
      ? `✓ The verifier sent at step 5 hashes to the challenge sent at step 2${p.secretSent ? '' : ', and no client secret was sent'}. The server did the same check before it issued tokens.`
      : '✕ The verifier sent does not hash to the challenge sent at step 2.';
  } else {
    check.className = 'check';
    check.textContent = '';
  }
  const reload = run.get('reloaded');
  if (reload) $('storage-view').replaceChildren(el('p', { class: 'muted' }, 'This page was reloaded after that run: its tokens lived only in the wasm core’s memory, and went with the page.'));
  drawRefresh();
}

function drawDpopPane(run) {
  $('dpop-pane').hidden = !run.get('dpop');
  const tokenType = run.get('tokenType');
  const summary = $('dpop-summary');
  if (tokenType) {
    const bound = tokenType.toLowerCase() === 'dpop';
    summary.className = `check ${bound ? 'ok' : 'bad'}`;
    summary.textContent = bound
      ? `✓ The token endpoint answered token_type ${tokenType}${run.get('nonceDemanded') ? ', after asking once for its DPoP-Nonce' : ''}. The proofs are decoded in the log: public key only.`
      : `✕ The token endpoint answered token_type ${tokenType}.`;
  } else {
    summary.className = 'check';
    summary.textContent = '';
  }
  $('dpop-steal').disabled = !(demo.pkceClient && !demo.pkceEnded && String(tokenType).toLowerCase() === 'dpop');
}

function drawRefresh() {
  drawDpopPane(demo.runs.pkce);
  const can = pkce.canRefresh(demo.pkceClient) && !demo.pkceEnded;
  $('refresh-now').disabled = !can;
  $('refresh-replay').disabled = !pkce.canReplay(demo.pkceClient);
  if (!demo.refreshOutcome) {
    $('refresh-note').textContent = can
      ? (pkce.canReplay(demo.pkceClient) ? 'An attacker copied the refresh token that this refresh retired. Replay it?' : 'Refresh once; the attacker copies the refresh token it sends.')
      : 'Log in with the PKCE flow first (in this page: its tokens are in this page’s wasm core).';
  }
  const fps = demo.runs.pkce.get('refreshFingerprints') ?? [];
  $('refresh-view').replaceChildren(...fps.flatMap((fp, i) => [el('dt', {}, i === 0 ? 'from the login' : `after refresh ${i}`), el('dd', {}, `sha256 ${fp}`)]));
}

async function drawStorage() {
  const snap = await pkce.storageSnapshot(demo.pkceClient);
  demo.lastStorage = snap;
  const list = (title, items) => el('div', { class: 'store' },
    el('p', { class: 'store-title' }, title),
    items.length
      ? el('ul', {}, ...items.map((i) => el('li', {}, el('code', {}, i.key), ` ${i.bytes} bytes${i.what ? ` — ${i.what}` : ''}`)))
      : el('p', { class: 'muted' }, 'empty'));
  const verdict = snap.tokenFound || snap.jwtFound
    ? el('p', { class: 'check bad' }, '✕ A token is in web storage!')
    : el('p', { class: 'check ok', id: 'storage-verdict' }, snap.tokenChecked
      ? '✓ The access token is in none of these (checked against the real token, read through getAccessToken for this check only), and nothing JWT-shaped is either.'
      : '✓ Nothing JWT-shaped here. (No login in this page right now, so there is no token to compare against.)');
  $('storage-view').replaceChildren(
    list('localStorage', snap.local),
    list('sessionStorage', snap.session),
    list('cookies page script can read', snap.cookies.map((key) => ({ key, bytes: 0, what: '' }))),
    verdict);
}

// ---- device panes ----
let shownCode = null;
function drawDevicePane(run) {
  const d = run.get('device');
  const poll = run.get('poll');
  const screen = $('device-screen');
  if (d && run.state.outcome) {
    screen.replaceChildren(
      el('p', { class: 'screen-code' }, run.state.outcome.ok ? '✓' : '✕'),
      el('p', { class: 'screen-small' }, run.state.outcome.ok ? 'Signed in. The code has done its job.' : 'The sign-in did not finish.'));
    $('phone-open').disabled = true;
  } else if (d) {
    screen.replaceChildren(
      el('p', { class: 'screen-small' }, 'On your phone, go to'),
      el('p', { class: 'screen-url' }, d.verificationUri),
      el('p', { class: 'screen-small' }, 'and enter'),
      el('p', { class: 'screen-code', id: 'device-user-code' }, d.userCode));
    $('phone-open').disabled = Boolean(run.state.outcome);
    $('phone-text').textContent = `Open ${d.verificationUri} and enter ${d.userCode}.`;
    // A new code comes into view at once (the panes sit just under Run): the user need not scroll.
    if (shownCode !== d.userCode) $('pane-device').scrollIntoView({ block: 'nearest' });
    shownCode = d.userCode;
  } else {
    screen.replaceChildren(el('p', { class: 'screen-idle' }, 'Idle. Run the flow to get a code.'));
    $('phone-open').disabled = true;
  }
  $('device-poll').textContent = poll
    ? `Poll ${poll.n}: ${poll.result}${run.state.outcome ? '' : ' — still asking every few seconds'}`
    : '';
}

// ---- results of the refusal demos ----
function drawResults() {
  const run = demo.runs.pkce;
  if (run.get('forged') && run.state.outcome) {
    const o = run.state.outcome;
    $('forge-result').className = `result ${o.ok ? 'bad' : 'ok'}`;
    $('forge-result').textContent = o.ok ? 'The forged callback was accepted!'
      : `Refused by the core: ${o.code} — no token request was made.`;
    $('forge-result').dataset.code = o.code ?? '';
  }
  const attack = run.get('attack');
  if (attack) {
    const exchanged = run.stepState(5) === 'done';
    $('attack-result').className = `result ${attack.status >= 400 ? 'ok' : 'bad'}`;
    $('attack-result').textContent = `The thief got HTTP ${attack.status} ${attack.error ?? ''}${attack.description ? ` (${attack.description})` : ''}.`
      + (exchanged ? ' The app’s own exchange, with the verifier, then succeeded.' : '');
    $('attack-result').dataset.error = attack.error ?? '';
  }
}

// ---- actions ----
$('run').addEventListener('click', async () => {
  const id = demo.selected;
  if (!availability(id).available) return;
  if (id === 'pkce') return runPkce();
  return runServerFlow(id);
});

async function runPkce() {
  const mode = document.querySelector('input[name="pkce-mode"]:checked')?.value ?? 'redirect';
  const attacker = mode === 'redirect' && $('attacker').checked;
  const par = $('opt-par').checked && !$('opt-par').disabled;
  const dpop = $('opt-dpop').checked && !$('opt-dpop').disabled;
  demo.pkceClient = null;
  demo.refreshOutcome = null;
  demo.pkceEnded = false;
  const run = newRun('pkce');
  pkce.persist(run);
  run.set('attacker', attacker);
  run.set('mode', mode);
  run.set('par', par);
  run.set('dpop', dpop);
  run.set('busy', true);
  watchRefreshFingerprints(run);
  try {
    if (mode === 'popup') {
      demo.pkceClient = await pkce.startPopup(config, run);
      if (demo.pkceClient) await drawStorage();
    } else {
      await pkce.startRedirect(config, run);
    }
  } catch (e) {
    run.outcome({ ok: false, code: e.code, text: `${e.code ?? 'error'}: ${e.description ?? e.message}` });
  }
}

function watchRefreshFingerprints(run) {
  // Fingerprints are read back from the log, where they were computed as the responses passed.
  run.log.onEntry((entry) => {
    const rt = entry.kind === 'response' && entry.params?.find(([k]) => k === 'refresh_token');
    const fp = rt && /sha256 ([0-9a-f]{6})/.exec(rt[1])?.[1];
    if (fp) run.set('refreshFingerprints', [...(run.get('refreshFingerprints') ?? []), fp]);
  });
}

let currentServerRun = null;

async function runServerFlow(id) {
  const run = newRun(id);
  run.set('busy', true);
  try {
    const started = await startServerRun(id, run, { lost: () => run.outcome({ ok: false, text: 'Lost the connection to the demo server.' }) });
    if (started.unavailable) {
      demo.runs[id] = createRun(flowById(id));
      bind(demo.runs[id]);
      $('run-note').textContent = `${capital(started.message)} — ${started.reason}.`;
      $('run-note').className = 'note warn';
      return;
    }
    currentServerRun = started.id;
  } catch (e) {
    run.outcome({ ok: false, text: e.message });
  }
}

$('cancel').addEventListener('click', () => { if (currentServerRun) cancelServerRun(currentServerRun); });
$('phone-open').addEventListener('click', () => {
  const d = demo.runs.device.get('device');
  if (d?.verificationUri) window.open(d.verificationUri, '_blank', 'noopener');
});
$('storage-refresh').addEventListener('click', () => drawStorage());
$('refresh-now').addEventListener('click', async () => {
  if (!pkce.canRefresh(demo.pkceClient)) return;
  demo.refreshOutcome = null;
  try {
    await demo.pkceClient.refresh();
  } catch (e) {
    demo.refreshOutcome = `${e.code}: ${e.description}`;
    $('refresh-note').textContent = demo.refreshOutcome;
  }
  drawRefresh();
});
$('refresh-replay').addEventListener('click', async () => {
  if (!pkce.canReplay(demo.pkceClient)) return;
  const client = demo.pkceClient;
  let expired = null;
  const off = client.on('session_expired', (e) => { expired = e; });
  const r = await pkce.replayOldRefreshToken(config, demo.runs.pkce, client).finally(off);
  const note = $('refresh-note');
  note.dataset.replay = String(r.replayStatus);
  note.dataset.client = r.clientError ?? 'refreshed';
  note.dataset.event = expired ? 'session_expired' : '';
  demo.pkceEnded = Boolean(expired);
  // A DPoP-bound refresh token (RFC 9449 §5) is refused without a proof of its key.
  const bound = String(demo.runs.pkce.get('tokenType')).toLowerCase() === 'dpop' && r.replayStatus === 400 && !r.clientError;
  demo.refreshOutcome = expired
    ? `The server refused the replayed token (${r.replayStatus} ${r.replayError}) and revoked the whole family: the client’s own refresh with its newest token was refused too, so the core wiped the tokens and fired session_expired. Log in again to start a new family.`
    : bound
      ? `The server refused the replayed token (${r.replayStatus} ${r.replayError}): it is bound to this session’s DPoP key and came without a proof of it. The family was left alone, and the client’s own refresh, with a proof, succeeded. OAuth 2.1 accepts sender-constrained refresh tokens for public clients in place of rotation.`
      : `The replay got ${r.replayStatus} ${r.replayError ?? ''}; the client’s next refresh: ${r.clientError ?? 'succeeded'}.`;
  note.className = `note ${expired || bound ? 'ok' : 'warn'}`;
  note.textContent = demo.refreshOutcome;
  drawRefresh();
});
$('dpop-steal').addEventListener('click', async () => {
  const client = demo.pkceClient;
  if (!client) return;
  const out = $('dpop-result');
  try {
    const tries = await pkce.replayAccessTokenWithoutKey(config, demo.runs.pkce, client);
    const refused = tries.every((t) => t.status === 401);
    out.className = `result ${refused ? 'ok' : 'bad'}`;
    out.dataset.statuses = tries.map((t) => t.status).join(' ');
    out.textContent = tries.map((t) => `As ${t.as}: HTTP ${t.status} ${t.error ?? ''}`.trim()).join(' · ')
      + (refused ? '. Without the private key the token opens nothing; the app’s own calls still work.' : '.');
  } catch (e) {
    out.className = 'result bad';
    out.textContent = `${e.code ?? 'error'}: ${e.description ?? e.message}`;
  }
});
$('forge').addEventListener('click', () => pkce.forgeCallback());
$('implicit').addEventListener('click', async () => {
  const out = $('implicit-result');
  if (!config) {
    out.textContent = 'Needs the demo server (make demo).';
    return;
  }
  out.textContent = 'Asking…';
  try {
    const r = await pkce.tryImplicit(config);
    out.className = `result ${r.refused ? 'ok' : 'bad'}`;
    out.dataset.code = r.code ?? '';
    out.textContent = r.refused
      ? `Refused by the core: ${r.code} — ${r.description}. No URL was built, nothing was stored, the page did not move.`
      : `Not refused: the client built ${r.url}.`;
  } catch (e) {
    out.className = 'result bad';
    out.textContent = `${e.code ?? 'error'}: ${e.description ?? e.message}`;
  }
});

// ---- static parts ----
mountDecisionHelper($('decide-box'), {
  flowName: (id) => flowById(id).name,
  onPick: (id) => {
    select(id);
    $('flow').scrollIntoView({ behavior: 'smooth', block: 'start' });
  },
});
$('oauth21-rows').replaceChildren(...OAUTH21.map(([topic, before, after]) => el('tr', {},
  el('th', { scope: 'row' }, topic), el('td', {}, before), el('td', {}, after))));

async function showSample() {
  const pair = await pkce.samplePair();
  $('verifier').textContent = pair.verifier;
  $('challenge').textContent = pair.challenge;
  $('sample-check').className = `check ${pair.agrees ? 'ok' : 'bad'}`;
  $('sample-check').textContent = pair.agrees
    ? '✓ Your browser’s own WebCrypto computes the same challenge from this verifier.'
    : '✕ WebCrypto disagrees with the core.';
}
$('again').addEventListener('click', showSample);
showSample();

// ---- where this page load comes from ----
drawPicker();
const hashFlow = flowById(location.hash.slice(1))?.id;

if (location.pathname === '/callback' && config) {
  // Back from the auth server (or a forged link): finish the PKCE run in this page.
  const forged = pkce.takeForgeFlag();
  const saved = forged ? null : pkce.savedRun();
  const run = createRun(flowById('pkce'), saved);
  demo.runs.pkce = run;
  pkce.persist(run);
  if (forged) run.set('forged', true);
  watchRefreshFingerprints(run);
  select('pkce');
  demo.pkceClient = await pkce.handleCallback(config, run, { attacker: Boolean(run.get('attacker')) });
  history.replaceState(null, '', '/#pkce');
  if (demo.pkceClient && (await demo.pkceClient.isAuthenticated())) await drawStorage();
  drawRefresh();
  if (forged) $('attacks').scrollIntoView({ block: 'start' });
} else if (new URLSearchParams(location.search).has('run') && config) {
  // Back from the confidential flow's server-side callback: replay the run's events.
  const id = new URLSearchParams(location.search).get('run');
  let flowId = hashFlow ?? 'confidential';
  try {
    flowId = JSON.parse(sessionStorage.getItem(SERVER_RUN_KEY) ?? '{}').flow ?? flowId;
  } catch { /* keep the hash's */ }
  const run = createRun(flowById(flowId));
  demo.runs[flowId] = run;
  run.set('busy', true);
  follow(id, run, {});
  currentServerRun = id;
  history.replaceState(null, '', `/#${flowId}`);
  select(flowId);
} else {
  const saved = pkce.savedRun();
  if (saved) {
    // A run recorded before this reload: its log stays readable; its tokens are gone with the page.
    const run = createRun(flowById('pkce'), saved);
    if (run.state.outcome?.ok) run.set('reloaded', true);
    demo.runs.pkce = run;
    pkce.persist(run);
  }
  select(hashFlow ?? 'pkce');
}
document.body.dataset.ready = '1';
