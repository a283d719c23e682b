package dev.quench.api.log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

/**
 * Knows whether the Kafka cluster answers, by asking it every {@code interval} on a thread of its own. While it does
 * not, writes fail at once with a retryable 503 instead of holding a request thread until their timeout, reads skip
 * the end-offset lookup and answer from the replica, and health says DOWN; when it answers again, all resumes.
 *
 * <p>The cluster counts as gone only once it has not answered for {@link #GRACE}: one probe missed on a loaded
 * machine or in a long GC pause turned a live cluster into a second of 503s and reads that skipped their barrier.
 */
public final class BrokerWatch implements HealthIndicator, SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(BrokerWatch.class);

  private final Admin admin;
  private final Duration interval;
  private final Clock clock;
  /** How long the cluster must fail to answer before it counts as unreachable. */
  static final Duration GRACE = Duration.ofSeconds(3);

  private volatile boolean reachable = true;
  /** When the probes began failing, in the current run of failures; null while they succeed. */
  private Instant failingSince;
  private volatile Instant since;
  private volatile String lastError;
  private volatile boolean running;
  private Thread thread;

  public BrokerWatch(Admin admin, Duration interval, Clock clock) {
    this.admin = admin;
    this.interval = interval;
    this.clock = clock;
    this.since = clock.instant();
  }

  /** Whether the cluster answered, or has failed to for less than {@link #GRACE}. */
  public boolean reachable() {
    return reachable;
  }

  @Override
  public Health health() {
    Health.Builder health = reachable ? Health.up() : Health.down().withDetail("error", lastError);
    return health.withDetail("kafka", reachable ? "reachable" : "unreachable").withDetail("since", since.toString())
        .build();
  }

  @Override
  public void start() {
    running = true;
    thread = new Thread(this::watch, "quench-api-broker-watch");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void stop() {
    running = false;
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void watch() {
    while (running) {
      boolean answered;
      try {
        admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) interval.toMillis() * 2))
            .nodes().get(interval.toMillis() * 2, TimeUnit.MILLISECONDS);
        answered = true;
      } catch (InterruptedException e) {
        return;
      } catch (Exception e) {
        answered = false;
        lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      }
      Instant now = clock.instant();
      if (answered) {
        failingSince = null;
      } else if (failingSince == null) {
        failingSince = now;
      }
      boolean gone = !answered && !now.isBefore(failingSince.plus(GRACE));
      if (answered != reachable && (answered || gone)) {
        reachable = answered;
        since = now;
        if (answered) {
          log.info("the Kafka cluster answers again: accepting requests");
        } else {
          log.warn("the Kafka cluster does not answer ({}): refusing writes with 503 until it does", lastError);
        }
      }
      try {
        Thread.sleep(interval.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
