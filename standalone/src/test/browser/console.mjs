// Drives the operator console in Debian's headless Chromium, the way an operator would, against a running quench:
// sign in, see a new task appear, open its timeline, cancel it with a reason and see it cancelled, dry-run a bulk
// cancel and see the exact count, confirm it and see the batch complete. Every wait is on a condition of the page
// (Playwright's locators wait for what they name), never a fixed sleep. Exits 1 at the first step that fails, naming
// it; prints "RESULT {json}" with what it did for the JUnit test to check through the api.
//
// Environment: QUENCH_BASE_URL (http://localhost:8080), QUENCH_API_KEY, QUENCH_CHROMIUM (/usr/bin/chromium),
// QUENCH_SCREENSHOTS (a folder for the screenshots; none taken without it), QUENCH_STEP_TIMEOUT_MS (30000).

import {chromium} from 'playwright-core';
import {randomUUID} from 'node:crypto';
import {mkdir, mkdtemp, rm} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const base = process.env.QUENCH_BASE_URL ?? 'http://localhost:8080';
const key = process.env.QUENCH_API_KEY;
const executablePath = process.env.QUENCH_CHROMIUM ?? '/usr/bin/chromium';
const screenshots = process.env.QUENCH_SCREENSHOTS;
const timeout = Number(process.env.QUENCH_STEP_TIMEOUT_MS ?? 30_000);
const run = randomUUID().slice(0, 8);

if (!key) {
  console.error('QUENCH_API_KEY is not set');
  process.exit(2);
}

