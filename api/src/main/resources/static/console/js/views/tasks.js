// The live task list: the listing's filters, newest first, refreshed every 1.5 s; a task that shows up is marked.

import {badge, bar, empty, h, mono, replace, time} from '../dom.js';
import {filterForm, fromHashQuery, narrows, toHashQuery, toListQuery} from '../filters.js';
import {poll} from '../poll.js';
import {alertSlot} from '../ui.js';

const PAGE = 50;

function metadataChips(metadata) {
  const entries = Object.entries(metadata ?? {});
  const shown = entries.slice(0, 3).map(([name, value]) => h('span', {class: 'tag', title: `${name}=${value}`},
    h('span', {class: 'tag-key'}, name), value));
  return h('span', {class: 'tags'}, shown, entries.length > 3 ? h('span', {class: 'muted'}, `+${entries.length - 3}`)
    : null);
}

export function statusCell(task) {
  const stopping = task.cancel_requested_at && !['completed', 'failed', 'cancelled'].includes(task.status);
  return h('span', {class: 'status-cell'}, badge(task.status, {testid: 'task-status'}),
    stopping ? h('span', {class: 'stopping', title: `cancel requested ${task.cancel_requested_at}`}, 'stopping')
      : null);
}

function progressCell(task) {
  if (task.status === 'running') {
    return h('span', {class: 'progress-cell'}, bar(task.progress?.percent ?? 0),
      h('span', {class: 'muted'}, `${task.progress?.percent ?? 0}%`));
  }
  if (task.status === 'failed' && task.error) {
    return h('span', {class: 'muted ellipsis', title: task.error.message}, task.error.code);
  }
  return h('span', {class: 'muted'}, task.status === 'completed' ? '100%' : '—');
}

export function tasksView(main, {api, go, live}, route) {
  let filter = fromHashQuery(route.params);
  let cursor = null;
  const previous = [];
  const seen = new Set();
  let loaded = false;

  const errors = alertSlot();
  const rows = h('tbody', {testid: 'task-rows'});
  const table = h('table', {class: 'table', testid: 'task-table'},
    h('thead', null, h('tr', null, h('th', null, 'Task'), h('th', null, 'Status'), h('th', null, 'Capability'),
      h('th', null, 'Metadata'), h('th', null, 'Progress'), h('th', null, 'Created'))),
    rows);
  const body = h('div', {class: 'table-wrap', testid: 'task-list', dataset: {loaded: 'false'}},
    h('div', {class: 'loading'}, 'Loading tasks…'));
  const summary = h('span', {class: 'muted', testid: 'task-count'});
  /** Another page or filter: its first rows are not news, and what it has seen starts afresh. */
  function ask(next) {
    cursor = next;
    seen.clear();
    loaded = false;
    poller.refresh();
  }

  const newer = h('button', {type: 'button', class: 'button button-quiet', disabled: true,
    onclick: () => ask(previous.pop() ?? null)}, '← Newer');
  const older = h('button', {type: 'button', class: 'button button-quiet', disabled: true, testid: 'older'}, 'Older →');
  const bulk = h('a', {class: 'button button-secondary', testid: 'bulk-from-filter', href: '#/bulk'},
    'Cancel matching…');

  const form = filterForm('filter', filter, next => {
    filter = next;
    previous.length = 0;
    const query = toHashQuery(filter);
    // The hash follows the filters without a new view or a history entry per keystroke.
    history.replaceState(null, '', `#/tasks${query ? `?${query}` : ''}`);
    updateBulkLink();
    ask(null);
  });

  function updateBulkLink() {
    const query = toHashQuery(filter);
    bulk.href = `#/bulk${query ? `?${query}` : ''}`;
    bulk.classList.toggle('hidden', !narrows(filter));
  }

  function row(task, fresh) {
    const open = () => go(`#/tasks/${encodeURIComponent(task.task_id)}`);
    return h('tr', {class: `row-link${fresh ? ' fresh' : ''}`, testid: 'task-row', dataset: {taskId: task.task_id},
      onclick: event => {
        if (!event.target.closest('a')) {
          open();
        }
      }},
    h('td', null, h('a', {href: `#/tasks/${encodeURIComponent(task.task_id)}`, class: 'id-link'}, mono(task.task_id))),
    h('td', null, statusCell(task)),
    h('td', null, task.capability),
    h('td', null, metadataChips(task.metadata)),
    h('td', null, progressCell(task)),
    h('td', null, time(task.created_at)));
  }

  function show(page) {
    body.dataset.loaded = 'true';
    errors.clear();
    if (page.data.length === 0) {
      replace(body, narrows(filter) || cursor
        ? empty('No tasks match these filters', 'Tasks that match show up here as soon as they are submitted.',
          h('button', {type: 'button', class: 'button button-secondary', onclick: () => go('#/tasks')},
            'Clear filters'))
        : empty('No tasks yet', 'Submit one with POST /v1/tasks: it shows up here within a second or two.'));
    } else {
      replace(rows, page.data.map(task => row(task, loaded && !seen.has(task.task_id))));
      if (!table.isConnected) {
        replace(body, table);
      }
    }
    page.data.forEach(task => seen.add(task.task_id));
    loaded = true;
    summary.textContent = page.data.length === 0 ? '' : `${page.data.length}${page.has_more ? '+' : ''} shown`;
    newer.disabled = cursor == null;
    older.disabled = !page.has_more;
    older.onclick = () => {
      previous.push(cursor);
      ask(page.next_cursor);
    };
  }

  const poller = poll(async () => {
    const asked = JSON.stringify([filter, cursor]);
    const page = await api.get('/v1/tasks', {...toListQuery(filter), limit: PAGE, cursor});
    if (asked === JSON.stringify([filter, cursor])) {
      show(page);
    }
  }, {interval: 1500, onSuccess: live.ok, onError: error => {
    live.failed(error);
    errors.show(error);
  }});

  updateBulkLink();
  replace(main,
    h('div', {class: 'page-head'}, h('div', null, h('h1', {class: 'page-title'}, 'Tasks'),
      h('p', {class: 'page-sub'}, 'Newest first, live. Open a task for its timeline and its cancel requests.')),
    h('div', {class: 'page-actions'}, bulk)),
    h('section', {class: 'card'}, form.element),
    errors.element,
    h('section', {class: 'card card-flush'}, body,
      h('div', {class: 'card-foot'}, summary, h('div', {class: 'pager'}, newer, older))));
  return () => poller.stop();
}
