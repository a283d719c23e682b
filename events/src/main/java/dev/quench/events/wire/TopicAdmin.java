package dev.quench.events.wire;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What creating and checking quench's topics needs from a Kafka admin client; each process adapts its own client.
 * The policy itself is {@link #ensure}, so every process applies the same one.
 */
public interface TopicAdmin {

  /** Creates these topics; one that exists already, created by another process say, is not an error. */
  void createMissing(List<TopicSpec> topics);

  /** The partition count of each named topic the cluster knows now; a topic not (yet) known is left out. */
  Map<String, Integer> partitionCounts(Collection<String> names);

  /**
   * Creates the topics that are missing, waits until all are visible (a topic just created may not be known to
   * every broker yet), and refuses topics that are not co-partitioned. It never adds partitions: that would move
   * tasks to other partitions and break the per-task order everything relies on.
   *
   * @return the partition count the topics have, which may differ from the one asked for if they existed already
   * @throws IllegalStateException if the topics are not all visible within {@code timeout}, or their partition
   *     counts differ
   */
  static int ensure(TopicAdmin admin, List<TopicSpec> specs, Duration timeout) {
    admin.createMissing(specs);
    List<String> names = specs.stream().map(TopicSpec::name).toList();
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Integer> counts = admin.partitionCounts(names);
    while (counts.size() < names.size()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("quench's topics are not all visible after " + timeout + ": found "
            + counts.keySet() + " of " + names);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for quench's topics", e);
      }
      counts = admin.partitionCounts(names);
    }
    if (counts.values().stream().distinct().count() != 1) {
      throw new IllegalStateException("quench's topics must all have the same number of partitions, so that a task's "
          + "requests, log and view sit in partitions of the same number, but they have " + counts + ". Recreate the"
          + " odd ones with the log's partition count; never add partitions to a keyed topic.");
    }
    return counts.values().iterator().next();
  }
}