/** The api, straight: what a task platform's client does while the operator watches. */
async function api(method, path, body) {
  const response = await fetch(base + path, {
    method,
    headers: {Authorization: `Bearer ${key}`, ...(body ? {'Content-Type': 'application/json'} : {})},
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

const submit = (capability, input, metadata) => api('POST', '/v1/tasks', {capability, input, metadata})
  .then(task => task.task_id);

let current = 'start';
async function step(name, action) {
  current = name;
  const started = Date.now();
  await action();
  console.log(`ok   ${name} (${Date.now() - started} ms)`);
}

const problems = [];
const profile = await mkdtemp(join(tmpdir(), 'quench-console-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: {width: 1280, height: 800},
    deviceScaleFactor: 1,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(timeout);
  const page = context.pages()[0] ?? await context.newPage();
  // The page runs nothing it should not: a script error or a blocked resource (the CSP's "Refused to ...") fails
  // the run. A refused request is logged by Chromium as "Failed to load resource": the sign-in with a wrong key is
  // one on purpose, and the page shows it.
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('console', message => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console error: ${message.text()}`);
    }
  });
  page.on('request', request => {
    if (request.url().includes(key)) {
      problems.push(`the API key was put in a URL: ${request.url()}`);
    }
  });
  const shot = async name => {
    if (screenshots) {
      // A toast is feedback for a moment; the screenshot shows the view without it.
      await page.waitForFunction(() => !document.querySelector('[data-testid="toast"]'));
      await mkdir(screenshots, {recursive: true});
      await page.screenshot({path: join(screenshots, `${name}.png`), fullPage: true, animations: 'disabled'});
    }
  };
  const byTestId = id => page.getByTestId(id);
  const row = id => page.locator(`[data-testid="task-row"][data-task-id="${id}"]`);
  const result = {run};

  await step('the console asks for a key', async () => {
    await page.goto(`${base}/console`);
    await byTestId('api-key').waitFor();
    await shot('sign-in');
  });

  await step('a wrong key is refused with the api\'s message', async () => {
    await byTestId('api-key').fill('not-a-key-of-this-api');
    await byTestId('sign-in').click();
    await byTestId('error-message').filter({hasText: 'the API key is not valid'}).waitFor();
  });

  const backdrop = [
    await submit('echo', {text: 'hello'}, {run, team: 'search'}),
    await submit('echo', {text: 'weekly report'}, {run, team: 'ads'}),
    await submit('fail', {message: 'upstream returned 502', code: 'upstream_error', retryable: true},
      {run, team: 'ads'}),
  ];

  await step('sign in', async () => {
    await byTestId('api-key').fill(key);
    await byTestId('sign-in').click();
    await page.locator('[data-testid="task-list"][data-loaded="true"]').waitFor();
    const stored = await page.evaluate(() => ({local: window.localStorage.length,
      session: Object.keys(window.sessionStorage)}));
    if (stored.local !== 0 || stored.session.length !== 1) {
      throw new Error(`the key is to live in sessionStorage only, found ${JSON.stringify(stored)}`);
    }
  });

  await step('the filters narrow the list, with an empty state', async () => {
    await byTestId('filter-metadata').fill(`run=none-${run}`);
    await byTestId('empty-state').filter({hasText: 'No tasks match these filters'}).waitFor();
    await byTestId('filter-metadata').fill(`run=${run}`);
    for (const id of backdrop) {
      await row(id).waitFor();
    }
    await row(backdrop[2]).getByTestId('task-status').filter({hasText: /^failed$/}).waitFor();
  });

  const taskId = await submit('sleep', {duration_ms: 120_000}, {run, team: 'search'});
  result.taskId = taskId;
  await step('a new task appears in the live list and starts', async () => {
    await row(taskId).waitFor();
    await row(taskId).getByTestId('task-status').filter({hasText: /^running$/}).waitFor();
    const first = await page.getByTestId('task-row').first().getAttribute('data-task-id');
    if (first !== taskId) {
      throw new Error(`the newest task is to be listed first, found ${first}`);
    }
    await shot('task-list');
  });

  await step('its timeline shows its steps', async () => {
    await row(taskId).click();
    await byTestId('task-id').filter({hasText: taskId}).waitFor();
    await page.locator('[data-testid="timeline-step"][data-type="task.submitted"]').waitFor();
    await page.locator('[data-testid="timeline-step"][data-type="task.started"]').waitFor();
    await byTestId('cancellations-panel').getByTestId('empty-state').waitFor();
  });

  const reason = 'Stuck on a slow upstream: stopped from the console';
  result.reason = reason;
  await step('cancel it with a reason and see it cancelled', async () => {
    await byTestId('cancel-button').click();
    await byTestId('cancel-reason').fill(reason);
    await byTestId('confirm').click();
    await byTestId('dialog').waitFor({state: 'detached'});
    await byTestId('task-detail').getByTestId('task-status').filter({hasText: /^cancelled$/}).waitFor();
    await page.locator('[data-testid="timeline-step"][data-type="task.cancelled"]').waitFor();
    const request = byTestId('cancel-request').filter({hasText: reason});
    await request.getByTestId('cancel-outcome').filter({hasText: /^cancelled$/}).waitFor();
    await request.getByTestId('cancel-requested-by').filter({hasText: /\S/}).waitFor();
    if (await byTestId('cancel-button').count() !== 0) {
      throw new Error('a cancelled task still offers a cancel');
    }
    await shot('timeline');
  });

  const campaign = `spring-sale-${run}`;
  const targets = [];
  for (let i = 0; i < 5; i++) {
    targets.push(await submit('sleep', {duration_ms: 120_000}, {run, campaign}));
  }
  result.campaign = campaign;
  result.targets = targets;
  await step('a bulk dry run shows the exact count', async () => {
    await byTestId('nav-bulk').click();
    // A filter that names nothing is refused by the api, which says why; the page shows its words.
    await byTestId('dry-run').click();
    await byTestId('error-message').filter({hasText: 'the filter names no condition'}).waitFor();
    await byTestId('bulk-filter-status-queued').check();
    await byTestId('bulk-filter-status-running').check();
    await byTestId('bulk-filter-metadata').fill(`campaign=${campaign}`);
    await byTestId('bulk-reason').fill('Campaign withdrawn');
    await byTestId('dry-run').click();
    await byTestId('dry-run-count').filter({hasText: new RegExp(`^${targets.length}$`)}).waitFor();
    if (await byTestId('error').count() !== 0) {
      throw new Error('the refusal is still shown after a preview that worked');
    }
    await byTestId('confirm').filter({hasText: `Cancel ${targets.length} tasks`}).waitFor();
    await shot('bulk-dry-run');
  });

  await step('confirm it and see the batch complete', async () => {
    await byTestId('confirm').click();
    await byTestId('batch-detail').getByTestId('batch-status').filter({hasText: /^completed$/}).waitFor();
    result.batchId = await byTestId('batch-id').textContent();
    const count = async outcome => Number(await byTestId(`batch-count-${outcome}`).locator('.count-number')
      .textContent());
    const cancelled = await count('cancelled_queued') + await count('cancelled_running');
    if (cancelled !== targets.length) {
      throw new Error(`the batch is to show ${targets.length} cancelled, shows ${cancelled}`);
    }
    await byTestId('batch-settled').filter({hasText: `${targets.length} of ${targets.length}`}).waitFor();
    for (const id of targets) {
      await page.locator(`[data-testid="batch-target"][data-task-id="${id}"]`).waitFor();
    }
    await shot('batch');
  });

  await step('the batch is listed, completed', async () => {
    await byTestId('nav-batches').click();
    await page.locator(`[data-testid="batch-row"][data-batch-id="${result.batchId}"]`)
      .getByTestId('batch-status').filter({hasText: /^completed$/}).waitFor();
    await shot('batches');
  });

  await step('sign out forgets the key', async () => {
    await byTestId('sign-out').click();
    await byTestId('api-key').waitFor();
    const kept = await page.evaluate(() => window.sessionStorage.length + window.localStorage.length);
    if (kept !== 0) {
      throw new Error('the key is still stored after signing out');
    }
  });

  if (problems.length) {
    throw new Error(`the page reported problems:\n  ${problems.join('\n  ')}`);
  }
  console.log(`RESULT ${JSON.stringify(result)}`);
} catch (error) {
  console.error(`FAIL ${current}: ${error.message}`);
  if (screenshots && context) {
    // What the page showed when the step failed.
    await mkdir(screenshots, {recursive: true});
    await context.pages()[0]?.screenshot({path: join(screenshots, 'failure.png'), fullPage: true})
      .catch(() => {});
  }
  if (problems.length) {
    console.error(`  the page also reported:\n  ${problems.join('\n  ')}`);
  }
  process.exitCode = 1;
} finally {
  await context?.close();
  await rm(profile, {recursive: true, force: true});
}
