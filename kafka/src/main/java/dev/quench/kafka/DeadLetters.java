package dev.quench.kafka;

import dev.quench.events.wire.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The dead-letter copy of a record a service cannot read: key, value and headers untouched, plus why and whence. */
public final class DeadLetters {

  private DeadLetters() {
  }

  /**
   * The copy to send to {@code deadLetterTopic}: in the partition of the source's number (the topics are
   * co-partitioned), with a fresh timestamp (the original one could put the copy past the topic's retention at once).
   *
   * @param rejectedBy which process gave up on it, e.g. {@code worker/worker-1}
   */
  public static <K> ProducerRecord<K, byte[]> copyOf(ConsumerRecord<K, byte[]> source, String deadLetterTopic,
                                                      String reason, String message, String rejectedBy) {
    RecordHeaders headers = new RecordHeaders(source.headers().toArray());
    DeadLetterHeaders.of(reason, message, source.topic(), source.partition(), source.offset(), rejectedBy)
        .forEach(headers::add);
    return new ProducerRecord<>(deadLetterTopic, source.partition(), null, source.key(), source.value(), headers);
  }
}
