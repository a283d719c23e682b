package dev.quench.worker.ownership;

import dev.quench.events.PayloadLimits;
import dev.quench.events.Progress;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskError;
import dev.quench.events.TaskState;
import dev.quench.events.Usage;
import dev.quench.worker.spi.TaskFailure;
import dev.quench.worker.spi.TaskHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The handler threads of one worker: runs tasks, fires their tokens, interrupts and finally abandons handlers that
 * ignore them, and hands every progress report and result to the owner through {@code reports}. Thread-safe:
 * {@link #cancel} may be called from any thread.
 */
final class RunningTasks {

  private static final Logger log = LoggerFactory.getLogger(RunningTasks.class);

  /** The largest output kept, in characters of JSON: 1 Mi, like the largest input the api takes. */
  static final int MAX_OUTPUT_CHARS = 1024 * 1024;

  private final Map<String, Execution> byTask = new ConcurrentHashMap<>();
  private final ExecutorService threads;
  private final ScheduledExecutorService timers;
  private final Duration cancelGrace;
  private final Duration abandonAfter;
  private final Duration progressInterval;
  private final Consumer<Report> reports;
  private final BiConsumer<Instant, Instant> tokenObserved;

  /**
   * @param tokenObserved told, for each run, when its cancel was requested and when its handler first saw the token
   */
  RunningTasks(Duration cancelGrace, Duration abandonAfter, Duration progressInterval, Consumer<Report> reports,
               BiConsumer<Instant, Instant> tokenObserved) {
    this.cancelGrace = cancelGrace;
    this.abandonAfter = abandonAfter;
    this.progressInterval = progressInterval;
    this.reports = reports;
    this.tokenObserved = tokenObserved;
    // Unbounded on purpose: the owner bounds how many run; an abandoned thread must not block a new task.
    this.threads = Executors.newCachedThreadPool(daemons("quench-task-"));
    this.timers = Executors.newSingleThreadScheduledExecutor(daemons("quench-task-timer-"));
  }

  /** Handlers running now and not abandoned: the slots in use. */
  int active() {
    return byTask.size();
  }

  boolean isRunning(String taskId) {
    return byTask.containsKey(taskId);
  }

  /**
   * Runs {@code task} (status running, its attempt set) with {@code handler} on a thread of its own.
   *
   * @param price how its meter is priced, or null
   */
  void launch(int partition, TaskState task, TaskHandler handler, PriceList.Price price) {
    Execution execution = new Execution(partition, task, price, this::report, tokenObserved);
    byTask.put(task.taskId(), execution);
    threads.execute(() -> run(execution, handler));
  }

  /**
   * Fires the token of the task's run, if it runs here, and arms the interrupt and the abandon timers.
   *
   * @param requestedAt when the cancel was requested, for the latency of its reaching the handler
   * @return whether a run was found and this call fired its token
   */
  boolean cancel(String taskId, Instant requestedAt) {
    return cancel(taskId, -1, requestedAt);
  }

  /**
   * The cancel watch's way in: as {@link #cancel(String, Instant)}, remembering where the request is, so that the
   * run's end can wait for the owner to have read it.
   */
  boolean cancel(String taskId, long requestOffset, Instant requestedAt) {
    Execution execution = byTask.get(taskId);
    if (execution == null) {
      return false;
    }
    // Set before the token fires: the handler's end, which the token may cause, then sees them.
    if (requestOffset >= 0) {
      execution.watchedCancelOffset = Math.max(execution.watchedCancelOffset, requestOffset);
    }
    execution.cancelRequested(requestedAt);
    if (!execution.token.fire()) {
      return false;
    }
    timers.schedule(() -> interrupt(execution), cancelGrace.toMillis(), TimeUnit.MILLISECONDS);
    return true;
  }

  /** Runs whose token fired and whose handler has not stopped yet: cancelled, still working. */
  List<Execution> stillWorkingAfterCancel() {
    return byTask.values().stream().filter(e -> e.token.isFired() && !e.finished()).toList();
  }

  /** Stops the runs of a partition that is no longer ours; nothing they report will be written. */
  void detach(int partition) {
    byTask.values().removeIf(execution -> {
      if (execution.partition != partition) {
        return false;
      }
      stopDetached(execution);
      return true;
    });
  }

  void detachAll() {
    detachIf(execution -> true);
  }

  /** Stops and forgets the runs {@code which} selects: they belong to no owner any more. */
  void detachIf(Predicate<Execution> which) {
    byTask.values().removeIf(execution -> {
      if (!which.test(execution)) {
        return false;
      }
      stopDetached(execution);
      return true;
    });
  }

  List<Execution> executions() {
    return List.copyOf(byTask.values());
  }

  void shutdown() {
    detachAll();
    timers.shutdownNow();
    threads.shutdownNow();
  }

  private void run(Execution execution, TaskHandler handler) {
    execution.thread = Thread.currentThread();
    Outcome outcome;
    try {
      if (execution.detached) {
        return;
      }
      outcome = completed(handler.run(execution), execution.usage());
    } catch (TaskFailure failure) {
      outcome = new Outcome.Failed(new TaskError(failure.code(), failure.getMessage(), failure.retryable()),
          execution.usage());
    } catch (CancellationException | InterruptedException e) {
      outcome = stoppedOnCancel(execution, e);
    } catch (Throwable e) {
      // Once the token fired, whatever the handler throws is how it stopped; before, it is a failure.
      outcome = execution.token.isFired()
          ? new Outcome.Cancelled(execution.interrupted, execution.usage())
          : new Outcome.Failed(new TaskError(TaskError.HANDLER_ERROR, describe(e), false), execution.usage());
      if (!execution.token.isFired()) {
        log.warn("handler {} failed task {}", handler.capability(), execution.taskId(), e);
      }
    } finally {
      execution.thread = null;
      Thread.interrupted();
    }
    finish(execution, outcome);
  }

  /**
   * An output over {@link #MAX_OUTPUT_CHARS} fails the task instead: written, it would be a record too large for the
   * log, and the owner's transaction, with every other decision in it, would fail again and again.
   */
  private static Outcome completed(JsonNode output, Usage usage) {
    int depth = PayloadLimits.depth(output);
    if (depth > PayloadLimits.MAX_DEPTH) {
      return new Outcome.Failed(new TaskError("output_too_large", "the handler returned output nested " + depth
          + " levels deep; at most " + PayloadLimits.MAX_DEPTH + " are kept", false), usage);
    }
    int size = output == null ? 0 : output.toString().length();
    if (size > MAX_OUTPUT_CHARS) {
      return new Outcome.Failed(new TaskError("output_too_large", "the handler returned " + size
          + " characters of output; at most " + MAX_OUTPUT_CHARS + " are kept", false), usage);
    }
    return new Outcome.Completed(output, usage);
  }

  private static Outcome stoppedOnCancel(Execution execution, Exception e) {
    if (execution.token.isFired()) {
      return new Outcome.Cancelled(execution.interrupted, execution.usage());
    }
    return new Outcome.Failed(new TaskError(TaskError.HANDLER_ERROR,
        "the handler stopped as cancelled, but no cancel was requested: " + describe(e), true), execution.usage());
  }

  private void finish(Execution execution, Outcome outcome) {
    if (!execution.finish()) {
      return;
    }
    byTask.remove(execution.taskId(), execution);
    if (!execution.detached) {
      reports.accept(new Report.Finished(execution, outcome));
    }
  }

  private void interrupt(Execution execution) {
    if (execution.finished() || execution.detached) {
      return;
    }
    execution.interrupted = true;
    Thread thread = execution.thread;
    if (thread != null) {
      log.info("task {} ignored its cancellation for {}: interrupting its handler", execution.taskId(), cancelGrace);
      thread.interrupt();
    }
    timers.schedule(() -> abandon(execution), abandonAfter.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void abandon(Execution execution) {
    if (execution.finished() || execution.detached) {
      return;
    }
    log.warn("task {} still runs {} after its interrupt: abandoning its thread and freeing the slot",
        execution.taskId(), abandonAfter);
    finish(execution, new Outcome.Cancelled(true, execution.usage()));
  }

  private void stopDetached(Execution execution) {
    execution.detached = true;
    execution.finish();
    execution.token.fire();
    Thread thread = execution.thread;
    if (thread != null) {
      thread.interrupt();
    }
  }

  /**
   * Sends the latest progress and usage at most about once per interval per run; later reports replace unsent ones.
   * Progress goes at once when due, taking unsent usage with it. Usage alone always waits for the next flush, so a
   * task that ends first reports it once, with its end.
   */
  private void report(Execution execution, Progress progress, Usage usage) {
    if (progress != null) {
      execution.unsentProgress.set(progress);
    }
    if (usage != null) {
      execution.unsentUsage.set(usage);
    }
    long now = System.nanoTime();
    long last = execution.lastProgressNanos;
    if (progress != null && (last == 0 || now - last >= progressInterval.toNanos())) {
      flushProgress(execution);
    } else if (execution.progressFlushScheduled.compareAndSet(false, true)) {
      long wait = last == 0 ? progressInterval.toNanos() : last + progressInterval.toNanos() - now;
      timers.schedule(() -> {
        execution.progressFlushScheduled.set(false);
        flushProgress(execution);
      }, Math.max(wait, progressInterval.toNanos() / 10), TimeUnit.NANOSECONDS);
    }
  }

  private void flushProgress(Execution execution) {
    Progress progress = execution.unsentProgress.getAndSet(null);
    Usage usage = execution.unsentUsage.getAndSet(null);
    if ((progress == null && usage == null) || execution.finished() || execution.detached) {
      return;
    }
    execution.lastProgressNanos = System.nanoTime();
    reports.accept(new Report.Progressed(execution, progress, usage));
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static ThreadFactory daemons(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
