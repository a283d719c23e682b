package dev.quench.api.capabilities;

import dev.quench.events.capabilities.CapabilityAnnouncement;
import dev.quench.events.capabilities.CapabilityCodec;
import dev.quench.events.wire.UndecodableRecordException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The capabilities workers announced, as this api instance follows them: a small replica of the compacted
 * capabilities topic, read from its start before the api takes requests, then kept up to date. A capability is known
 * from its first announcement on; the latest announcement's schema is the one inputs are checked against; a tombstone
 * (a record with no value, which an operator may write) retires it.
 *
 * <p>One thread reads the topic with one consumer, without a consumer group: every instance reads every partition.
 */
public final class CapabilityCatalog implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CapabilityCatalog.class);

  /**
   * One announced capability.
   *
   * @param name   what clients submit
   * @param schema its input schema, or null if the announced one cannot be used here (see {@link #problem})
   * @param worker the worker that announced it last
   * @param problem why the announced schema cannot be used, or null
   */
  public record Capability(String name, InputSchema schema, String worker, String problem) {
  }

  private final Supplier<Consumer<String, byte[]>> consumers;
  private final String topic;
  private final Duration startupTimeout;
  private final CapabilityCodec codec = new CapabilityCodec();
  private final Map<String, Capability> known = new ConcurrentHashMap<>();
  private final CountDownLatch caughtUp = new CountDownLatch(1);
  private volatile boolean running;
  private volatile Consumer<String, byte[]> consumer;
  private Thread thread;

  public CapabilityCatalog(Supplier<Consumer<String, byte[]>> consumers, String topic, Duration startupTimeout) {
    this.consumers = consumers;
    this.topic = topic;
    this.startupTimeout = startupTimeout;
  }

  /** The capability as last announced, or null if no worker announced it. */
  public Capability find(String name) {
    return known.get(name);
  }

  /** The names of every capability announced, sorted. */
  public Set<String> names() {
    return new TreeSet<>(known.keySet());
  }

  /** Reads the topic to its end before the api takes requests, so a create never misses an announcement made before. */
  @Override
  public void start() {
    running = true;
    thread = new Thread(this::loop, "quench-api-capabilities");
    thread.setDaemon(true);
    thread.start();
    try {
      if (!caughtUp.await(startupTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("the capability catalog did not catch up within " + startupTimeout);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the capability catalog caught up", e);
    }
  }

  @Override
  public void stop() {
    running = false;
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

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Before the web server starts taking requests, like the view replica. */
  @Override
  public int getPhase() {
    return 0;
  }

  private void loop() {
    while (running) {
      try {
        follow();
      } catch (WakeupException e) {
        // stopping
      } catch (RuntimeException e) {
        log.error("the capability catalog failed; reading the topic again from its start in 1 s", e);
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void follow() {
    try (Consumer<String, byte[]> c = consumers.get()) {
      consumer = c;
      List<TopicPartition> partitions = c.partitionsFor(topic, startupTimeout).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = c.endOffsets(partitions);
      while (running) {
        for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
          apply(record);
        }
        if (caughtUp.getCount() > 0 && partitions.stream().allMatch(tp -> c.position(tp) >= end.get(tp))) {
          log.info("capability catalog caught up: {}", names());
          caughtUp.countDown();
        }
      }
    } finally {
      consumer = null;
    }
  }

  private void apply(ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      if (known.remove(record.key()) != null) {
        log.info("capability '{}' retired", record.key());
      }
      return;
    }
    CapabilityAnnouncement announcement;
    try {
      announcement = codec.decode(record.value());
    } catch (UndecodableRecordException e) {
      log.warn("skipping an undecodable announcement of '{}' at {}-{}@{} ({}): {}", record.key(), record.topic(),
          record.partition(), record.offset(), e.reason(), e.getMessage());
      return;
    }
    try {
      known.put(announcement.capability(), new Capability(announcement.capability(),
          InputSchema.compile(announcement.inputSchema()), announcement.worker(), null));
    } catch (IllegalArgumentException e) {
      log.error("capability '{}' was announced by {} with an input schema this api cannot use ({}); creates of it are"
          + " refused until a usable one is announced", announcement.capability(), announcement.worker(),
          e.getMessage());
      known.put(announcement.capability(), new Capability(announcement.capability(), null, announcement.worker(),
          e.getMessage()));
    }
  }
}
