package dev.quench.standalone.chaos;

import dev.quench.standalone.ProcStat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * One measured step of the {@link ScaleRun}: a closed loop of requests, {@code inFlight} at a time, and the CPU every
 * process of the deployment spent over it. The window runs from the first request until a fixed tail after the last
 * answer, so the work the requests started downstream (the worker deciding, the projector folding, the replicas
 * following) is in it; the tail's idle CPU is too, which makes the figure an upper bound.
 */
final class ScaleStep {

  /**
   * What a step measured.
   *
   * @param acknowledged requests answered 2xx
   * @param refused      requests answered otherwise, or not at all
   * @param perSecond    acknowledged requests a second over the load (the tail left out)
   * @param p50          the answers' median latency, ms, as the client saw it; null if none
   * @param p99          their 99th percentile, ms; null if none
   * @param cpuMillis    CPU milliseconds over the window, per process ({@code api-1}, {@code worker-2},
   *                     {@code broker-1}, ...)
   * @param window       the window the CPU was read over
   */
  record Figures(int acknowledged, int refused, double perSecond, Double p50, Double p99,
                 Map<String, Double> cpuMillis, Duration window) {

    /** CPU milliseconds per acknowledged request of the processes whose id starts with {@code role}. */
    double perRequest(String role) {
      double sum = cpuMillis.entrySet().stream().filter(e -> e.getKey().startsWith(role))
          .mapToDouble(Map.Entry::getValue).sum();
      return acknowledged == 0 ? Double.NaN : sum / acknowledged;
    }

    /** CPU milliseconds per acknowledged request of every process. */
    double perRequest() {
      double sum = cpuMillis.values().stream().mapToDouble(Double::doubleValue).sum();
      return acknowledged == 0 ? Double.NaN : sum / acknowledged;
    }

    /**
     * CPU milliseconds per acknowledged request beyond what the processes whose id starts with {@code role} spend
     * idle, at {@code idle}'s rate over this window: the part that grows with requests.
     */
    double marginal(String role, Figures idle) {
      double sum = 0;
      for (Map.Entry<String, Double> e : cpuMillis.entrySet()) {
        if (e.getKey().startsWith(role)) {
          Double idleMillis = idle.cpuMillis().get(e.getKey());
          double idleRate = idleMillis == null ? 0 : idleMillis / idle.window().toMillis();
          sum += e.getValue() - idleRate * window.toMillis();
        }
      }
      return acknowledged == 0 ? Double.NaN : sum / acknowledged;
    }

    /** How many cores the deployment kept busy on average over the window. */
    double coresBusy() {
      return cpuMillis.values().stream().mapToDouble(Double::doubleValue).sum() / window.toMillis();
    }
  }

  /** One request of the loop: whether it was acknowledged; the id it produced goes to {@code produced}. */
  interface Request {
    TaskApi.Answer send(String requestId);
  }

  private ScaleStep() {
  }

  /** The CPU of {@code processes} over {@code duration} with no requests: what they spend idle. */
  static Figures idle(Duration duration, Supplier<Map<String, Long>> processes) throws InterruptedException {
    return run(() -> null, 1, Duration.ZERO, duration, processes, "idle", new ConcurrentLinkedQueue<>());
  }

  /**
   * Sends requests from {@code next} (null: none left) {@code inFlight} at a time until {@code duration} has passed
   * or none is left, then waits {@code tail} and reads the CPU of {@code processes} (id to pid, read at the start and
   * at the end; a pid that is gone by then counts nothing).
   *
   * @param produced the task id of every acknowledged answer, appended
   */
  static Figures run(Supplier<Request> next, int inFlight, Duration duration, Duration tail,
                     Supplier<Map<String, Long>> processes, String requestPrefix, Queue<String> produced)
      throws InterruptedException {
    Map<String, Long> pids = processes.get();
    Map<String, Long> before = cpuNanos(pids);
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicInteger refused = new AtomicInteger();
    AtomicInteger sequence = new AtomicInteger();
    ExecutorService clients = Executors.newFixedThreadPool(inFlight, r -> {
      Thread t = new Thread(r, "scale-client");
      t.setDaemon(true);
      return t;
    });
    for (int i = 0; i < inFlight; i++) {
      clients.execute(() -> {
        while (System.nanoTime() - deadline < 0) {
          Request request;
          synchronized (next) {
            request = next.get();
          }
          if (request == null) {
            return;
          }
          long sent = System.nanoTime();
          TaskApi.Answer answer = request.send(requestPrefix + "-" + sequence.incrementAndGet());
          if (answer.status() / 100 == 2) {
            latencies.add(System.nanoTime() - sent);
            if (answer.taskId() != null) {
              produced.add(answer.taskId());
            }
          } else {
            refused.incrementAndGet();
          }
        }
      });
    }
    clients.shutdown();
    if (!clients.awaitTermination(duration.toMillis() + 60_000, TimeUnit.MILLISECONDS)) {
      clients.shutdownNow();
      throw new IllegalStateException("the step's clients did not finish a minute after its end");
    }
    long loadEnded = System.nanoTime();
    Thread.sleep(tail.toMillis());
    Map<String, Long> after = cpuNanos(pids);
    Duration window = Duration.ofNanos(System.nanoTime() - started);

    Map<String, Double> cpu = new LinkedHashMap<>();
    before.forEach((id, nanos) -> {
      Long end = after.get(id);
      if (nanos >= 0 && end != null && end >= nanos) {
        cpu.put(id, (end - nanos) / 1e6);
      }
    });
    List<Long> sorted = new ArrayList<>(latencies);
    Collections.sort(sorted);
    double loadSeconds = (loadEnded - started) / 1e9;
    return new Figures(sorted.size(), refused.get(), sorted.size() / loadSeconds, millis(sorted, 0.50),
        millis(sorted, 0.99), cpu, window);
  }

  private static Map<String, Long> cpuNanos(Map<String, Long> pids) {
    Map<String, Long> nanos = new LinkedHashMap<>();
    pids.forEach((id, pid) -> nanos.put(id, ProcStat.cpuNanos(Long.toString(pid))));
    return nanos;
  }

  /** The {@code q} quantile of sorted nanoseconds by the nearest rank, in milliseconds; null for none. */
  static Double millis(List<Long> sorted, double q) {
    if (sorted.isEmpty()) {
      return null;
    }
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size(), rank) - 1)) / 1e6;
  }
}
