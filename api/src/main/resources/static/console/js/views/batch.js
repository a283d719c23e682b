// One cancellation batch, live: its status, how many targets ended each way, and its report target by target.

import {badge, bar, duration, empty, facts, h, mono, replace, time} from '../dom.js';
import {OUTCOMES, SETTLED_BATCH, progressOf, selectionOf, toneOf} from '../batch-format.js';
import {poll} from '../poll.js';
import {alertSlot, confirmDialog} from '../ui.js';

const REPORT_PAGE = 100;

export function batchView(main, {api, live, toast}, route) {
  const batchId = route.path[1];
  const path = `/v1/cancellation_batches/${encodeURIComponent(batchId)}`;
  const errors = alertSlot();
  const header = h('div', {class: 'task-head', testid: 'batch-detail'}, h('div', {class: 'loading'}, 'Loading batch…'));
  const summary = h('section', {class: 'card'});
  const counts = h('div', {class: 'counts', testid: 'batch-counts'});
  const report = h('div', {class: 'table-wrap', testid: 'batch-report'});
  const more = h('div', {class: 'card-foot'});
  let shown = REPORT_PAGE;
  let batch = null;

  function openAbort() {
    confirmDialog({
      title: 'Abort this batch?',
      body: [h('p', {class: 'dialog-text'}, 'Targets not handed on yet are left alone and reported as aborted. '
        + 'Cancels already handed on still take effect.')],
      confirmLabel: 'Abort batch',
      busyLabel: 'Aborting…',
      onConfirm: async () => {
        await api.post(`${path}/abort`);
        toast('Abort recorded.', 'ok');
        poller.refresh();
      },
    });
  }

  function showBatch(next) {
    batch = next;
    errors.clear();
    const progress = progressOf(batch);
    replace(header,
      h('div', {class: 'task-title'},
        h('a', {href: '#/batches', class: 'back'}, '← Batches'),
        h('h1', {class: 'page-title'}, h('code', {class: 'mono mono-title', testid: 'batch-id'}, batch.batch_id)),
        badge(batch.status, {testid: 'batch-status'})),
      h('div', {class: 'page-actions'}, SETTLED_BATCH.includes(batch.status) ? null
        : h('button', {type: 'button', class: 'button button-danger', testid: 'abort-button', onclick: openAbort},
          'Abort…')));
    const took = batch.completed_at ? duration(Date.parse(batch.completed_at) - Date.parse(batch.created_at)) : null;
    replace(summary,
      h('div', {class: 'batch-progress'},
        h('div', {class: 'batch-progress-head'},
          h('span', {class: 'batch-progress-number', testid: 'batch-settled'},
            `${progress.settled} of ${progress.total}`),
          h('span', {class: 'muted'}, `targets settled · ${Math.floor(progress.percent)}%`)),
        bar(progress.percent, {label: 'targets settled', tone: toneOf(batch)})),
      facts([
        ['Selection', selectionOf(batch)],
        ['Reason', batch.reason ?? h('span', {class: 'muted'}, 'none given')],
        ['Requested by', h('code', {class: 'mono'}, batch.requested_by)],
        ['Accepted', time(batch.created_at)],
        ['Completed', batch.completed_at ? h('span', null, time(batch.completed_at), h('span', {class: 'muted'},
          ` · took ${took}`)) : null],
        ['Abort requested', batch.abort_requested_at ? time(batch.abort_requested_at) : null],
        ['Pace', batch.max_per_second ? `${batch.max_per_second} / s` : 'as fast as the workers decide'],
      ]));
    replace(counts, OUTCOMES.map(([outcome, name, meaning]) => h('div', {
      class: `count count-${outcome}${batch.counts[outcome] ? '' : ' count-zero'}`,
      testid: `batch-count-${outcome}`, title: meaning},
    h('span', {class: 'count-number'}, String(batch.counts[outcome] ?? 0)),
    h('span', {class: 'count-name'}, name))));
  }

  function showReport(page) {
    if (page.data.length === 0) {
      replace(report, empty('No targets', 'The batch matched no task.'));
      more.replaceChildren();
      return;
    }
    replace(report, h('table', {class: 'table table-compact'},
      h('thead', null, h('tr', null, h('th', null, 'Task'), h('th', null, 'Outcome'), h('th', null, 'Handed on'),
        h('th', null, 'Decided'), h('th', null, 'Forced'))),
      h('tbody', null, page.data.map(target => h('tr', {testid: 'batch-target', dataset: {taskId: target.task_id}},
        h('td', null, h('a', {href: `#/tasks/${encodeURIComponent(target.task_id)}`, class: 'id-link'},
          mono(target.task_id))),
        h('td', null, badge(target.outcome)),
        h('td', null, time(target.requested_at)),
        h('td', null, time(target.decided_at)),
        h('td', null, target.forced ? 'yes' : h('span', {class: 'muted'}, 'no')))))));
    replace(more, h('span', {class: 'muted'}, `${page.data.length}${page.has_more ? '+' : ''} targets shown`),
      page.has_more ? h('button', {type: 'button', class: 'button button-quiet', onclick: () => {
        shown += REPORT_PAGE;
        poller.refresh();
      }}, 'Show more') : null);
  }

  const poller = poll(async () => {
    const [next, page] = await Promise.all([api.get(path), api.get(`${path}/tasks`, {limit: Math.min(shown, 1000)})]);
    showBatch(next);
    showReport(page);
  }, {interval: 1000, onSuccess: live.ok, onError: error => {
    live.failed(error);
    errors.show(error);
    if (error.status === 404 && !batch) {
      poller.stop();
      replace(main, h('div', {class: 'task-head'}, h('div', {class: 'task-title'},
        h('a', {href: '#/batches', class: 'back'}, '← Batches'))), errors.element);
    }
  }});

  replace(main, header, errors.element, summary,
    h('section', {class: 'card'}, h('div', {class: 'card-head'}, h('h2', null, 'Outcomes')), counts),
    h('section', {class: 'card card-flush'}, h('div', {class: 'card-head card-head-pad'}, h('h2', null, 'Report'),
      h('span', {class: 'muted'}, 'every target, with its own outcome')), report, more));
  return () => poller.stop();
}
