// The console: sign in with an API key, then one view at a time by the URL's hash (#/tasks, #/tasks/<id>, #/bulk,
// #/batches, #/batches/<id>). The hash names what is shown, never the key.

import {apiClient} from './api.js';
import {h, replace} from './dom.js';
import {session} from './session.js';
import {toast} from './ui.js';
import {signInView} from './views/sign-in.js';
import {tasksView} from './views/tasks.js';
import {taskView} from './views/task.js';
import {bulkView} from './views/bulk.js';
import {batchesView} from './views/batches.js';
import {batchView} from './views/batch.js';

const root = document.getElementById('app');
let unmount = null;
let shell = null;

const api = apiClient(() => session.key(), error => {
  // The key stopped working while signed in (revoked, rotated): back to the sign-in, saying why.
  session.signOut();
  render(`Signed out: ${error.message}`);
});

const live = {
  ok() {
    if (shell) {
      shell.live.className = 'live live-ok';
      shell.live.title = '';
      replace(shell.live, h('span', {class: 'live-dot'}), 'Live · ',
        new Date().toLocaleTimeString(undefined, {hour12: false}));
    }
  },
  failed(error) {
    if (shell) {
      shell.live.className = 'live live-failed';
      replace(shell.live, h('span', {class: 'live-dot'}), 'Not updating');
      shell.live.title = error.message;
    }
  },
};

/** The route the hash names: its path segments and its query. */
function route() {
  const hash = window.location.hash.replace(/^#\/?/, '');
  const at = hash.indexOf('?');
  const path = (at < 0 ? hash : hash.slice(0, at)).split('/').filter(Boolean).map(decodeURIComponent);
  return {path, params: new URLSearchParams(at < 0 ? '' : hash.slice(at + 1))};
}

function go(hash) {
  if (window.location.hash === hash) {
    render();
  } else {
    window.location.hash = hash;
  }
}

const VIEWS = [
  {match: p => p.length === 0 || (p[0] === 'tasks' && p.length === 1), view: tasksView, nav: 'tasks'},
  {match: p => p[0] === 'tasks' && p.length === 2, view: taskView, nav: 'tasks'},
  {match: p => p[0] === 'bulk' && p.length === 1, view: bulkView, nav: 'bulk'},
  {match: p => p[0] === 'batches' && p.length === 1, view: batchesView, nav: 'batches'},
  {match: p => p[0] === 'batches' && p.length === 2, view: batchView, nav: 'batches'},
];

function layout() {
  const link = (nav, href, text) => h('a', {href, class: 'nav-link', dataset: {nav}, testid: `nav-${nav}`}, text);
  const liveBadge = h('span', {class: 'live', testid: 'live'});
  const main = h('main', {class: 'main', id: 'main'});
  const element = h('div', {class: 'shell'},
    h('header', {class: 'topbar'},
      h('a', {href: '#/tasks', class: 'brand'}, h('img', {src: 'icon.svg', alt: '', width: 24, height: 24}),
        h('span', {class: 'brand-name'}, 'quench'), h('span', {class: 'brand-tag'}, 'console')),
      h('nav', {class: 'nav', 'aria-label': 'views'},
        link('tasks', '#/tasks', 'Tasks'), link('bulk', '#/bulk', 'Bulk cancel'),
        link('batches', '#/batches', 'Batches')),
      h('div', {class: 'topbar-end'}, liveBadge,
        h('a', {href: '/swagger-ui.html', class: 'topbar-link', target: '_blank', rel: 'noopener'}, 'API docs'),
        h('button', {type: 'button', class: 'button button-ghost', testid: 'sign-out', onclick: () => {
          session.signOut();
          render();
        }}, 'Sign out'))),
    main);
  return {element, main, live: liveBadge};
}

function render(signInMessage) {
  unmount?.();
  unmount = null;
  if (!session.signedIn()) {
    shell = null;
    replace(root, signInView({api, message: signInMessage, done: key => {
      session.signIn(key);
      render();
    }}));
    return;
  }
  if (!shell) {
    shell = layout();
    replace(root, shell.element);
  }
  const current = route();
  const found = VIEWS.find(v => v.match(current.path)) ?? VIEWS[0];
  shell.element.querySelectorAll('.nav-link').forEach(a => a.classList.toggle('active', a.dataset.nav === found.nav));
  shell.main.replaceChildren();
  window.scrollTo(0, 0);
  unmount = found.view(shell.main, {api, go, live, toast}, current);
}

window.addEventListener('hashchange', () => render());
render();
