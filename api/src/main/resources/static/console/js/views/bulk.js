// Bulk cancel by filter: a dry run counts exactly what the filter matches now, recording nothing; only that count,
// seen, can be confirmed. Changing anything after the preview asks for a new one.

import {idempotencyKey} from '../api.js';
import {h, mono, replace} from '../dom.js';
import {filterForm, fromHashQuery, toBatchFilter} from '../filters.js';
import {alertSlot} from '../ui.js';

const SAMPLE = 8;

export function bulkView(main, {api, go, toast}, route) {
  let filter = fromHashQuery(route.params);
  let preview = null;
  const errors = alertSlot();
  const result = h('div', {class: 'preview', testid: 'dry-run-result'});
  const reason = h('input', {type: 'text', testid: 'bulk-reason', maxlength: 1000, autocomplete: 'off',
    placeholder: 'Why these tasks are being cancelled (each target\'s cancel carries it)', oninput: stale});
  const rate = h('input', {type: 'number', testid: 'bulk-rate', min: 1, max: 100000, step: 1,
    placeholder: 'no limit', oninput: stale});
  const dryRun = h('button', {type: 'button', class: 'button button-primary', testid: 'dry-run', onclick: run},
    'Preview (dry run)');

  const form = filterForm('bulk-filter', filter, next => {
    filter = next;
    stale();
  });

  function request(dry) {
    const body = {filter: toBatchFilter(form.value()), dry_run: dry};
    if (reason.value.trim()) {
      body.reason = reason.value.trim();
    }
    if (rate.value) {
      body.max_per_second = Number(rate.value);
    }
    return body;
  }

  /** The request changed since the preview: its count no longer stands for what a confirm would send. */
  function stale() {
    if (preview && !sameAsPreview()) {
      preview = null;
      replace(result, h('p', {class: 'muted', testid: 'dry-run-stale'},
        'The request changed since the preview: preview again to see what it matches.'));
    }
  }

  // Compared, not merely changed: a typed filter reaches onChange a moment later, and must not void a preview of
  // exactly what it says.
  function sameAsPreview() {
    try {
      return JSON.stringify(request(false)) === JSON.stringify(preview.body);
    } catch {
      return false;
    }
  }

  async function run() {
    errors.clear();
    let body;
    try {
      body = request(true);
    } catch (e) {
      errors.show({message: e.message});
      return;
    }
    dryRun.disabled = true;
    dryRun.textContent = 'Counting…';
    try {
      const answer = await api.post('/v1/cancellation_batches', body);
      preview = {body: {...body, dry_run: false}, matched: answer.body.matched, key: idempotencyKey()};
      showPreview(answer.body);
    } catch (error) {
      errors.show(error);
    } finally {
      dryRun.disabled = false;
      dryRun.textContent = 'Preview (dry run)';
    }
  }

  function showPreview(found) {
    const ids = found.task_ids.slice(0, SAMPLE);
    const confirm = h('button', {type: 'button', class: 'button button-danger', testid: 'confirm',
      disabled: found.matched === 0, onclick: () => accept(confirm)},
    found.matched === 0 ? 'Nothing to cancel' : `Cancel ${found.matched} task${found.matched === 1 ? '' : 's'}`);
    replace(result,
      h('div', {class: 'preview-count'},
        h('span', {class: 'preview-number', testid: 'dry-run-count'}, String(found.matched)),
        h('span', {class: 'preview-label'}, found.matched === 1 ? 'task matches now' : 'tasks match now')),
      ids.length ? h('ul', {class: 'preview-ids', testid: 'dry-run-ids'}, ids.map(id => h('li', null,
        h('a', {href: `#/tasks/${encodeURIComponent(id)}`, class: 'id-link'}, mono(id, {short: true})))),
      found.matched > ids.length ? h('li', {class: 'muted'}, `and ${found.matched - ids.length} more`) : null)
        : null,
      h('p', {class: 'hint'}, 'Nothing is recorded by the preview. On confirm, the batch fixes its targets as it is '
        + 'accepted: a task that ends or shows up in between is counted then, and nothing created later is touched.'),
      h('div', {class: 'preview-actions'}, confirm));
  }

  async function accept(button) {
    if (!preview) {
      return;
    }
    button.disabled = true;
    button.textContent = 'Accepting…';
    errors.clear();
    try {
      const answer = await api.post('/v1/cancellation_batches', preview.body, {idempotencyKey: preview.key});
      toast(`Batch accepted: ${answer.body.matched} target${answer.body.matched === 1 ? '' : 's'}.`, 'ok');
      go(`#/batches/${encodeURIComponent(answer.body.batch_id)}`);
    } catch (error) {
      errors.show(error);
      button.disabled = false;
      button.textContent = `Cancel ${preview.matched} tasks`;
    }
  }

  const field = (label, input, hint) => h('label', {class: 'field'}, h('span', {class: 'field-label'}, label), input,
    hint ? h('span', {class: 'hint'}, hint) : null);
  replace(main,
    h('div', {class: 'page-head'}, h('div', null, h('h1', {class: 'page-title'}, 'Bulk cancel'),
      h('p', {class: 'page-sub'}, 'Cancel every task a filter matches, as one cancellation batch. '
        + 'Preview first: the dry run counts them exactly and records nothing.'))),
    h('section', {class: 'card'}, h('div', {class: 'card-head'}, h('h2', null, 'Which tasks')), form.element,
      h('div', {class: 'filter-row'},
        field('Reason', reason),
        field('Max per second', rate, 'the pace targets are handed on'))),
    errors.element,
    h('div', {class: 'actions-row'}, dryRun),
    h('section', {class: 'card'}, h('div', {class: 'card-head'}, h('h2', null, 'Preview')),
      replace(result, h('p', {class: 'muted'}, 'Run a dry run to see how many tasks the filter matches.'))));
  return () => {};
}
