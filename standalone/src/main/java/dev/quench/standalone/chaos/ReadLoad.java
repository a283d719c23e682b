package dev.quench.standalone.chaos;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads beside the {@link LoadDriver}'s writes: {@code GET /v1/tasks/{id}} of a task the load created, picked at
 * random, at a steady rate. Reads change nothing, so nothing about them is checked against the log; their answers
 * are counted ({@code 200}, a {@code 404} from an instance whose replica has not yet seen the create, no answer).
 */
final class ReadLoad implements AutoCloseable {

  private final TaskApi api;
  private final LoadDriver load;
  private final Random random;
  private final double rate;
  private final Map<String, Integer> answers = new TreeMap<>();
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "soak-reads");
    thread.setDaemon(true);
    return thread;
  });

  /** @param rate reads a second */
  ReadLoad(TaskApi api, LoadDriver load, Random random, double rate) {
    this.api = api;
    this.load = load;
    this.random = random;
    this.rate = rate;
  }

  void start() {
    pacer.scheduleAtFixedRate(this::read, 0, (long) (1_000_000_000L / rate), TimeUnit.NANOSECONDS);
  }

  synchronized Map<String, Integer> answers() {
    return new TreeMap<>(answers);
  }

  private void read() {
    List<LoadDriver.Acknowledged> acknowledged = load.acknowledged();
    if (acknowledged.isEmpty()) {
      return;
    }
    LoadDriver.Acknowledged pick = acknowledged.get(random.nextInt(acknowledged.size()));
    TaskApi.Answer answer = api.get(pick.taskId(), "soak-read-" + UUID.randomUUID());
    synchronized (this) {
      answers.merge(answer.outcome(), 1, Integer::sum);
    }
  }

  @Override
  public void close() throws InterruptedException {
    // Not shutdownNow: a read in flight gets its answer rather than an interrupt counted as one.
    pacer.shutdown();
    if (!pacer.awaitTermination(20, TimeUnit.SECONDS)) {
      pacer.shutdownNow();
    }
  }
}
