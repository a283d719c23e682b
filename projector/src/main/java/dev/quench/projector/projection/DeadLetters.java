package dev.quench.projector.projection;

import dev.quench.events.wire.UndecodableRecordException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves log records the projector cannot read to the dead-letter topic, untouched, so one bad record never stops
 * the views of every other task. A replay after a crash may dead-letter a record again; the source headers tell
 * copies apart.
 */
final class DeadLetters {

  static final String COUNTER = "quench.projector.dead.letters";

  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);

  private final Producer<byte[], byte[]> producer;
  private final String topic;
  private final String rejectedBy;
  private final MeterRegistry registry;

  DeadLetters(Producer<byte[], byte[]> producer, String topic, String rejectedBy, MeterRegistry registry) {
    this.producer = producer;
    this.topic = topic;
    this.rejectedBy = rejectedBy;
    this.registry = registry;
  }

  Future<RecordMetadata> publish(ConsumerRecord<byte[], byte[]> record, UndecodableRecordException e) {
    log.warn("dead-lettering {}-{}@{} ({}): {}", record.topic(), record.partition(), record.offset(), e.reason(),
        e.getMessage());
    Counter.builder(COUNTER).description("log records the projector could not read and dead-lettered")
        .tag("reason", e.reason()).register(registry).increment();
    return producer.send(dev.quench.kafka.DeadLetters.copyOf(record, topic, e.reason(), e.getMessage(), rejectedBy));
  }
}
