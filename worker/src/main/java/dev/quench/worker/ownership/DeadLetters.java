package dev.quench.worker.ownership;

import dev.quench.events.wire.DeadLetterHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;

/** Builds the dead-letter copy of a record: untouched key, value and headers, plus why and where from. */
final class DeadLetters {

  private DeadLetters() {
  }

  static ProducerRecord<String, byte[]> of(ConsumerRecord<String, byte[]> source, String deadLetterTopic,
                                           String reason, String message, String rejectedBy) {
    ProducerRecord<String, byte[]> copy = new ProducerRecord<>(deadLetterTopic, source.partition(), source.key(),
        source.value());
    for (Header header : source.headers()) {
      copy.headers().add(header);
    }
    DeadLetterHeaders.of(reason, message, source.topic(), source.partition(), source.offset(), rejectedBy)
        .forEach(copy.headers()::add);
    return copy;
  }
}
