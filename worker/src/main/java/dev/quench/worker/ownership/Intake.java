package dev.quench.worker.ownership;

import dev.quench.events.Envelope;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.UndecodableRecordException;
import dev.quench.kafka.DeadLetters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a poll of the requests topic: the requests to decide, in order per partition; the records that are no
 * request this build can read, as dead-letter copies with the reason; and the offsets the turn consumed. Records of a
 * partition this owner no longer holds are passed over: their next owner reads them.
 */
final class Intake {

  private static final Logger log = LoggerFactory.getLogger(Intake.class);

  /** A request that decoded, with where it came from. */
  record Request(int partition, long offset, Envelope event) {
  }

  /** What one poll holds. */
  record Polled(List<Request> requests, List<ProducerRecord<String, byte[]>> deadLetters,
                Map<TopicPartition, OffsetAndMetadata> offsets) {
  }

  private final EventCodec codec;
  private final String deadLetterTopic;
  private final String rejectedBy;

  Intake(EventCodec codec, String deadLetterTopic, String rejectedBy) {
    this.codec = codec;
    this.deadLetterTopic = deadLetterTopic;
    this.rejectedBy = rejectedBy;
  }

  Polled read(ConsumerRecords<String, byte[]> records, IntPredicate owned) {
    List<Request> requests = new ArrayList<>(records.count());
    List<ProducerRecord<String, byte[]>> deadLetters = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      offsets.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
      if (!owned.test(record.partition())) {
        continue;
      }
      String refusal;
      String reason;
      try {
        Envelope event = codec.decode(record.value());
        if (!event.type().request()) {
          reason = "not_a_request";
          refusal = event.type().wire() + " is not a request";
        } else if (!event.taskId().equals(record.key())) {
          reason = "key_mismatch";
          refusal = "record key differs from task_id " + event.taskId();
        } else {
          requests.add(new Request(record.partition(), record.offset(), event));
          continue;
        }
      } catch (UndecodableRecordException e) {
        reason = e.reason();
        refusal = e.getMessage();
      }
      log.warn("dead-lettering {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(), reason,
          refusal);
      deadLetters.add(DeadLetters.copyOf(record, deadLetterTopic, reason, refusal, rejectedBy));
    }
    return new Polled(requests, deadLetters, offsets);
  }
}
