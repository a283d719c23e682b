// A small DOM builder. Everything a task or a batch carries (ids, metadata, reasons, messages) is set as text, never
// parsed as HTML: nothing a client put in a task can run in an operator's page.

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'open', 'indeterminate']);

/**
 * Creates an element: h('a', {href: '#/tasks', class: 'link', testid: 'x', onclick: fn}, 'text', child, [more]).
 * testid sets data-testid; dataset sets data-*; on* adds a listener; null, undefined and false are left out.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value == null || value === false) {
      continue;
    }
    if (name === 'class') {
      el.className = value;
    } else if (name === 'testid') {
      el.dataset.testid = value;
    } else if (name === 'dataset') {
      Object.assign(el.dataset, value);
    } else if (name.startsWith('on') && typeof value === 'function') {
      el.addEventListener(name.slice(2), value);
    } else if (PROPERTIES.has(name)) {
      el[name] = value;
    } else {
      el.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) {
      continue;
    }
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

/** Replaces an element's children. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}

const TIME = new Intl.DateTimeFormat(undefined, {hour: '2-digit', minute: '2-digit', second: '2-digit',
  hour12: false});
const DATE_TIME = new Intl.DateTimeFormat(undefined, {month: 'short', day: 'numeric', hour: '2-digit',
  minute: '2-digit', second: '2-digit', hour12: false});

/** A time, short: 14:03:07 today, else 'Dec 1, 14:03:07'; the exact instant in its title. */
export function time(iso) {
  if (!iso) {
    return h('span', {class: 'muted'}, '—');
  }
  const at = new Date(iso);
  const today = new Date().toDateString() === at.toDateString();
  return h('time', {datetime: iso, title: iso}, (today ? TIME : DATE_TIME).format(at));
}

/** A span of time, short: 850 ms, 3.2 s, 4 min 10 s, 2 h 5 min. */
export function duration(ms) {
  if (ms < 1000) {
    return `${Math.max(0, Math.round(ms))} ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  }
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) {
    return `${minutes} min ${Math.floor((ms % 60_000) / 1000)} s`;
  }
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** An id in monospace, whole; with short, its middle elided (where room is scarce); the whole id in its title. */
export function mono(id, {short = false} = {}) {
  if (!id) {
    return h('span', {class: 'muted'}, '—');
  }
  const shown = !short || id.length <= 18 ? id : `${id.slice(0, 8)}…${id.slice(-6)}`;
  return h('code', {class: 'mono', title: id}, shown);
}

/** A coloured pill for a status or an outcome: the classes in console.css carry the colours. */
export function badge(value, {testid, title} = {}) {
  return h('span', {class: `badge badge-${value}`, testid, title}, value.replaceAll('_', ' '));
}

/** A progress bar, 0 to 100; tone colours it (done, stopped) where blue would say "still going". */
export function bar(percent, {label, tone} = {}) {
  const value = Math.max(0, Math.min(100, Math.round(percent)));
  const fill = h('span', {class: `bar-fill${tone ? ` bar-${tone}` : ''}`});
  fill.style.width = `${value}%`; // a property of the element, which the style-src policy allows
  return h('span', {class: 'bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100,
    'aria-valuenow': value, 'aria-label': label ?? 'progress'}, fill);
}

/** A definition list of label / value pairs; pairs whose value is null are left out. */
export function facts(pairs) {
  return h('dl', {class: 'facts'}, pairs.filter(([, value]) => value != null)
    .map(([label, value]) => h('div', {class: 'fact'}, h('dt', null, label), h('dd', null, value))));
}

/** The view's empty state: a title, a line, and what to do. */
export function empty(title, line, ...actions) {
  return h('div', {class: 'empty', testid: 'empty-state'},
    h('div', {class: 'empty-mark', 'aria-hidden': 'true'}),
    h('p', {class: 'empty-title'}, title),
    line && h('p', {class: 'empty-line'}, line),
    actions.length ? h('div', {class: 'empty-actions'}, actions) : null);
}
