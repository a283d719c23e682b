// Sign in: the key is checked with one listing before it is kept; a refusal shows the api's own message.

import {h} from '../dom.js';
import {alertSlot} from '../ui.js';

export function signInView({api, message, done}) {
  const errors = alertSlot();
  const key = h('input', {type: 'password', id: 'api-key', name: 'api-key', testid: 'api-key', required: true,
    autocomplete: 'off', spellcheck: 'false', placeholder: 'qk_…', 'aria-describedby': 'api-key-help'});
  const button = h('button', {type: 'submit', class: 'button button-primary button-wide', testid: 'sign-in'},
    'Sign in');
  const form = h('form', {class: 'sign-in-form', novalidate: true},
    h('label', {class: 'field', for: 'api-key'}, h('span', {class: 'field-label'}, 'API key'), key),
    h('p', {class: 'hint', id: 'api-key-help'}, 'Kept in this browser tab only, and sent to this api alone as ',
      h('code', null, 'Authorization: Bearer'), '. Closing the tab forgets it.'),
    errors.element,
    button);
  if (message) {
    errors.show({message});
  }
  form.addEventListener('submit', async event => {
    event.preventDefault();
    const value = key.value.trim();
    if (!value) {
      errors.show({message: 'Enter an API key.'});
      key.focus();
      return;
    }
    button.disabled = true;
    button.textContent = 'Signing in…';
    errors.clear();
    try {
      await api.check(value);
      done(value);
    } catch (error) {
      errors.show(error);
      button.disabled = false;
      button.textContent = 'Sign in';
      key.select();
    }
  });
  queueMicrotask(() => key.focus());
  return h('div', {class: 'sign-in', testid: 'sign-in-view'},
    h('div', {class: 'sign-in-card'},
      h('div', {class: 'sign-in-brand'}, h('img', {src: 'icon.svg', alt: '', width: 40, height: 40}),
        h('div', null, h('h1', {class: 'sign-in-title'}, 'quench console'),
          h('p', {class: 'sign-in-sub'}, 'Watch tasks, cancel them, follow every cancellation.'))),
      form),
    h('p', {class: 'sign-in-foot'}, 'The embedded default prints its demo key at start. ',
      h('a', {href: '/swagger-ui.html', target: '_blank', rel: 'noopener'}, 'API reference')));
}
