package dev.quench.worker.ownership;

import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The worker's meters (names in the README): what it appended, how its transactions go, and how cancels reach
 * running handlers, including the runs still working after their cancel.
 */
final class WorkerMetrics {

  private final Map<EventType, Counter> appended = new EnumMap<>(EventType.class);
  private final Counter deadLetters;
  private final Timer commits;
  private final DistributionSummary commitRecords;
  private final Timer tokenObserved;

  WorkerMetrics(MeterRegistry registry) {
    for (EventType type : EventType.values()) {
      appended.put(type, Counter.builder("quench.worker.events").description("events appended to the log")
          .tag("type", type.wire()).register(registry));
    }
    deadLetters = Counter.builder("quench.worker.dead.letters").description("requests sent to the dead-letter topic")
        .register(registry);
    commits = Timer.builder("quench.worker.commits").description("the owner's transactions, begin to commit")
        .publishPercentileHistogram().register(registry);
    commitRecords = DistributionSummary.builder("quench.worker.commit.records")
        .description("records one transaction appended").publishPercentileHistogram().register(registry);
    tokenObserved = Timer.builder("quench.worker.cancel.token.observed")
        .description("a cancel's request until the running handler first saw its token")
        .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofSeconds(30)).register(registry);
  }

  /** The gauges of what is going on now; asked for at each scrape. */
  void watch(MeterRegistry registry, RunningTasks running, Supplier<Integer> queued,
             Supplier<BatchDesk.Backlog> batches, Supplier<Boolean> inSession, Clock clock) {
    Gauge.builder("quench.worker.running", running, RunningTasks::active).description("handlers running now")
        .register(registry);
    // The suppliers are held by nothing else: without a strong reference a collection would leave NaN.
    Gauge.builder("quench.worker.queued", queued, q -> q.get()).description("tasks waiting for a slot")
        .strongReference(true).register(registry);
    Gauge.builder("quench.worker.batches.in.progress", batches, b -> b.get().batches())
        .description("cancellation batches with targets this worker has still to hand on (one per batch and partition)")
        .strongReference(true).register(registry);
    Gauge.builder("quench.worker.batches.targets.waiting", batches, b -> b.get().targets())
        .description("targets of those batches not yet requested: paced by max_per_second, or waiting for a turn")
        .strongReference(true).register(registry);
    Gauge.builder("quench.worker.session", inSession, s -> s.get() ? 1 : 0)
        .description("1 while the owner loop is in a session with the cluster, 0 while it restarts one")
        .strongReference(true).register(registry);
    Gauge.builder("quench.worker.cancel.still.running", running, r -> r.stillWorkingAfterCancel().size())
        .description("runs whose cancel reached them and that are still working").register(registry);
    Gauge.builder("quench.worker.cancel.still.running.oldest", running, r -> oldestSeconds(r, clock))
        .description("how long the oldest run still working after its cancel has been asked to stop")
        .baseUnit("seconds").register(registry);
  }

  void decided(Envelope event) {
    appended.get(event.type()).increment();
  }

  void deadLettered(int count) {
    deadLetters.increment(count);
  }

  void committed(long nanos, int records) {
    commits.record(nanos, TimeUnit.NANOSECONDS);
    commitRecords.record(records);
  }

  void tokenObserved(Instant requestedAt, Instant observedAt) {
    tokenObserved.record(Duration.between(requestedAt, observedAt).abs());
  }

  private static double oldestSeconds(RunningTasks running, Clock clock) {
    Instant now = clock.instant();
    return running.stillWorkingAfterCancel().stream().map(Execution::cancelRequestedAt)
        .filter(at -> at != null).mapToDouble(at -> Duration.between(at, now).toMillis() / 1000.0)
        .max().orElse(0);
  }
}
