package dev.quench.standalone.chaos;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.SimpleCommandLinePropertySource;

/**
 * What a chaos run does, bound from {@code --name=value} arguments like any Spring property
 * ({@code --kill-every=5s}, {@code --duration=10m}).
 *
 * @param duration          how long the load and the kills last; the run then waits for quiet and checks
 * @param seed              seeds every random choice (durations, which request, whom to kill); the same seed makes
 *                          the same choices, though timing still makes every run different
 * @param rate              task creations per second; cancels come on top, about one per creation
 * @param killEvery         the mean time between two kills; one process is down at a time, so a slow restart
 *                          stretches it
 * @param clients           HTTP clients sending at once
 * @param maxTaskDuration   the longest {@code sleep} task; durations are mixed between 0 and this
 * @param quietTimeout      after the load stops, how long every task may take to end and every view to catch up
 * @param partitions        partitions of each topic: the unit the two workers and the two projectors share
 * @param workerConcurrency tasks one worker runs at once: few, so that tasks queue and cancels find them queued
 * @param bigBatch          targets of the one large batch accepted while the kills go on ({@link BigBatch}); 0 for none
 * @param bigBatchRate      its {@code max_per_second}: low enough that handing it on spans several kills
 * @param dir               where the broker's data, the services' logs and the timeline of the run go
 */
record ChaosSettings(Duration duration, long seed, double rate, Duration killEvery, int clients,
                     Duration maxTaskDuration, Duration quietTimeout, int partitions, int workerConcurrency,
                     int bigBatch, int bigBatchRate, Path dir) {

  ChaosSettings {
    requirePositive("duration", duration);
    requirePositive("kill-every", killEvery);
    requirePositive("max-task-duration", maxTaskDuration);
    requirePositive("quiet-timeout", quietTimeout);
    if (!(rate > 0)) {
      throw new IllegalArgumentException("rate must be positive, was " + rate);
    }
    if (clients < 1 || partitions < 1 || workerConcurrency < 1) {
      throw new IllegalArgumentException("clients, partitions and worker-concurrency must be at least 1");
    }
    if (bigBatch < 0 || bigBatch > BigBatch.MAX_TARGETS) {
      throw new IllegalArgumentException("big-batch must be from 0 (none) to " + BigBatch.MAX_TARGETS + ", was "
          + bigBatch);
    }
    if (bigBatchRate < 1 || bigBatchRate > BigBatch.MAX_RATE) {
      throw new IllegalArgumentException("big-batch-rate must be from 1 to " + BigBatch.MAX_RATE + ", was "
          + bigBatchRate);
    }
    dir = dir.toAbsolutePath();
  }

  /**
   * Binds {@code --name=value} arguments; unset settings take the long run's defaults. Arguments only: names this
   * plain would otherwise pick up any {@code RATE} or {@code DIR} in the environment.
   */
  static ChaosSettings from(String... args) {
    MutablePropertySources sources = new MutablePropertySources();
    sources.addFirst(new SimpleCommandLinePropertySource(args));
    Binder binder = new Binder(ConfigurationPropertySources.from(sources));
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    return new ChaosSettings(
        binder.bind("duration", Duration.class).orElse(Duration.ofMinutes(5)),
        binder.bind("seed", Long.class).orElseGet(() -> new SecureRandom().nextLong()),
        binder.bind("rate", Double.class).orElse(2.0),
        binder.bind("kill-every", Duration.class).orElse(Duration.ofSeconds(8)),
        binder.bind("clients", Integer.class).orElse(4),
        binder.bind("max-task-duration", Duration.class).orElse(Duration.ofSeconds(3)),
        binder.bind("quiet-timeout", Duration.class).orElse(Duration.ofSeconds(120)),
        binder.bind("partitions", Integer.class).orElse(6),
        binder.bind("worker-concurrency", Integer.class).orElse(2),
        binder.bind("big-batch", Integer.class).orElse(10_000),
        binder.bind("big-batch-rate", Integer.class).orElse(100),
        binder.bind("dir", Path.class).orElseGet(
            () -> Path.of(System.getProperty("java.io.tmpdir"), "quench-chaos-" + stamp)));
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
