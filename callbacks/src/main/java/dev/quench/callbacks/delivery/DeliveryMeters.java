package dev.quench.callbacks.delivery;

import dev.quench.events.CallbackAbandoned;
import dev.quench.events.CallbackAttempted;
import dev.quench.events.CallbackDelivered;
import dev.quench.events.TaskEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The deliverer's meters (names in the README): attempts by what they came to, failed runs, and what is pending now.
 * The gauges read the {@link DeliveryStatus} the loop publishes, so a scrape never touches the loop's maps.
 */
final class DeliveryMeters {

  private final Counter delivered;
  private final Counter retry;
  private final Counter abandoned;
  private final Counter failures;

  DeliveryMeters(MeterRegistry registry, DeliveryStatus status, Clock clock) {
    // Registered up front, at zero: a series that appears only with its first increment loses that one to increase().
    delivered = attempts(registry, "delivered");
    retry = attempts(registry, "retry");
    abandoned = attempts(registry, "abandoned");
    failures = Counter.builder("quench.callbacks.failures").description("delivery runs that failed and were restarted")
        .register(registry);
    Gauge.builder("quench.callbacks.pending", status, s -> s.snapshot().progress().pending())
        .description("callbacks of this deliverer's restored partitions that are due or waiting for a retry")
        .register(registry);
    Gauge.builder("quench.callbacks.pending.oldest.due", status, s -> oldestDueSeconds(s, clock))
        .description("how long the earliest due of those has been due (0 when none is)").baseUnit("seconds")
        .register(registry);
  }

  private static Counter attempts(MeterRegistry registry, String outcome) {
    return Counter.builder("quench.callbacks.attempts")
        .description("callback attempts recorded in the log, by what they came to").tag("outcome", outcome)
        .register(registry);
  }

  /** An attempt's event, once its transaction committed. */
  void recorded(TaskEvent event) {
    if (event instanceof CallbackDelivered) {
      delivered.increment();
    } else if (event instanceof CallbackAttempted) {
      retry.increment();
    } else if (event instanceof CallbackAbandoned) {
      abandoned.increment();
    }
  }

  void runFailed() {
    failures.increment();
  }

  private static double oldestDueSeconds(DeliveryStatus status, Clock clock) {
    Instant due = status.snapshot().progress().earliestDue();
    if (due == null) {
      return 0;
    }
    Duration age = Duration.between(due, clock.instant());
    return age.isNegative() ? 0 : age.toMillis() / 1000.0;
  }
}
