package dev.quench.api.log;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a read where the requests topic ends now, so it can wait until the replica has read that far and see every
 * request acknowledged before it began, by any api instance (read-your-writes across instances).
 *
 * <p>Reads arriving together share one end-offsets lookup: one thread takes every waiting read, asks the broker
 * once for all their partitions, and answers them all. Under load a lookup serves many reads; alone, a read pays
 * one round trip to the broker.
 */
final class ReadBarrier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReadBarrier.class);

  private record Waiter(Set<Integer> partitions, CompletableFuture<Map<Integer, Long>> ends) {
  }

  private final LinkedBlockingQueue<Waiter> waiting = new LinkedBlockingQueue<>();
  private final Function<Set<TopicPartition>, Map<TopicPartition, Long>> endOffsets;
  private final String topic;
  private final Thread thread;
  private volatile boolean open = true;

  /** @param endOffsets asks the broker for the end offsets of these partitions */
  ReadBarrier(String topic, Function<Set<TopicPartition>, Map<TopicPartition, Long>> endOffsets) {
    this.topic = topic;
    this.endOffsets = endOffsets;
    this.thread = new Thread(this::serve, "quench-api-read-barrier");
    this.thread.setDaemon(true);
    this.thread.start();
  }

  /**
   * The ends of these requests partitions as of some moment after this call; empty if the broker did not say in
   * time (the read then goes on with what the replica has).
   */
  Map<Integer, Long> endsAfterNow(Set<Integer> partitions, Duration timeout) throws InterruptedException {
    CompletableFuture<Map<Integer, Long>> ends = new CompletableFuture<>();
    waiting.add(new Waiter(partitions, ends));
    try {
      return ends.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return Map.of();
    }
  }

  private void serve() {
    while (open) {
      List<Waiter> batch = new ArrayList<>();
      try {
        batch.add(waiting.take());
      } catch (InterruptedException e) {
        return;
      }
      waiting.drainTo(batch);
      Set<TopicPartition> partitions = new HashSet<>();
      batch.forEach(w -> w.partitions.forEach(p -> partitions.add(new TopicPartition(topic, p))));
      Map<TopicPartition, Long> ends;
      try {
        ends = endOffsets.apply(partitions);
      } catch (RuntimeException e) {
        log.warn("cannot read the end offsets of {}: reads go on with what this replica has", partitions, e);
        ends = new HashMap<>();
      }
      for (Waiter w : batch) {
        Map<Integer, Long> found = new HashMap<>();
        for (int p : w.partitions) {
          Long end = ends.get(new TopicPartition(topic, p));
          if (end != null) {
            found.put(p, end);
          }
        }
        w.ends.complete(found);
      }
    }
  }

  @Override
  public void close() {
    open = false;
    thread.interrupt();
  }
}
