package dev.quench.worker.ownership;

import dev.quench.worker.spi.TaskHandler;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What one transaction appends, in order, with the offsets it consumed, and the runs it launches once committed: the
 * decisions of one or more turns of the owner loop (commits are paced, see {@link CommitPacer}).
 */
final class Turn {

  /** A task this transaction starts, to launch once the start is committed. */
  record Launch(int partition, String taskId, TaskHandler handler) {
  }

  private final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
  private final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
  private final List<Launch> launches = new ArrayList<>();
  /** The handler reports decided into this transaction: all that is left of their runs until it commits. */
  private final List<Report> reports = new ArrayList<>();

  void add(ProducerRecord<String, byte[]> record) {
    records.add(record);
  }

  void consumed(Map<TopicPartition, OffsetAndMetadata> polled) {
    offsets.putAll(polled);
  }

  void launch(Launch launch) {
    launches.add(launch);
  }

  void decided(Report report) {
    reports.add(report);
  }

  List<ProducerRecord<String, byte[]>> records() {
    return records;
  }

  Map<TopicPartition, OffsetAndMetadata> offsets() {
    return offsets;
  }

  List<Launch> launches() {
    return launches;
  }

  /** Reports whose events this transaction carries; decided again by the next session if it never commits. */
  List<Report> reports() {
    return reports;
  }

  boolean empty() {
    return records.isEmpty() && offsets.isEmpty();
  }

  /**
   * Forgets what belongs to a partition that was lost: it is another owner's now, and nothing of it may be written
   * by this one.
   */
  void drop(int partition) {
    records.removeIf(record -> record.partition() != null && record.partition() == partition);
    offsets.keySet().removeIf(tp -> tp.partition() == partition);
    launches.removeIf(launch -> launch.partition() == partition);
    reports.removeIf(report -> report.source().partition == partition);
  }
}
