package dev.quench.worker.ownership;

import dev.quench.events.wire.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
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
    copy.headers()
        .add(DeadLetterHeaders.REASON, utf8(reason))
        .add(DeadLetterHeaders.MESSAGE, utf8(message == null ? "" : message))
        .add(DeadLetterHeaders.SOURCE_TOPIC, utf8(source.topic()))
        .add(DeadLetterHeaders.SOURCE_PARTITION, utf8(String.valueOf(source.partition())))
        .add(DeadLetterHeaders.SOURCE_OFFSET, utf8(String.valueOf(source.offset())))
        .add(DeadLetterHeaders.REJECTED_BY, utf8(rejectedBy));
    return copy;
  }

  private static byte[] utf8(String value) {
    return value.getBytes(StandardCharsets.UTF_8);
  }
}
