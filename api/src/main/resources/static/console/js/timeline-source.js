// Where a task's steps come from, behind one subscription: the timeline view only ever calls followSteps().
//
// The task's own event stream (GET /v1/tasks/{id}/events as Server-Sent Events): its history first, then each event
// as the log records it, until the terminal one ends the stream. A broken stream is reopened with the last event's
// id (Last-Event-ID), so nothing is missed and nothing shown twice.

function step(event) {
  return {type: event.type, at: event.occurred_at, status: event.status, message: event.message,
    sequence: event.sequence};
}

/**
 * Calls onSteps with every step of the task, oldest first, now and whenever one arrives; onError with an ApiError.
 *
 * @returns {{refresh: function(): void, stop: function(): void}}
 */
export function followSteps(api, taskId, {onSteps, onError = () => {}, onSuccess = () => {}, retry = 1500}) {
  const steps = [];
  let lastEventId = null;
  let controller = null;
  let timer = null;
  let stopped = false;
  let ended = false;

  function add(event) {
    lastEventId = event.id ?? lastEventId;
    const next = step(event.data);
    if (steps.some(s => s.sequence === next.sequence)) {
      return;
    }
    // The log keeps a task's latest progress only: so does the timeline.
    const last = steps[steps.length - 1];
    if (last && last.type === 'task.progressed' && next.type === 'task.progressed') {
      steps[steps.length - 1] = next;
    } else {
      steps.push(next);
    }
    onSteps(steps.slice());
    onSuccess();
  }

  async function open() {
    if (stopped || ended) {
      return;
    }
    controller = new AbortController();
    try {
      await api.stream(`/v1/tasks/${encodeURIComponent(taskId)}/events`,
        {onEvent: add, lastEventId, signal: controller.signal});
      // The api ends a task's stream after its terminal event, or when the stream's time is up.
      ended = steps.some(s => ['cancelled', 'completed', 'failed'].includes(s.status));
      if (steps.length === 0) {
        onSteps([]);
      }
      if (!ended && !stopped) {
        timer = setTimeout(open, retry);
      }
    } catch (error) {
      onError(error);
      if (error.status !== 404 && !stopped) {
        timer = setTimeout(open, error.retryAfter ? error.retryAfter * 1000 : retry);
      }
    }
  }

  open();
  return {
    refresh: () => {},
    stop: () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
    },
  };
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
