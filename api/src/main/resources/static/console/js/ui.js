// Pieces every view uses: the error alert in the api's words, the confirmation dialog, and toasts.

import {h, replace} from './dom.js';

/** An alert showing an ApiError as the api put it: its message, and the request id to quote to whoever runs it. */
export function alert(error) {
  return h('div', {class: 'alert', role: 'alert', testid: 'error'},
    h('span', {class: 'alert-message', testid: 'error-message'}, error.message),
    error.code && error.code !== 'unexpected_answer' ? h('code', {class: 'alert-code'}, error.code) : null,
    error.requestId ? h('span', {class: 'alert-ref'}, 'request ', h('code', null, error.requestId)) : null);
}

/** A slot that shows an alert, or nothing. */
export function alertSlot() {
  const element = h('div', {class: 'alert-slot'});
  return {
    element,
    show: error => replace(element, alert(error)),
    clear: () => element.replaceChildren(),
  };
}

/**
 * A modal confirmation. The confirm button carries data-testid "confirm"; the dialog is in the page only while it
 * is open, so there is never a second one.
 *
 * @param onConfirm async; its error is shown in the dialog, which stays open; its success closes it
 */
export function confirmDialog({title, body = [], confirmLabel, busyLabel, cancelLabel = 'Back', onConfirm}) {
  const errors = alertSlot();
  const confirm = h('button', {type: 'submit', class: 'button button-danger', testid: 'confirm'}, confirmLabel);
  const back = h('button', {type: 'button', class: 'button button-quiet', onclick: () => dialog.close()},
    cancelLabel);
  const form = h('form', {class: 'dialog-form', novalidate: true},
    h('h2', {class: 'dialog-title'}, title), body, errors.element, h('div', {class: 'dialog-actions'}, back, confirm));
  const dialog = h('dialog', {class: 'dialog', testid: 'dialog'}, form);
  form.addEventListener('submit', async event => {
    event.preventDefault();
    confirm.disabled = true;
    confirm.textContent = busyLabel ?? confirmLabel;
    errors.clear();
    try {
      await onConfirm();
      dialog.close();
    } catch (error) {
      errors.show(error);
      confirm.disabled = false;
      confirm.textContent = confirmLabel;
    }
  });
  dialog.addEventListener('close', () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  return dialog;
}

let toasts = null;

/** A short note in the corner that goes away by itself. */
export function toast(text, kind = 'info') {
  if (!toasts || !toasts.isConnected) {
    toasts = h('div', {class: 'toasts', role: 'status'});
    document.body.append(toasts);
  }
  const note = h('div', {class: `toast toast-${kind}`, testid: 'toast'}, text);
  toasts.append(note);
  setTimeout(() => note.remove(), 4000);
}
