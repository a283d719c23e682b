// Where a task's steps come from, behind one subscription: the timeline view only ever calls followSteps().
//
// Today the api renders the read model's bounded step history (GET /v1/tasks/{id}/history), so the steps are
// polled. When the api serves a task's full event stream (/v1/tasks/{id}/events), only this module changes: read
// that stream (fetch with the Authorization header; EventSource cannot send one) and hand each event on as the same
// {type, at, status, message} step.

import {poll} from './poll.js';

function step(entry) {
  return {type: entry.type, at: entry.occurred_at, status: entry.status, message: entry.message};
}

/**
 * Calls onSteps with every step of the task, oldest first, now and whenever they change; onError with an ApiError.
 *
 * @returns {{refresh: function(): void, stop: function(): void}}
 */
export function followSteps(api, taskId, {onSteps, onError, onSuccess, interval = 1500}) {
  let last = null;
  return poll(async () => {
    const history = await api.get(`/v1/tasks/${encodeURIComponent(taskId)}/history`);
    const steps = history.steps.map(step);
    const seen = JSON.stringify(steps);
    if (seen !== last) {
      last = seen;
      onSteps(steps);
    }
  }, {interval, onError, onSuccess});
}

const LABELS = {
  'task.submitted': 'Submitted',
  'task.started': 'Started',
  'task.progressed': 'Progress',
  'task.requeued': 'Requeued',
  'task.cancel_requested': 'Cancel requested',
  'task.cancelled': 'Cancelled',
  'task.completed': 'Completed',
  'task.failed': 'Failed',
};

/** A step's type for people: task.cancel_requested is "Cancel requested". */
export function label(type) {
  return LABELS[type] ?? type;
}
