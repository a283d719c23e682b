package dev.quench.worker.capabilities;

import dev.quench.events.capabilities.CapabilityAnnouncement;
import dev.quench.events.capabilities.CapabilityCodec;
import dev.quench.kafka.KafkaClients;
import dev.quench.worker.spi.TaskHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Announces every capability this worker serves, with its handler's input schema, on the compacted capabilities
 * topic, once when the worker starts: the api instances reading that topic then take creates of these capabilities
 * and check their input against the schema.
 *
 * <p>The start waits, bounded, until the broker confirmed the announcements, so that an api started after this worker
 * knows them from its first request. If the broker does not confirm in time the worker starts anyway: the producer
 * keeps retrying, and until the announcements land api instances refuse creates of capabilities they never heard of.
 * A schema that is not a valid JSON Schema stops the start: it is the handler's mistake, and announcing it would only
 * move the failure to every create.
 */
public final class CapabilityAnnouncer implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(CapabilityAnnouncer.class);

  private final Supplier<Producer<String, byte[]>> producers;
  private final String topic;
  private final List<TaskHandler> handlers;
  private final String workerId;
  private final Clock clock;
  private final Duration confirmTimeout;
  private final CapabilityCodec codec = new CapabilityCodec();
  private final SchemaCheck schemas = new SchemaCheck();
  private volatile Producer<String, byte[]> producer;
  private volatile boolean running;

  /**
   * @param producers      makes the (non-transactional) producer the announcements are sent with
   * @param confirmTimeout how long the start waits for the broker to confirm them
   */
  public CapabilityAnnouncer(Supplier<Producer<String, byte[]>> producers, String topic, List<TaskHandler> handlers,
                             String workerId, Clock clock, Duration confirmTimeout) {
    this.producers = producers;
    this.topic = topic;
    this.handlers = List.copyOf(handlers);
    this.workerId = workerId;
    this.clock = clock;
    this.confirmTimeout = confirmTimeout;
  }

  @Override
  public void start() {
    List<CapabilityAnnouncement> announcements = new ArrayList<>();
    for (TaskHandler handler : handlers) {
      schemas.requireValid(handler.capability(), handler.inputSchema());
      announcements.add(new CapabilityAnnouncement(handler.capability(), handler.inputSchema(), workerId,
          clock.instant()));
    }
    producer = producers.get();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (CapabilityAnnouncement announcement : announcements) {
      sent.add(producer.send(new ProducerRecord<>(topic, announcement.capability(), codec.encode(announcement))));
    }
    running = true;
    long deadline = System.nanoTime() + confirmTimeout.toNanos();
    try {
      for (Future<RecordMetadata> confirmed : sent) {
        confirmed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      log.info("announced capabilities {} on {}", announcements.stream().map(CapabilityAnnouncement::capability)
          .toList(), topic);
    } catch (TimeoutException | ExecutionException e) {
      log.warn("the broker did not confirm the announcement of capabilities {} within {} ({}); api instances refuse "
          + "creates of a capability they have not heard of until it lands", announcements.stream()
          .map(CapabilityAnnouncement::capability).toList(), confirmTimeout, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void stop() {
    running = false;
    KafkaClients.closeQuietly(producer, Duration.ofSeconds(5));
    producer = null;
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
