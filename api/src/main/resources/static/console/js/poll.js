// Live views refresh by polling until the api has an event stream to follow. One request at a time per view (never a
// pile-up behind a slow api), paused while the tab is hidden, and slower after a failure or when the api says
// Retry-After.

/**
 * Runs task() now and then every interval ms after each run ends.
 *
 * @returns {{refresh: function(): void, stop: function(): void}} refresh runs it again at once (after the run in
 *          flight, if any)
 */
export function poll(task, {interval = 1500, onSuccess = () => {}, onError = () => {}} = {}) {
  let timer = null;
  let running = false;
  let again = false;
  let stopped = false;

  async function run() {
    if (stopped) {
      return;
    }
    if (running) {
      again = true;
      return;
    }
    clearTimeout(timer);
    running = true;
    let delay = interval;
    try {
      await task();
      onSuccess();
    } catch (error) {
      onError(error);
      delay = error?.retryAfter ? error.retryAfter * 1000 : Math.min(interval * 4, 10_000);
    } finally {
      running = false;
    }
    if (stopped) {
      return;
    }
    if (again) {
      again = false;
      run();
    } else if (!document.hidden) {
      timer = setTimeout(run, delay);
    }
  }

  function visibility() {
    if (!document.hidden && !running) {
      run();
    }
  }

  document.addEventListener('visibilitychange', visibility);
  run();
  return {
    refresh: run,
    stop() {
      stopped = true;
      clearTimeout(timer);
      document.removeEventListener('visibilitychange', visibility);
    },
  };
}
