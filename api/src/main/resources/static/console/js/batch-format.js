// How a cancellation batch reads: its outcomes in order, how far it is, and what it selected.

import {h} from './dom.js';

/** Every outcome a target can have, in the order the console shows them, with what each means. */
export const OUTCOMES = [
  ['cancelled_queued', 'Cancelled while queued', 'removed from the queue; never started'],
  ['cancelled_running', 'Cancelled while running', 'stopped by its token'],
  ['requested', 'Stopping', 'handed on; the running task has not stopped yet'],
  ['pending', 'Pending', 'not handed on yet (a paced batch goes at its rate)'],
  ['already_terminal', 'Already ended', 'it had ended before the cancel arrived'],
  ['completed_first', 'Completed first', 'it finished before the cancel took effect'],
  ['already_cancelling', 'Already cancelling', 'another cancel was stopping it'],
  ['not_found', 'Not found', 'no such task for this key: never requested'],
  ['aborted', 'Aborted', 'never handed on: the batch was aborted first'],
];

/** How many targets it named, and how many of them are settled. */
export function progressOf(batch) {
  const total = batch.matched + batch.not_found;
  const open = (batch.counts.pending ?? 0) + (batch.counts.requested ?? 0);
  return {total, settled: total - open, percent: total === 0 ? 100 : ((total - open) / total) * 100};
}

const tag = (name, value) => h('span', {class: 'tag', title: `${name}=${value}`}, h('span', {class: 'tag-key'}, name),
  value);

/** What the batch selected: its filter's conditions, its ids, or a task tree. */
export function selectionOf(batch) {
  if (batch.selection === 'filter' && batch.filter) {
    const conditions = Object.entries(batch.filter).flatMap(([name, value]) => {
      if (name === 'metadata' && value && typeof value === 'object') {
        return Object.entries(value).map(([k, v]) => tag(k, v));
      }
      return [tag(name, Array.isArray(value) ? value.join(',') : value)];
    });
    return h('span', {class: 'tags selection', title: JSON.stringify(batch.filter)}, conditions);
  }
  if (batch.root_task_id) {
    return h('span', {class: 'selection'}, 'task tree of ', h('code', {class: 'mono'}, batch.root_task_id));
  }
  return h('span', {class: 'selection'}, `${batch.matched + batch.not_found} named ids`);
}

/** The colour of a batch's progress bar: green once completed, amber once aborted. */
export function toneOf(batch) {
  return {completed: 'done', aborted: 'stopped'}[batch.status];
}

export const SETTLED_BATCH = ['completed', 'aborted'];
