// Every cancellation batch of the tenant, newest first, with its progress, live.

import {badge, bar, empty, h, mono, replace, time} from '../dom.js';
import {progressOf, selectionOf, toneOf} from '../batch-format.js';
import {poll} from '../poll.js';
import {alertSlot} from '../ui.js';

const PAGE = 25;

export function batchesView(main, {api, go, live}) {
  let cursor = null;
  const previous = [];
  const errors = alertSlot();
  const body = h('div', {class: 'table-wrap', testid: 'batch-list'}, h('div', {class: 'loading'}, 'Loading batches…'));
  const newer = h('button', {type: 'button', class: 'button button-quiet', disabled: true, onclick: () => {
    cursor = previous.pop() ?? null;
    poller.refresh();
  }}, '← Newer');
  const older = h('button', {type: 'button', class: 'button button-quiet', disabled: true}, 'Older →');

  function row(batch) {
    const progress = progressOf(batch);
    const href = `#/batches/${encodeURIComponent(batch.batch_id)}`;
    return h('tr', {class: 'row-link', testid: 'batch-row', dataset: {batchId: batch.batch_id},
      onclick: event => {
        if (!event.target.closest('a')) {
          go(href);
        }
      }},
    h('td', null, h('a', {href, class: 'id-link'}, mono(batch.batch_id, {short: true}))),
    h('td', null, badge(batch.status, {testid: 'batch-status'})),
    h('td', null, selectionOf(batch)),
    h('td', {class: 'reason'}, batch.reason ?? h('span', {class: 'muted'}, '—')),
    h('td', null, h('span', {class: 'progress-cell'}, bar(progress.percent, {tone: toneOf(batch)}),
      h('span', {class: 'muted nowrap'}, `${progress.settled} / ${progress.total}`))),
    h('td', null, h('code', {class: 'mono'}, batch.requested_by)),
    h('td', null, time(batch.created_at)));
  }

  function show(page) {
    errors.clear();
    if (page.data.length === 0) {
      replace(body, empty('No cancellation batches yet',
        'A bulk cancel, a POST /v1/cancellation_batches or a cascading cancel shows up here.',
        h('a', {href: '#/bulk', class: 'button button-secondary'}, 'Bulk cancel…')));
    } else {
      replace(body, h('table', {class: 'table', testid: 'batch-table'},
        h('thead', null, h('tr', null, h('th', null, 'Batch'), h('th', null, 'Status'), h('th', null, 'Selection'),
          h('th', null, 'Reason'), h('th', null, 'Settled'), h('th', null, 'By'), h('th', null, 'Created'))),
        h('tbody', null, page.data.map(row))));
    }
    newer.disabled = cursor == null;
    older.disabled = !page.has_more;
    older.onclick = () => {
      previous.push(cursor);
      cursor = page.next_cursor;
      poller.refresh();
    };
  }

  const poller = poll(async () => {
    const asked = cursor;
    const page = await api.get('/v1/cancellation_batches', {limit: PAGE, cursor});
    if (asked === cursor) {
      show(page);
    }
  }, {interval: 1500, onSuccess: live.ok, onError: error => {
    live.failed(error);
    errors.show(error);
  }});

  replace(main,
    h('div', {class: 'page-head'}, h('div', null, h('h1', {class: 'page-title'}, 'Cancellation batches'),
      h('p', {class: 'page-sub'}, 'Each batch fixed its targets when it was accepted; each target gets its own '
        + 'outcome.')),
    h('div', {class: 'page-actions'}, h('a', {href: '#/bulk', class: 'button button-secondary'}, 'Bulk cancel…'))),
    errors.element,
    h('section', {class: 'card card-flush'}, body, h('div', {class: 'card-foot'}, h('span'),
      h('div', {class: 'pager'}, newer, older))));
  return () => poller.stop();
}
