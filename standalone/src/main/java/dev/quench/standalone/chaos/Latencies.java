package dev.quench.standalone.chaos;

import dev.quench.standalone.chaos.LoadDriver.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * How long each acknowledged request of the load took, from sending it to its 2xx, as the client saw it; by kind and
 * by when the answer came, so a window of the run (a soak's last minute) can be read on its own.
 */
final class Latencies {

  private record Timing(Kind kind, long answeredNanos, long nanos) {
  }

  private final ConcurrentLinkedQueue<Timing> timings = new ConcurrentLinkedQueue<>();

  void record(Kind kind, long sentNanos, long answeredNanos) {
    timings.add(new Timing(kind, answeredNanos, answeredNanos - sentNanos));
  }

  /**
   * The milliseconds of the {@code kind} requests answered from {@code fromNanos} (inclusive) to {@code toNanos}
   * (exclusive), by {@link System#nanoTime()}, in the order answered.
   */
  List<Double> millis(Kind kind, long fromNanos, long toNanos) {
    List<Double> window = new ArrayList<>();
    for (Timing timing : timings) {
      if (timing.kind() == kind && timing.answeredNanos() - fromNanos >= 0 && timing.answeredNanos() - toNanos < 0) {
        window.add(timing.nanos() / 1e6);
      }
    }
    return window;
  }

  /** The {@code q} quantile (0 to 1) of {@code values} by the nearest rank; null for none. */
  static Double quantile(List<Double> values, double q) {
    if (values.isEmpty()) {
      return null;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(null);
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}
