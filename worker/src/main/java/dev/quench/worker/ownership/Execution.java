package dev.quench.worker.ownership;

import dev.quench.events.Progress;
import dev.quench.events.Usage;
import dev.quench.events.UsageLine;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import dev.quench.events.TaskState;
import dev.quench.worker.spi.TaskContext;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/** One run of one task on a handler thread: its context, its token, and whether it still counts. */
final class Execution implements TaskContext {

  final int partition;
  private final TaskState task;
  final TaskCancellation token;
  /** When the first cancel that reached this run was requested, or null. */
  private volatile Instant cancelRequestedAt;
  /** Set once the worker interrupted the thread: the stop was forced. */
  volatile boolean interrupted;
  /** Set when the partition is no longer ours: nothing this run reports may be written. */
  volatile boolean detached;
  volatile Thread thread;
  /**
   * The offset, in its requests partition, of the cancel the {@link CancelWatch} stopped this run for, or -1: the
   * owner may not have read that cancel yet when the run ends.
   */
  volatile long watchedCancelOffset = -1;
  private final AtomicBoolean finished = new AtomicBoolean();
  final AtomicReference<Progress> unsentProgress = new AtomicReference<>();
  final AtomicReference<Usage> unsentUsage = new AtomicReference<>();
  private volatile Usage usage;
  final AtomicBoolean progressFlushScheduled = new AtomicBoolean();
  volatile long lastProgressNanos;
  private final ProgressSink progressSink;
  private final PriceList.Price price;

  /** Where progress and usage reports go; throttled by {@link RunningTasks}. */
  interface ProgressSink {
    void report(Execution execution, Progress progress, Usage usage);
  }

  /**
   * @param price         how this run's meter is priced, or null if the capability is free
   * @param tokenObserved told when the run's cancel was requested and when its handler first saw the token
   */
  Execution(int partition, TaskState task, PriceList.Price price, ProgressSink progressSink,
            BiConsumer<Instant, Instant> tokenObserved) {
    this.partition = partition;
    this.task = task;
    this.price = price;
    this.progressSink = progressSink;
    this.token = new TaskCancellation(observedAt -> {
      Instant requested = cancelRequestedAt;
      if (requested != null) {
        tokenObserved.accept(requested, observedAt);
      }
    });
  }

  /** Keeps when the first cancel that reached this run was requested. */
  void cancelRequested(Instant requestedAt) {
    if (cancelRequestedAt == null && requestedAt != null) {
      cancelRequestedAt = requestedAt;
    }
  }

  /** When the first cancel that reached this run was requested, or null. */
  Instant cancelRequestedAt() {
    return cancelRequestedAt;
  }

  /** The run's usage as last reported, or null. */
  Usage usage() {
    return usage;
  }

  /** Claims the right to report this run's end; true only for the first caller (handler or abandon timer). */
  boolean finish() {
    return finished.compareAndSet(false, true);
  }

  boolean finished() {
    return finished.get();
  }

  @Override
  public String taskId() {
    return task.taskId();
  }

  @Override
  public String tenant() {
    return task.tenant();
  }

  @Override
  public int attempt() {
    return task.attempt();
  }

  @Override
  public JsonNode input() {
    return task.input();
  }

  @Override
  public String model() {
    return task.model();
  }

  @Override
  public Map<String, String> metadata() {
    return task.metadata();
  }

  @Override
  public TaskCancellation cancellation() {
    return token;
  }

  @Override
  public void progress(Integer percent, String stage, String message) {
    if (!finished.get()) {
      progressSink.report(this, new Progress(clamp(percent), stage, message), null);
    }
  }

  @Override
  public void usage(BigDecimal meterQuantity, Map<String, Long> counters) {
    List<UsageLine> lines = price == null || meterQuantity == null ? List.of() : List.of(price.line(meterQuantity));
    Usage reported = new Usage(counters, lines);
    usage = reported;
    if (!finished.get()) {
      progressSink.report(this, null, reported);
    }
  }

  private static Integer clamp(Integer percent) {
    return percent == null ? null : Math.max(0, Math.min(100, percent));
  }
}
