package dev.quench.kafka.lag;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * How far behind the end of quench's topics their readers are, read every {@code interval} on a thread of its own
 * through the Admin client: for each watched consumer group, the end offset of each partition minus the group's
 * committed offset, as the gauge {@value #CONSUMER_LAG} with tags {@code group}, {@code topic} and {@code partition};
 * and for readers without a group (the api's replica), the end offsets themselves, handed to a {@link EndsListener}.
 *
 * <p>An end offset here is the last stable offset ({@code read_committed}): what a reader can reach, so an open
 * transaction of a worker is not counted as lag. A partition on which the group never committed is behind by
 * everything from the partition's first offset. When the cluster does not answer, the gauges keep their last
 * values (there is no newer truth) and one warning says so until it answers again.
 *
 * <p>Every instance of a service reports the lag of its whole group, the same figures: aggregate with {@code max},
 * never {@code sum}.
 */
public final class LagWatch implements SmartLifecycle {

  public static final String CONSUMER_LAG = "quench.kafka.consumer.lag";

  private static final Logger log = LoggerFactory.getLogger(LagWatch.class);

  /**
   * A consumer group whose lag to report.
   *
   * @param groupId    the group
   * @param topic      the topic it consumes
   * @param partitions the topic's partition count
   */
  public record Group(String groupId, String topic, int partitions) {
  }

  /** Told the end offsets of a topic's partitions, by partition number, each time they were read. */
  @FunctionalInterface
  public interface EndsListener {
    void onEnds(Map<Integer, Long> ends, Instant readAt);
  }

  private record Ends(String topic, int partitions, EndsListener listener) {
  }

  private record Key(String group, TopicPartition partition) {
  }

  private final Admin admin;
  private final MeterRegistry registry;
  private final Duration interval;
  private final Clock clock;
  private final List<Group> groups = new CopyOnWriteArrayList<>();
  private final List<Ends> listeners = new CopyOnWriteArrayList<>();
  private final Map<Key, Long> lags = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private volatile boolean running;
  private volatile boolean failing;
  private Thread thread;

  /** @param interval how often to read; a read that takes longer than this is given up */
  public LagWatch(Admin admin, MeterRegistry registry, Duration interval, Clock clock) {
    this.admin = admin;
    this.registry = registry;
    this.interval = interval;
    this.clock = clock;
  }

  /** Reports this group's lag from the next read on. */
  public void watch(Group group) {
    groups.add(group);
    for (int p = 0; p < group.partitions(); p++) {
      Key key = new Key(group.groupId(), new TopicPartition(group.topic(), p));
      Gauge.builder(CONSUMER_LAG, lags, all -> all.getOrDefault(key, -1L) < 0 ? Double.NaN : all.get(key))
          .description("records of the partition the consumer group has not yet committed past (end offset minus "
              + "committed offset)")
          .tag("group", group.groupId()).tag("topic", group.topic()).tag("partition", String.valueOf(p))
          .register(registry);
    }
  }

  /** Tells {@code listener} the end offsets of {@code topic} after every read, on the watch's thread. */
  public void watchEnds(String topic, int partitions, EndsListener listener) {
    listeners.add(new Ends(topic, partitions, listener));
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "quench-lag-watch");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public synchronized void stop() {
    running = false;
    synchronized (wake) {
      wake.notifyAll();
    }
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  private void loop() {
    while (running) {
      try {
        readOnce();
        if (failing) {
          failing = false;
          log.info("reading consumer lag works again");
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException | ExecutionException | TimeoutException e) {
        if (!failing) {
          failing = true;
          log.warn("cannot read consumer lag ({}); the lag gauges keep their last values until it can", e.toString());
        }
      }
      synchronized (wake) {
        if (!running) {
          return;
        }
        try {
          wake.wait(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  /** One read: the end of every watched partition, then each group's committed offsets. */
  void readOnce() throws InterruptedException, ExecutionException, TimeoutException {
    if (groups.isEmpty() && listeners.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    groups.forEach(g -> partitions(g.topic(), g.partitions()).forEach(tp -> latest.put(tp, OffsetSpec.latest())));
    listeners.forEach(l -> partitions(l.topic(), l.partitions()).forEach(tp -> latest.put(tp, OffsetSpec.latest())));
    Map<TopicPartition, Long> ends = offsets(latest);
    Instant readAt = clock.instant();
    for (Ends l : listeners) {
      Map<Integer, Long> byPartition = new HashMap<>();
      partitions(l.topic(), l.partitions()).forEach(tp -> byPartition.put(tp.partition(), ends.get(tp)));
      l.listener().onEnds(byPartition, readAt);
    }
    if (groups.isEmpty()) {
      return;
    }
    Map<String, ListConsumerGroupOffsetsSpec> specs = new HashMap<>();
    groups.forEach(g -> specs.put(g.groupId(),
        new ListConsumerGroupOffsetsSpec().topicPartitions(partitions(g.topic(), g.partitions()))));
    Map<String, Map<TopicPartition, OffsetAndMetadata>> committed =
        admin.listConsumerGroupOffsets(specs).all().get(timeout(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, OffsetSpec> neverCommitted = new HashMap<>();
    for (Group g : groups) {
      Map<TopicPartition, OffsetAndMetadata> offsets = committed.getOrDefault(g.groupId(), Map.of());
      partitions(g.topic(), g.partitions()).stream().filter(tp -> offsets.get(tp) == null)
          .forEach(tp -> neverCommitted.put(tp, OffsetSpec.earliest()));
    }
    Map<TopicPartition, Long> starts = neverCommitted.isEmpty() ? Map.of() : offsets(neverCommitted);
    for (Group g : groups) {
      Map<TopicPartition, OffsetAndMetadata> offsets = committed.getOrDefault(g.groupId(), Map.of());
      for (TopicPartition tp : partitions(g.topic(), g.partitions())) {
        OffsetAndMetadata at = offsets.get(tp);
        long position = at != null ? at.offset() : starts.get(tp);
        lags.put(new Key(g.groupId(), tp), Math.max(0, ends.get(tp) - position));
      }
    }
  }

  private Map<TopicPartition, Long> offsets(Map<TopicPartition, OffsetSpec> query)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, Long> found = new HashMap<>();
    admin.listOffsets(query, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
        .get(timeout(), TimeUnit.MILLISECONDS).forEach((tp, info) -> found.put(tp, info.offset()));
    return found;
  }

  private long timeout() {
    return Math.max(1000, interval.toMillis());
  }

  private static List<TopicPartition> partitions(String topic, int count) {
    List<TopicPartition> all = new ArrayList<>(count);
    for (int p = 0; p < count; p++) {
      all.add(new TopicPartition(topic, p));
    }
    return all;
  }
}
