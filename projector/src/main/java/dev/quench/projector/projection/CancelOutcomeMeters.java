package dev.quench.projector.projection;

import dev.quench.events.CancelNoOp;
import dev.quench.events.CancelRecord;
import dev.quench.events.Envelope;
import dev.quench.events.NoOpReason;
import dev.quench.events.PendingCancel;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The cancellation SLO as the log tells it: every cancel request's outcome, counted once ({@value #OUTCOMES}), and
 * the time from the request to its outcome ({@value #LATENCY}), both tagged {@code outcome} ({@code cancelled} or the
 * no-op reason), {@code was} ({@code queued} or {@code running} for a cancel, {@code none} for a no-op) and
 * {@code forced}.
 *
 * <p>The latency is the outcome's {@code occurred_at} minus its request's, two clocks (the api's and the worker's):
 * skew between them shifts it, and a negative difference is recorded as zero. An {@code unknown_task} no-op has no
 * task, hence no request time to measure from: it is counted, not timed.
 *
 * <p>Counters are per process and start at zero with it; {@code increase()} and {@code rate()} handle the restarts.
 */
final class CancelOutcomeMeters {

  static final String OUTCOMES = "quench.cancel.outcomes";
  static final String LATENCY = "quench.cancel.outcome.latency";

  /** Bucket bounds lined up with the targets (10 ms to stop a running task, 50-100 ms to show a cancel). */
  private static final Duration[] SLO_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
      Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofMinutes(5)};

  /**
   * One request's outcome.
   *
   * @param outcome {@code cancelled} or the no-op reason
   * @param was     what a cancel found ({@code queued}, {@code running}), or {@code none} for a no-op
   * @param forced  whether a running task had to be stopped by force
   * @param latency from the request to the outcome, or null when the request time is unknown
   */
  record Outcome(String outcome, String was, boolean forced, Duration latency) {
  }

  private final MeterRegistry registry;

  CancelOutcomeMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * The outcome {@code event} gave a request pending in {@code before}, as {@code after} (the fold) records it; null
   * when the event is no outcome, or answers no pending request (a duplicate), so nothing is counted twice.
   */
  static Outcome of(TaskState before, TaskState after, Envelope event) {
    if (before == null || after == null
        || !(event.event() instanceof TaskCancelled || event.event() instanceof CancelNoOp)) {
      return null;
    }
    boolean wasPending = before.pendingCancels().stream().map(PendingCancel::requestId)
        .anyMatch(event.causationId()::equals);
    boolean isPending = after.pendingCancels().stream().map(PendingCancel::requestId)
        .anyMatch(event.causationId()::equals);
    CancelRecord request = after.cancelRecord(event.causationId());
    if (!wasPending || isPending || request == null) {
      return null;
    }
    Duration latency = Duration.between(request.requestedAt(), event.occurredAt());
    if (latency.isNegative()) {
      latency = Duration.ZERO;
    }
    if (event.event() instanceof TaskCancelled cancelled) {
      return new Outcome("cancelled", cancelled.was() == null ? "none" : cancelled.was().wire(), cancelled.forced(),
          latency);
    }
    return new Outcome(((CancelNoOp) event.event()).reason().wire(), "none", false, latency);
  }

  /** The outcome of a cancel of a task this projector has never seen: no view, no request time. */
  static Outcome unknownTask(Envelope event) {
    return event.event() instanceof CancelNoOp noOp && noOp.reason() == NoOpReason.UNKNOWN_TASK
        ? new Outcome(NoOpReason.UNKNOWN_TASK.wire(), "none", false, null) : null;
  }

  void record(Outcome outcome) {
    Counter.builder(OUTCOMES)
        .description("cancel requests by their outcome in the log, each counted once when its view is written")
        .tag("outcome", outcome.outcome()).tag("was", outcome.was()).tag("forced", String.valueOf(outcome.forced()))
        .register(registry).increment();
    if (outcome.latency() != null) {
      Timer.builder(LATENCY)
          .description("time from a cancel request to its outcome, by the events' occurred_at")
          .tag("outcome", outcome.outcome()).tag("was", outcome.was())
          .tag("forced", String.valueOf(outcome.forced()))
          .serviceLevelObjectives(SLO_BUCKETS)
          .register(registry).record(outcome.latency());
    }
  }
}
