package dev.quench.worker.ownership;

import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskDecider;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The one place the worker makes events: decides a command on the ledger's state ({@link TaskDecider}), folds what
 * it decided into the ledger at once, so the next decision of the same turn sees it, and puts it into the turn's
 * transaction, in the log partition of the same number as the partition it was decided for.
 */
final class Decisions {

  private final TaskLedger ledger;
  private final EventCodec codec;
  private final String logTopic;
  private final WorkerMetrics metrics;

  Decisions(TaskLedger ledger, EventCodec codec, String logTopic, WorkerMetrics metrics) {
    this.ledger = ledger;
    this.codec = codec;
    this.logTopic = logTopic;
    this.metrics = metrics;
  }

  /** Decides {@code command} for a task of {@code partition}; returns what it decided, oldest first. */
  List<Envelope> decide(Turn turn, int partition, TaskCommand command) {
    List<Envelope> events = TaskDecider.decide(command, ledger.get(partition, command.taskId()));
    events.forEach(event -> append(turn, partition, event));
    return events;
  }

  /** Appends an event decided elsewhere (a batch's record, a target handed on) to the log of {@code partition}. */
  void append(Turn turn, int partition, Envelope event) {
    ledger.apply(partition, event);
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(logTopic, partition, event.taskId(),
        codec.encode(event));
    CloudEventHeaders.of(event).forEach((name, value) -> record.headers().add(name, value));
    turn.add(record);
    metrics.decided(event);
  }
}
