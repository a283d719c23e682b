// The task listing's filters, as one form the task list and the bulk cancel share, and their three renderings: the
// listing's query (GET /v1/tasks), a batch's filter (POST /v1/cancellation_batches) and the page's own URL hash
// (a filtered view can be bookmarked or shared; it holds no key).

import {h} from './dom.js';

const STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'];

/** An empty filter. */
function none() {
  return {status: [], capability: '', metadata: {}, createdAfter: '', createdBefore: '', parentTaskId: ''};
}

/** Whether the filter names any condition. */
export function narrows(filter) {
  return filter.status.length > 0 || Boolean(filter.capability) || Object.keys(filter.metadata).length > 0
    || Boolean(filter.createdAfter) || Boolean(filter.createdBefore) || Boolean(filter.parentTaskId);
}

/** The query of GET /v1/tasks. */
export function toListQuery(filter) {
  const query = {
    status: filter.status.join(','),
    capability: filter.capability,
    created_after: filter.createdAfter,
    created_before: filter.createdBefore,
    parent_task_id: filter.parentTaskId,
  };
  for (const [name, value] of Object.entries(filter.metadata)) {
    query[`metadata[${name}]`] = value;
  }
  return query;
}

/** The filter of a cancellation batch: only what is set. */
export function toBatchFilter(filter) {
  const body = {};
  if (filter.status.length) {
    body.status = [...filter.status];
  }
  if (filter.capability) {
    body.capability = filter.capability;
  }
  if (Object.keys(filter.metadata).length) {
    body.metadata = {...filter.metadata};
  }
  if (filter.createdAfter) {
    body.created_after = filter.createdAfter;
  }
  if (filter.createdBefore) {
    body.created_before = filter.createdBefore;
  }
  if (filter.parentTaskId) {
    body.parent_task_id = filter.parentTaskId;
  }
  return body;
}

/** The filter as the URL hash's query: status=queued,running&metadata=team%3Dsearch&... */
export function toHashQuery(filter) {
  const params = new URLSearchParams();
  if (filter.status.length) {
    params.set('status', filter.status.join(','));
  }
  if (filter.capability) {
    params.set('capability', filter.capability);
  }
  for (const [name, value] of Object.entries(filter.metadata)) {
    params.append('metadata', `${name}=${value}`);
  }
  if (filter.createdAfter) {
    params.set('created_after', filter.createdAfter);
  }
  if (filter.createdBefore) {
    params.set('created_before', filter.createdBefore);
  }
  if (filter.parentTaskId) {
    params.set('parent_task_id', filter.parentTaskId);
  }
  return params.toString();
}

/** The filter a hash query names; what it cannot read is left out. */
export function fromHashQuery(params) {
  const filter = none();
  filter.status = (params.get('status') ?? '').split(',').filter(s => STATUSES.includes(s));
  filter.capability = params.get('capability') ?? '';
  for (const pair of params.getAll('metadata')) {
    const at = pair.indexOf('=');
    if (at > 0) {
      filter.metadata[pair.slice(0, at)] = pair.slice(at + 1);
    }
  }
  filter.createdAfter = instantOrEmpty(params.get('created_after'));
  filter.createdBefore = instantOrEmpty(params.get('created_before'));
  filter.parentTaskId = params.get('parent_task_id') ?? '';
  return filter;
}

function instantOrEmpty(value) {
  return value && !Number.isNaN(Date.parse(value)) ? new Date(value).toISOString() : '';
}

/** 'team=search, env=prod' as {team: 'search', env: 'prod'}; throws naming the part it cannot read. */
function parseMetadata(text) {
  const metadata = {};
  for (const part of text.split(',').map(p => p.trim()).filter(Boolean)) {
    const at = part.indexOf('=');
    if (at <= 0) {
      throw new Error(`metadata: write key=value, not '${part}'`);
    }
    metadata[part.slice(0, at).trim()] = part.slice(at + 1).trim();
  }
  return metadata;
}

function metadataText(metadata) {
  return Object.entries(metadata).map(([name, value]) => `${name}=${value}`).join(', ');
}

/** An ISO instant as a datetime-local input's value, in the browser's time zone, and back. */
function localInput(iso) {
  if (!iso) {
    return '';
  }
  const at = new Date(iso);
  return new Date(at.getTime() - at.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

function instantOf(local) {
  return local ? new Date(local).toISOString() : '';
}

/**
 * The filter form. Each field carries data-testid `${prefix}-status-<status>`, `${prefix}-capability`,
 * `${prefix}-metadata`, `${prefix}-created-after`, `${prefix}-created-before`, `${prefix}-parent`.
 *
 * @param onChange called with the filter after every change a user makes (text fields after a short pause)
 * @returns {{element: HTMLElement, value: function(): object}} value() throws when a field cannot be read
 */
export function filterForm(prefix, initial, onChange) {
  let pause = null;
  const changed = ({immediate = false} = {}) => {
    clearTimeout(pause);
    const notify = () => {
      try {
        const filter = read();
        problem.textContent = '';
        onChange(filter);
      } catch (e) {
        problem.textContent = e.message;
      }
    };
    if (immediate) {
      notify();
    } else {
      pause = setTimeout(notify, 350);
    }
  };

  const statuses = STATUSES.map(status => h('label', {class: `chip chip-${status}`},
    h('input', {type: 'checkbox', value: status, checked: initial.status.includes(status),
      testid: `${prefix}-status-${status}`, onchange: () => changed({immediate: true})}),
    h('span', null, status)));
  const text = (name, value, attrs) => h('input', {type: 'text', value, testid: `${prefix}-${name}`,
    spellcheck: 'false', autocomplete: 'off', oninput: () => changed(), ...attrs});
  const capability = text('capability', initial.capability, {placeholder: 'sleep', 'aria-label': 'capability'});
  const metadata = text('metadata', metadataText(initial.metadata), {placeholder: 'team=search, env=prod',
    'aria-label': 'metadata'});
  const parent = text('parent', initial.parentTaskId, {placeholder: 'task id', 'aria-label': 'parent task id'});
  const after = h('input', {type: 'datetime-local', step: 1, value: localInput(initial.createdAfter),
    testid: `${prefix}-created-after`, 'aria-label': 'created after', onchange: () => changed({immediate: true})});
  const before = h('input', {type: 'datetime-local', step: 1, value: localInput(initial.createdBefore),
    testid: `${prefix}-created-before`, 'aria-label': 'created before',
    onchange: () => changed({immediate: true})});
  const problem = h('p', {class: 'field-problem', role: 'alert', testid: `${prefix}-problem`});

  function read() {
    return {
      status: statuses.map(chip => chip.querySelector('input')).filter(box => box.checked).map(box => box.value),
      capability: capability.value.trim(),
      metadata: parseMetadata(metadata.value),
      createdAfter: instantOf(after.value),
      createdBefore: instantOf(before.value),
      parentTaskId: parent.value.trim(),
    };
  }

  const field = (label, input) => h('label', {class: 'field'}, h('span', {class: 'field-label'}, label), input);
  const element = h('div', {class: 'filters', testid: `${prefix}-form`},
    h('div', {class: 'field field-status'}, h('span', {class: 'field-label'}, 'Status'),
      h('div', {class: 'chips', role: 'group', 'aria-label': 'status'}, statuses)),
    h('div', {class: 'filter-row'},
      field('Capability', capability),
      field('Metadata', metadata),
      field('Created after', after),
      field('Created before', before),
      field('Parent task', parent)),
    problem);
  return {element, value: read};
}
