package dev.quench.benchmark.creates;

import dev.quench.benchmark.http.ApiClient;
import dev.quench.benchmark.report.Latency;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Creates tasks closed loop: a fixed number of creates in flight, the next one sent as soon as one is answered. What
 * it measures is the api's throughput at that concurrency, with each create's latency from its send.
 */
public final class TaskCreator {

  /** A queued {@code sleep} of an hour: behind long sleeps that hold every slot, it stays queued. */
  public static final String LONG_SLEEP = "{\"duration_ms\":3600000}";

  /**
   * What a batch of creates did.
   *
   * @param ids      the created tasks, in the order their answers came
   * @param failed   creates not answered 2xx, by status (0: no answer)
   * @param elapsed  from the first send to the last answer
   * @param latency  of the 2xx creates
   */
  public record Result(List<String> ids, Map<Integer, Long> failed, Duration elapsed, Histogram latency) {

    public double perSecond() {
      return ids.size() / Math.max(1e-9, elapsed.toNanos() / 1e9);
    }

    public long failures() {
      return failed.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final ApiClient api;

  public TaskCreator(ApiClient api) {
    this.api = api;
  }

  /** Creates until {@code count} were sent or {@code duration} passed, whichever comes first. */
  public Result create(int count, Duration duration, String capability, String input, int inFlight)
      throws InterruptedException {
    return create(count, duration, api.create(capability, input), inFlight);
  }

  /** Sends this create request {@code count} times, or until {@code duration} passed. */
  public Result create(int count, Duration duration, HttpRequest request, int inFlight) throws InterruptedException {
    Semaphore slots = new Semaphore(inFlight);
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    Map<Integer, Long> failed = Collections.synchronizedMap(new TreeMap<>());
    Histogram latency = Latency.histogram();
    AtomicLong lastAnswer = new AtomicLong();
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
    for (int i = 0; i < count && System.nanoTime() - deadline < 0; i++) {
      slots.acquire();
      long sent = System.nanoTime();
      api.sendAsync(request).whenComplete((response, error) -> {
        long now = System.nanoTime();
        String id = error == null && response.statusCode() / 100 == 2 ? ApiClient.taskId(response.body()) : null;
        if (id != null) {
          ids.add(id);
          synchronized (latency) {
            Latency.record(latency, now - sent);
          }
        } else {
          failed.merge(error == null ? response.statusCode() : 0, 1L, Long::sum);
        }
        lastAnswer.accumulateAndGet(now, Math::max);
        slots.release();
      });
    }
    slots.acquire(inFlight);
    slots.release(inFlight);
    return new Result(List.copyOf(ids), Map.copyOf(failed),
        Duration.ofNanos(Math.max(0, lastAnswer.get() - started)), latency);
  }
}
