package dev.quench.api.log;

import dev.quench.events.wire.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replica's one thread: reads the view, requests and batches topics with one consumer, without a group (every
 * instance reads every partition), hands each record to {@link ReplicaUpdates}, and keeps how far it has read, so
 * a read can wait until the requests acknowledged before it are in ({@link #awaitRequests}). After a failure it
 * reads on from where it was.
 */
final class ReplicaReader {

  private static final Logger log = LoggerFactory.getLogger(ReplicaReader.class);

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final ReplicaUpdates updates;
  private final ViewStore views;
  private final ReadBarrier barrier;
  private final BooleanSupplier brokerReachable;
  private final IntSupplier pendingCount;
  private final Topics topics;
  private final int partitions;
  private final Clock clock;
  private final Duration pendingLookback;
  /** How far the requests topic has been read, per partition: the next offset to read. */
  private final long[] requestPositions;
  /** How far the view topic has been read, per partition, or -1 before the first poll: for staleness. */
  private final AtomicLongArray viewPositions;
  /** The record timestamp of the newest view applied, per partition, or -1 before any. */
  private final AtomicLongArray newestViewTimestamps;
  private final Object progress = new Object();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile String failure;
  private volatile Instant failingSince;
  private volatile boolean running;
  private volatile Consumer<String, byte[]> consumer;
  private Thread thread;

  ReplicaReader(Supplier<Consumer<String, byte[]>> consumers, ReplicaUpdates updates, ViewStore views,
                ReadBarrier barrier, BooleanSupplier brokerReachable, IntSupplier pendingCount, Topics topics,
                int partitions, Clock clock, Duration pendingLookback) {
    this.consumers = consumers;
    this.updates = updates;
    this.views = views;
    this.barrier = barrier;
    this.brokerReachable = brokerReachable;
    this.pendingCount = pendingCount;
    this.topics = topics;
    this.partitions = partitions;
    this.clock = clock;
    this.pendingLookback = pendingLookback;
    this.requestPositions = new long[partitions];
    this.viewPositions = new AtomicLongArray(partitions);
    this.newestViewTimestamps = new AtomicLongArray(partitions);
    for (int p = 0; p < partitions; p++) {
      viewPositions.set(p, -1);
      newestViewTimestamps.set(p, -1);
    }
  }

  /** Starts reading, and returns once every topic was read to where it ended at the start. */
  void start(Duration timeout) {
    running = true;
    thread = new Thread(this::loop, "quench-api-replica");
    thread.setDaemon(true);
    thread.start();
    try {
      if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the view replica did not catch up within " + timeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the view replica caught up", e);
    }
  }

  void stop() {
    running = false;
    barrier.close();
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
    try {
      if (thread != null) {
        thread.join(TimeUnit.SECONDS.toMillis(10));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  boolean running() {
    return running;
  }

  boolean caughtUp() {
    return caughtUp.getCount() == 0;
  }

  long viewPosition(int partition) {
    return viewPositions.get(partition);
  }

  long newestViewTimestamp(int partition) {
    return newestViewTimestamps.get(partition);
  }

  ReplicaProgress.Failure failure() {
    String error = failure;
    if (error == null && running && thread != null && !thread.isAlive()) {
      error = "the replica's thread has ended";
    }
    return error == null ? null : new ReplicaProgress.Failure(error, failingSince);
  }

  /**
   * Waits, at most {@code timeout}, until every request appended to these partitions before the call, by any
   * instance, has been read.
   *
   * @return whether it was: false if the broker is unreachable, did not tell the partitions' ends in time, or the
   *     requests up to them were not read in time (a read answers with what it has; a batch's targets must not)
   */
  boolean awaitRequests(Set<Integer> partitionsToRead, Duration timeout) throws InterruptedException {
    if (!brokerReachable.getAsBoolean()) {
      // Nobody can acknowledge a write now: what this replica has is as fresh as it gets; answer without waiting.
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<Integer, Long> ends = barrier.endsAfterNow(partitionsToRead, timeout);
    if (!ends.keySet().containsAll(partitionsToRead)) {
      return false;
    }
    synchronized (progress) {
      for (Map.Entry<Integer, Long> end : ends.entrySet()) {
        while (requestPositions[end.getKey()] < end.getValue()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            log.debug("a read gave up waiting for requests up to {} on partition {}", end.getValue(), end.getKey());
            return false;
          }
          TimeUnit.NANOSECONDS.timedWait(progress, left);
        }
      }
    }
    return true;
  }

  private void loop() {
    while (running) {
      try {
        follow();
      } catch (WakeupException e) {
        // stopping
      } catch (RuntimeException e) {
        if (failure == null) {
          failingSince = clock.instant();
        }
        failure = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        log.error("the view replica failed; reading on from where it was in 1 s", e);
        sleepQuietly();
      }
    }
  }

  private void follow() {
    try (Consumer<String, byte[]> c = consumers.get()) {
      consumer = c;
      List<TopicPartition> viewPartitions = partitionsOf(topics.view());
      List<TopicPartition> requestPartitions = partitionsOf(topics.requests());
      List<TopicPartition> batchPartitions = partitionsOf(topics.batches());
      List<TopicPartition> all = new ArrayList<>(viewPartitions);
      all.addAll(requestPartitions);
      all.addAll(batchPartitions);
      c.assign(all);
      c.seekToBeginning(batchPartitions);
      Map<Integer, Long> stored = views.viewPositions();
      for (TopicPartition tp : viewPartitions) {
        // A disk store remembers how far it had read; views merge by log offset, so reading some again is harmless.
        Long position = stored.get(tp.partition());
        if (position == null) {
          c.seekToBeginning(List.of(tp));
        } else {
          c.seek(tp, position);
        }
      }
      seekRequests(c, requestPartitions);
      Map<TopicPartition, Long> startupEnd = c.endOffsets(all);
      Map<String, ConsumerRecord<String, byte[]>> batchRecords = new LinkedHashMap<>();
      while (running) {
        boolean viewsRead = false;
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
          if (record.topic().equals(topics.view())) {
            if (updates.view(record)) {
              newestViewTimestamps.accumulateAndGet(record.partition(), record.timestamp(), Math::max);
            }
            viewsRead = true;
          } else if (record.topic().equals(topics.batches())) {
            // Of a key's records in one poll only the last is read: a batch chunk is rewritten whole as its targets
            // progress, a decode costs a millisecond, and a replica behind on them holds back the views. (A record
            // without a key is no batch record: the store skips it.)
            if (record.key() != null) {
              batchRecords.put(record.key(), record);
            }
          } else {
            updates.request(record);
          }
        }
        batchRecords.values().forEach(updates::batch);
        batchRecords.clear();
        Map<Integer, Long> positions = new HashMap<>();
        viewPartitions.forEach(tp -> positions.put(tp.partition(), c.position(tp)));
        if (viewsRead) {
          views.saveViewPositions(positions);
        }
        positions.forEach(viewPositions::set);
        failure = null;
        synchronized (progress) {
          for (TopicPartition tp : requestPartitions) {
            requestPositions[tp.partition()] = c.position(tp);
          }
          progress.notifyAll();
        }
        if (!caughtUp() && all.stream().allMatch(tp -> c.position(tp) >= startupEnd.get(tp))) {
          log.info("view replica caught up: {} tasks, {} requests not yet in a view", views.size(),
              pendingCount.getAsInt());
          caughtUp.countDown();
        }
        updates.sweep();
      }
    } finally {
      consumer = null;
    }
  }

  private List<TopicPartition> partitionsOf(String topic) {
    List<TopicPartition> tps = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      tps.add(new TopicPartition(topic, p));
    }
    return tps;
  }

  /** Requests older than the lookback are in a view by now, unless the pipeline stood still that long. */
  private void seekRequests(Consumer<String, byte[]> c, List<TopicPartition> requestPartitions) {
    long since = clock.instant().minus(pendingLookback).toEpochMilli();
    Map<TopicPartition, Long> query = new HashMap<>();
    requestPartitions.forEach(tp -> query.put(tp, since));
    Map<TopicPartition, OffsetAndTimestamp> found = c.offsetsForTimes(query);
    Map<TopicPartition, Long> ends = c.endOffsets(requestPartitions);
    for (TopicPartition tp : requestPartitions) {
      OffsetAndTimestamp at = found.get(tp);
      c.seek(tp, at == null ? ends.get(tp) : at.offset());
    }
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
