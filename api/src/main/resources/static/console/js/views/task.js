// A task's timeline: where it stands, its steps, and every cancel request with who asked, why, what the api found
// and what came of it (the audit); cancel it with a reason.

import {ApiError, idempotencyKey} from '../api.js';
import {badge, bar, duration, empty, facts, h, mono, replace, time} from '../dom.js';
import {followSteps, label} from '../timeline-source.js';
import {poll} from '../poll.js';
import {alertSlot, confirmDialog} from '../ui.js';
import {statusCell} from './tasks.js';

const TERMINAL = ['completed', 'failed', 'cancelled'];

function json(value) {
  return h('pre', {class: 'json'}, JSON.stringify(value, null, 2));
}

function stepsList(steps) {
  if (steps.length === 0) {
    return empty('No steps yet', null);
  }
  const start = Date.parse(steps[0].at);
  return h('ol', {class: 'steps', testid: 'timeline'}, steps.map(step => h('li', {
    class: `step step-${step.status}`, testid: 'timeline-step', dataset: {type: step.type}},
  h('span', {class: 'step-dot', 'aria-hidden': 'true'}),
  h('div', {class: 'step-body'},
    h('div', {class: 'step-head'}, h('span', {class: 'step-title'}, label(step.type)), time(step.at),
      step.type === 'task.submitted' ? null : h('span', {class: 'muted step-offset'},
        `+${duration(Date.parse(step.at) - start)}`)),
    step.message ? h('p', {class: 'step-message'}, step.message) : null))));
}

function cancellationsList(audit) {
  if (audit.requests.length === 0) {
    return empty('No cancel requests', 'Every request to cancel this task, and what came of it, shows up here.');
  }
  const meta = (label, value) => h('span', {class: 'request-meta'}, h('span', {class: 'muted'}, label), value);
  return h('ol', {class: 'requests', testid: 'cancellations'}, audit.requests.map(request => h('li', {
    class: 'request', testid: 'cancel-request', dataset: {requestId: request.request_id}},
  h('div', {class: 'request-head'},
    badge(request.outcome, {testid: 'cancel-outcome'}),
    h('span', {class: 'request-reason', testid: 'cancel-request-reason'},
      request.reason ?? h('span', {class: 'muted'}, 'no reason given'))),
  h('div', {class: 'request-facts'},
    meta('by', h('code', {class: 'mono', testid: 'cancel-requested-by'}, request.requested_by)),
    meta('at', time(request.requested_at)),
    request.found_status ? meta('found it', badge(request.found_status)) : null,
    request.batch_id ? meta('batch', h('a', {href: `#/batches/${encodeURIComponent(request.batch_id)}`,
      class: 'id-link'}, mono(request.batch_id, {short: true}))) : null,
    meta('request', mono(request.request_ref, {short: true}))))));
}

