package dev.quench.api.log;

import dev.quench.kafka.lag.LagWatch;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * How far behind the view topic the api's replica is, as metrics and as the {@code replica} health component.
 *
 * <p>Metrics, per view partition: {@value #LAG}, the topic's end offset (as the kafka module's {@link LagWatch} last
 * read it) minus the replica's position; and {@value #VIEW_AGE}, the time since the newest view the replica applied
 * was written, which grows while nothing is written (no harm: the lag says 0) or while the replica reads nothing
 * (the lag says how much).
 *
 * <p>Health: DOWN while the replica's loop fails and retries; OUT_OF_SERVICE until it has read the view topic as it
 * was at start, and whenever it has not yet read what the topic held {@code maxStaleness} ago (it reads that far
 * behind, so its reads would show tasks older than that); UP otherwise. It belongs to the readiness group: an api
 * behind its views should get no traffic, but restarting it would not help it catch up.
 */
public final class ReplicaStaleness implements HealthIndicator, LagWatch.EndsListener {

  static final String LAG = "quench.api.replica.lag";
  static final String VIEW_AGE = "quench.api.replica.view.age";

  private record Sample(Instant at, Map<Integer, Long> ends) {
  }

  private final ReplicaProgress replica;
  private final Clock clock;
  private final Duration maxStaleness;
  /** End-offset samples, oldest first: the newest older than {@link #maxStaleness} and every one after it. */
  private final Deque<Sample> samples = new ArrayDeque<>();

  public ReplicaStaleness(ReplicaProgress replica, MeterRegistry registry, Clock clock, Duration maxStaleness) {
    this.replica = replica;
    this.clock = clock;
    this.maxStaleness = maxStaleness;
    for (int p = 0; p < replica.partitions(); p++) {
      int partition = p;
      Gauge.builder(LAG, this, s -> s.lag(partition))
          .description("view records of the partition the api's replica has not read yet (end offset minus its "
              + "position)")
          .tag("partition", String.valueOf(p)).register(registry);
      Gauge.builder(VIEW_AGE, this, s -> s.viewAgeSeconds(partition)).baseUnit("seconds")
          .description("time since the newest view the api's replica applied from the partition was written")
          .tag("partition", String.valueOf(p)).register(registry);
    }
  }

  @Override
  public synchronized void onEnds(Map<Integer, Long> ends, Instant readAt) {
    samples.addLast(new Sample(readAt, Map.copyOf(ends)));
    Instant horizon = readAt.minus(maxStaleness);
    // Keep one sample at or before the horizon (the ends the replica must have passed by now) and all after it.
    while (samples.size() > 1) {
      Iterator<Sample> oldest = samples.iterator();
      oldest.next();
      if (oldest.next().at().isAfter(horizon)) {
        break;
      }
      samples.removeFirst();
    }
  }

  /** Records behind the latest end offsets read, or NaN before the first read. */
  synchronized double lag(int partition) {
    Sample latest = samples.peekLast();
    long position = replica.viewPosition(partition);
    if (latest == null || position < 0 || latest.ends().get(partition) == null) {
      return Double.NaN;
    }
    return Math.max(0, latest.ends().get(partition) - position);
  }

  double viewAgeSeconds(int partition) {
    long written = replica.newestViewTimestamp(partition);
    return written < 0 ? Double.NaN : Math.max(0, clock.millis() - written) / 1000.0;
  }

  @Override
  public Health health() {
    ReplicaProgress.Failure failure = replica.failure();
    if (failure != null) {
      return Health.down().withDetail("error", failure.error())
          .withDetail("since", String.valueOf(failure.since())).build();
    }
    if (!replica.isCaughtUp()) {
      return Health.outOfService().withDetail("reason", "reading the view topic to its end").build();
    }
    Map<String, Object> behind = behindHorizon();
    if (!behind.isEmpty()) {
      return Health.outOfService()
          .withDetail("reason", "views written more than " + maxStaleness + " ago not read yet")
          .withDetail("behind", behind).build();
    }
    Map<String, Object> lags = new TreeMap<>();
    for (int p = 0; p < replica.partitions(); p++) {
      double lag = lag(p);
      lags.put(String.valueOf(p), Double.isNaN(lag) ? "unknown" : (long) lag);
    }
    return Health.up().withDetail("lag", lags).build();
  }

  /** Partitions whose position is below the end they had {@link #maxStaleness} ago, with how far below. */
  private synchronized Map<String, Object> behindHorizon() {
    Instant horizon = clock.instant().minus(maxStaleness);
    Sample due = null;
    for (Sample sample : samples) {
      if (!sample.at().isAfter(horizon)) {
        due = sample;
      }
    }
    Map<String, Object> behind = new LinkedHashMap<>();
    if (due == null) {
      return behind;
    }
    for (Map.Entry<Integer, Long> end : due.ends().entrySet()) {
      long position = replica.viewPosition(end.getKey());
      if (position < end.getValue()) {
        behind.put(String.valueOf(end.getKey()), end.getValue() - Math.max(0, position));
      }
    }
    return behind;
  }
}
