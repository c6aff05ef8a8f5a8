// "Which flow should I use?" — a question path that ends at one of the four flows.

export const TREE = {
  start: {
    question: 'What kind of client makes the request?',
    answers: [
      { id: 'service', text: 'No user — a service acting for itself (cron job, CI, backend-to-backend)', next: 'client-credentials' },
      { id: 'user', text: 'A user signs in to my app', next: 'where' },
    ],
  },
  where: {
    question: 'Where does the user sign in?',
    answers: [
      { id: 'device', text: 'On a device without a usable browser or keyboard (TV, CLI, IoT)', next: 'device' },
      { id: 'app', text: 'In a browser, or in an app with one', next: 'secret' },
    ],
  },
  secret: {
    question: 'Where does the code that talks to the auth server run?',
    answers: [
      { id: 'public', text: 'In the browser, on a phone or a desktop — anyone can inspect it', next: 'pkce' },
      { id: 'backend', text: 'On a backend I control, which can keep a secret', next: 'confidential' },
    ],
  },
};

export const VERDICTS = {
  'client-credentials': 'No user means no login: the service proves who it is with its own secret and gets a token for itself.',
  device: 'The device shows a short code; the user signs in on a phone or laptop while the device polls for the result.',
  pkce: 'Code that anyone can read cannot keep a secret. PKCE binds the code to a verifier that never leaves the client, so a stolen code is useless.',
  confidential: 'Your backend keeps the client secret and the tokens; the browser only gets a session cookie. Use PKCE as well: OAuth 2.1 requires it for every code grant.',
};

// Mounts the helper in `root`; `onPick(flowId)` selects a flow in the picker.
export function mountDecisionHelper(root, { flowName, onPick }) {
  const path = [];
  const draw = () => {
    const node = path.length ? path[path.length - 1].next : 'start';
    root.replaceChildren();
    if (path.length) {
      const crumbs = document.createElement('ol');
      crumbs.className = 'decide-path';
      for (const step of path) {
        const li = document.createElement('li');
        li.textContent = step.text;
        crumbs.append(li);
      }
      root.append(crumbs);
    }
    const question = TREE[node];
    if (question) {
      const h = document.createElement('p');
      h.className = 'decide-question';
      h.textContent = question.question;
      const list = document.createElement('div');
      list.className = 'decide-answers';
      for (const answer of question.answers) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'answer';
        b.dataset.answer = answer.id;
        b.textContent = answer.text;
        b.addEventListener('click', () => { path.push(answer); draw(); });
        list.append(b);
      }
      root.append(h, list);
    } else {
      const box = document.createElement('div');
      box.className = 'decide-result';
      box.dataset.flow = node;
      const name = document.createElement('p');
      name.className = 'decide-flow';
      name.textContent = flowName(node);
      const why = document.createElement('p');
      why.textContent = VERDICTS[node];
      const show = document.createElement('button');
      show.type = 'button';
      show.id = 'decide-show';
      show.className = 'primary';
      show.textContent = `Show me ${flowName(node)}`;
      show.addEventListener('click', () => onPick(node));
      box.append(name, why, show);
      root.append(box);
    }
    if (path.length) {
      const actions = document.createElement('div');
      actions.className = 'decide-actions';
      const back = document.createElement('button');
      back.type = 'button';
      back.id = 'decide-back';
      back.textContent = 'Back';
      back.addEventListener('click', () => { path.pop(); draw(); });
      const restart = document.createElement('button');
      restart.type = 'button';
      restart.id = 'decide-restart';
      restart.textContent = 'Start over';
      restart.addEventListener('click', () => { path.length = 0; draw(); });
      actions.append(back, restart);
      root.append(actions);
    }
  };
  draw();
}