export function taskView(main, {api, live, toast}, route) {
  const taskId = route.path[1];
  const path = `/v1/tasks/${encodeURIComponent(taskId)}`;
  const errors = alertSlot();
  const auditErrors = alertSlot();
  const header = h('div', {class: 'task-head', testid: 'task-detail'}, h('div', {class: 'loading'}, 'Loading task…'));
  const details = h('div', {class: 'task-facts'});
  const steps = h('div', {class: 'card-body', testid: 'timeline-panel'}, h('div', {class: 'loading'}, 'Loading…'));
  const audit = h('div', {class: 'card-body', testid: 'cancellations-panel'},
    h('div', {class: 'loading'}, 'Loading…'));
  let task = null;

  function openCancel() {
    const reason = h('textarea', {testid: 'cancel-reason', rows: 3, maxlength: 1000,
      placeholder: 'Why it is being cancelled (kept in the audit)', 'aria-label': 'reason'});
    const key = idempotencyKey();
    confirmDialog({
      title: 'Cancel this task?',
      body: [
        h('p', {class: 'dialog-text'}, task.status === 'queued'
          ? 'It is queued: it is removed and never starts.'
          : 'It is running: its handler is told to stop at once, and interrupted after the grace period.'),
        h('label', {class: 'field'}, h('span', {class: 'field-label'}, 'Reason'), reason)],
      confirmLabel: 'Cancel task',
      busyLabel: 'Cancelling…',
      cancelLabel: 'Keep it',
      onConfirm: async () => {
        const text = reason.value.trim();
        const answer = await api.post(`${path}/cancel`, text ? {reason: text} : {}, {idempotencyKey: key});
        toast(answer.status === 202 ? 'Cancel requested: the task is stopping.'
          : `The task had already ended: ${answer.body.status}.`, 'ok');
        poller.refresh();
        follow.refresh();
      },
    });
    reason.focus();
  }

  function showTask(next) {
    task = next;
    errors.clear();
    const stoppable = !TERMINAL.includes(task.status);
    replace(header,
      h('div', {class: 'task-title'},
        h('a', {href: '#/tasks', class: 'back'}, '← Tasks'),
        h('h1', {class: 'page-title'}, h('code', {class: 'mono mono-title', testid: 'task-id'}, task.task_id)),
        statusCell(task)),
      h('div', {class: 'page-actions'}, stoppable
        ? h('button', {type: 'button', class: 'button button-danger', testid: 'cancel-button', onclick: openCancel},
          task.cancel_requested_at ? 'Cancel again…' : 'Cancel task…')
        : null));
    const ran = task.started_at && task.completed_at
      ? duration(Date.parse(task.completed_at) - Date.parse(task.started_at)) : null;
    replace(details,
      facts([
        ['Capability', task.capability],
        ['Model', task.resolved_model ?? task.model],
        ['Created', time(task.created_at)],
        ['Started', task.started_at ? time(task.started_at) : null],
        ['Ended', task.completed_at ? h('span', null, time(task.completed_at), ran ? h('span', {class: 'muted'},
          ` · ran ${ran}`) : null) : null],
        ['Cancel requested', task.cancel_requested_at ? time(task.cancel_requested_at) : null],
        ['Progress', stoppable ? h('span', {class: 'progress-cell'}, bar(task.progress?.percent ?? 0),
          h('span', {class: 'muted'}, `${task.progress?.percent ?? 0}%`,
            task.progress?.message ? ` · ${task.progress.message}` : '')) : null],
        ['Parent', task.parent_task_id ? h('a', {href: `#/tasks/${encodeURIComponent(task.parent_task_id)}`,
          class: 'id-link'}, mono(task.parent_task_id, {short: true})) : null],
        [stoppable ? 'Reserved' : 'Charged', task.billing ? `${task.billing.charged_credits} credits` : null],
        ['Refunded', task.billing && task.billing.refunded_credits !== '0' ? `${task.billing.refunded_credits} credits`
          : null],
      ]),
      Object.keys(task.metadata ?? {}).length ? h('div', {class: 'meta-row'}, h('span', {class: 'field-label'},
        'Metadata'), h('span', {class: 'tags'}, Object.entries(task.metadata).map(([name, value]) =>
        h('span', {class: 'tag'}, h('span', {class: 'tag-key'}, name), value)))) : null,
      task.error ? h('div', {class: 'task-error', testid: 'task-error'}, h('code', null, task.error.code), ' ',
        task.error.message) : null,
      (task.warnings ?? []).map(w => h('div', {class: 'task-warning'}, h('code', null, w.code), ' ', w.message)),
      h('div', {class: 'payloads'},
        h('details', null, h('summary', null, 'Input'), json(task.input)),
        task.output != null ? h('details', null, h('summary', null, 'Output'), json(task.output)) : null));
  }

  const poller = poll(async () => {
    const [next, cancellations] = await Promise.allSettled([api.get(path), api.get(`${path}/cancellations`)]);
    if (next.status === 'rejected') {
      throw next.reason;
    }
    showTask(next.value);
    if (cancellations.status === 'fulfilled') {
      auditErrors.clear();
      replace(audit, cancellationsList(cancellations.value));
    } else if (cancellations.reason instanceof ApiError && cancellations.reason.status === 403) {
      // A key without audit:read still sees the task; the audit says what it lacks.
      replace(audit, auditErrors.element);
      auditErrors.show(cancellations.reason);
    } else {
      throw cancellations.reason;
    }
  }, {interval: 1500, onSuccess: live.ok, onError: error => {
    live.failed(error);
    errors.show(error);
    if (error.status === 404 && !task) {
      // No such task for this key: nothing to follow, nothing else to show.
      poller.stop();
      follow.stop();
      replace(main, h('div', {class: 'task-head'}, h('div', {class: 'task-title'},
        h('a', {href: '#/tasks', class: 'back'}, '← Tasks'))), errors.element);
    }
  }});

  const follow = followSteps(api, taskId, {
    onSteps: list => replace(steps, stepsList(list)),
    onError: error => {
      if (error.status !== 404) {
        live.failed(error);
      }
    },
  });

  replace(main,
    header,
    errors.element,
    h('section', {class: 'card'}, details),
    h('div', {class: 'columns'},
      h('section', {class: 'card column-narrow'}, h('div', {class: 'card-head'}, h('h2', null, 'Timeline'),
        h('span', {class: 'muted'}, 'steps of the task')), steps),
      h('section', {class: 'card column-wide'}, h('div', {class: 'card-head'}, h('h2', null, 'Cancel requests'),
        h('span', {class: 'muted'}, 'every one: who asked, why, and what came of it')), audit)));
  return () => {
    poller.stop();
    follow.stop();
  };
}
