package dev.quench.benchmark.profile;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Where the pipeline's own threads spend their time, without touching their code: the services run in this JVM, so
 * their threads can be sampled by name (every 20 ms) and each sample filed under the innermost Kafka client call, or
 * quench step, on its stack. A thread that is 60% in {@code commitTransaction} while cancels queue up is the hop to
 * look at.
 */
public final class ThreadSampler implements AutoCloseable {

  /** The threads a cancel passes through, by the names their services give them. */
  public static final List<String> PIPELINE_THREADS = List.of("quench-worker-owner", "quench-projector",
      "quench-api-replica", "quench-api-read-barrier");

  private static final long INTERVAL_MS = 20;
  private static final int DEPTH = 64;

  /** A kind of work, recognised by a frame: class name suffix and method name. */
  private record Marker(String classSuffix, String method, String label) {
    boolean matches(StackTraceElement frame) {
      return frame.getClassName().endsWith(classSuffix) && (method == null || frame.getMethodName().equals(method));
    }
  }

  // The innermost match wins, so list what callers are made of after what they call.
  private static final List<Marker> MARKERS = List.of(
      new Marker("KafkaProducer", "commitTransaction", "commitTransaction"),
      new Marker("KafkaProducer", "sendOffsetsToTransaction", "sendOffsetsToTransaction"),
      new Marker("KafkaProducer", "beginTransaction", "beginTransaction"),
      new Marker("KafkaProducer", "flush", "producer flush"),
      new Marker("FutureRecordMetadata", "get", "await send"),
      new Marker("KafkaProducer", "send", "producer send"),
      new Marker("KafkaConsumer", "poll", "consumer poll"),
      new Marker("KafkaConsumer", "commitSync", "commitSync"),
      new Marker("KafkaConsumer", "position", "consumer position"),
      new Marker("KafkaFutureImpl", "get", "await admin (listOffsets)"),
      new Marker("LinkedBlockingQueue", "take", "idle"),
      new Marker("EventCodec", null, "JSON codec"),
      new Marker("TaskState", null, "fold"),
      new Marker("TaskDecider", null, "decide"));

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final List<String> names;
  private final Map<String, Map<String, Integer>> samples = new LinkedHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;

  public ThreadSampler(List<String> names) {
    this.names = List.copyOf(names);
    names.forEach(name -> samples.put(name, new TreeMap<>()));
    this.thread = new Thread(this::loop, "bench-thread-sampler");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long[] ids = new long[0];
    long refreshed = 0;
    while (running) {
      long now = System.nanoTime();
      if (now - refreshed > TimeUnit.SECONDS.toNanos(1)) {
        ids = idsOf(names);
        refreshed = now;
      }
      for (ThreadInfo info : threads.getThreadInfo(ids, DEPTH)) {
        if (info != null && samples.containsKey(info.getThreadName())) {
          synchronized (samples) {
            samples.get(info.getThreadName()).merge(label(info.getStackTrace()), 1, Integer::sum);
          }
        }
      }
      try {
        Thread.sleep(INTERVAL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private long[] idsOf(List<String> wanted) {
    List<Long> found = new ArrayList<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds(), 0)) {
      if (info != null && wanted.contains(info.getThreadName())) {
        found.add(info.getThreadId());
      }
    }
    return found.stream().mapToLong(Long::longValue).toArray();
  }

  private static String label(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      for (Marker marker : MARKERS) {
        if (marker.matches(frame)) {
          return marker.label();
        }
      }
    }
    return "other";
  }

  /** Per thread, the share of samples in each kind of work, largest first, in percent. */
  public Map<String, Map<String, Double>> shares() {
    Map<String, Map<String, Double>> shares = new LinkedHashMap<>();
    synchronized (samples) {
      samples.forEach((name, counts) -> {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        Map<String, Double> share = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
            .forEach(e -> share.put(e.getKey(), Math.round(e.getValue() * 1000.0 / Math.max(1, total)) / 10.0));
        if (total > 0) {
          shares.put(name, share);
        }
      });
    }
    return shares;
  }

  /** {@code commitTransaction 55% · consumer poll 30% · other 15%}: the kinds of at least 2%. */
  public static String summary(Map<String, Double> share) {
    List<String> parts = new ArrayList<>();
    share.forEach((label, percent) -> {
      if (percent >= 2) {
        parts.add(label + " " + String.format(Locale.ROOT, "%.0f%%", percent));
      }
    });
    return String.join(" · ", parts);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
