package dev.quench.callbacks.delivery;

import dev.quench.kafka.RestartingRun;
import dev.quench.events.CallbackSchedule;
import dev.quench.events.Envelope;
import dev.quench.events.TaskEvent;
import dev.quench.events.TaskState;
import dev.quench.events.wire.EventCodec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of delivery: the only thread that touches its consumer, its attempt log and what it knows of its partitions.
 *
 * <p>On assignment a partition is folded from its first record up to the high watermark taken then; only after that
 * are its callbacks attempted, so a delivery that a previous owner had begun resumes at the attempt the log says,
 * at the time the log says. Sending happens on other threads; results come back here and are recorded, one event per
 * attempt, keyed by the task, in the task's own partition, in one transaction that also carries the group's offsets
 * (so a deliverer that lost its partitions cannot record anything for them). What was sent but not recorded (a crash,
 * a failed transaction, a lost partition) is sent again by whoever owns the partition next, with the same
 * {@code webhook-id}: at least once.
 *
 * <p>A turn sends what became due before it records what came back, and records at most once per record interval:
 * a transaction's commit blocks this thread for several milliseconds, and committing every few milliseconds while
 * callbacks stream in kept newly due callbacks waiting behind commits (docs/architecture.md §11). A partition given
 * up in a rebalance has its results recorded first, so its next owner does not send them again.
 */
final class DeliveryLoop implements RestartingRun.Run {

  private static final Logger log = LoggerFactory.getLogger(DeliveryLoop.class);
  private static final Duration MIN_POLL = Duration.ofMillis(1);

  /** A send that came back. */
  private record Sent(int partition, String taskId, int attempt, CallbackSchedule.Result result) {
  }

  private final Consumer<byte[], byte[]> consumer;
  private final AttemptLog attempts;
  private final Admin admin;
  private final String logTopic;
  private final CallbackSchedule schedule;
  private final WebhookSender sender;
  private final WebhookSigner signer;
  private final CallbackPayload payload;
  private final ExecutorService senders;
  private final String producerName;
  private final Clock clock;
  private final Duration pollTimeout;
  private final long recordIntervalNanos;
  private final BooleanSupplier running;
  private final DeliveryMeters meters;
  private final DeliveryStatus status;
  private final OwnedCallbacks callbacks;
  private final ConcurrentLinkedQueue<Sent> sent = new ConcurrentLinkedQueue<>();
  private boolean joined;
  /** When results were last recorded, by {@link System#nanoTime()}. */
  private long recordedAt = System.nanoTime();

  DeliveryLoop(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, Admin admin, EventCodec codec,
               String logTopic, CallbackSchedule schedule, WebhookSender sender, WebhookSigner signer,
               CallbackPayload payload, ExecutorService senders, String producerName, Clock clock,
               Duration pollTimeout, Duration recordInterval, BooleanSupplier running, DeliveryMeters meters,
               DeliveryStatus status) {
    this.consumer = consumer;
    this.attempts = new AttemptLog(producer, codec, logTopic);
    this.admin = admin;
    this.logTopic = logTopic;
    this.schedule = schedule;
    this.sender = sender;
    this.signer = signer;
    this.payload = payload;
    this.senders = senders;
    this.producerName = producerName;
    this.clock = clock;
    this.pollTimeout = pollTimeout;
    this.recordIntervalNanos = recordInterval.toNanos();
    this.running = running;
    this.meters = meters;
    this.status = status;
    this.callbacks = new OwnedCallbacks(codec, schedule);
  }

  @Override
  public void run() {
    attempts.init();
    consumer.subscribe(List.of(logTopic), new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        assigned(partitions);
      }

      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        // Still the owner: what came back is recorded now rather than sent again by the next owner. Not while
        // closing, when the producer has gone before the consumer leaves the group.
        if (running.getAsBoolean() && !partitions.isEmpty()) {
          recordResults();
        }
        revoked(partitions);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        // No longer the owner: a transaction with the group's offsets would be refused; the next owner sends again.
        revoked(partitions);
      }
    });
    try {
      while (running.getAsBoolean()) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(nextPoll())) {
          callbacks.fold(record);
        }
        restored();
        dispatch();
        if (!sent.isEmpty() && System.nanoTime() - recordedAt >= recordIntervalNanos) {
          recordResults();
        }
        publish();
      }
    } catch (WakeupException e) {
      if (running.getAsBoolean()) {
        throw e;
      }
    }
    // A stop, still in the group: what came back since the last record is recorded rather than sent again.
    recordResults();
  }

  /** Wakes a poll, so a stop does not wait for it. */
  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  private Duration nextPoll() {
    Duration wait = pollTimeout;
    if (!sent.isEmpty() || callbacks.sending()) {
      // Results come back on other threads without waking the poll (new records from the log do wake it): one that
      // came back waits until the next record is due, one still out at most an interval from now.
      long nanos = sent.isEmpty() ? recordIntervalNanos : recordIntervalNanos - (System.nanoTime() - recordedAt);
      Duration untilRecord = Duration.ofNanos(Math.max(nanos, MIN_POLL.toNanos()));
      if (untilRecord.compareTo(wait) < 0) {
        wait = untilRecord;
      }
    }
    Instant due = callbacks.nextDue();
    if (due != null) {
      Duration until = Duration.between(clock.instant(), due);
      if (until.compareTo(wait) < 0) {
        wait = until.isNegative() ? Duration.ZERO : until;
      }
    }
    return wait;
  }

  private void assigned(Collection<TopicPartition> partitions) {
    joined = true;
    callbacks.touch();
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    partitions.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<Integer, Long> ends = new HashMap<>();
    try {
      // The high watermark, not the last stable offset: a restore must not stop short of an open transaction's end.
      admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_UNCOMMITTED)).all().get()
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading the end of " + partitions, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot read the end of " + partitions, e.getCause());
    }
    for (TopicPartition tp : partitions) {
      callbacks.own(tp.partition(), ends.get(tp.partition()));
    }
    consumer.seekToBeginning(partitions);
    log.info("callbacks: restoring {} from the log", partitions);
  }

  private void revoked(Collection<TopicPartition> partitions) {
    callbacks.touch();
    partitions.forEach(tp -> callbacks.release(tp.partition()));
  }

  private void restored() {
    if (callbacks.restoring().isEmpty()) {
      return;
    }
    for (int partition : callbacks.restored(p -> consumer.position(new TopicPartition(logTopic, p)))) {
      log.info("callbacks: partition {} restored, {} callbacks pending", partition, callbacks.pendingIn(partition));
    }
  }

  private void dispatch() {
    Instant now = clock.instant();
    for (OwnedCallbacks.Due due : callbacks.takeDue(now)) {
      TaskState task = due.task();
      int partition = due.partition();
      int attempt = due.attempt();
      if (!signer.signs(task.tenant())) {
        // Never unsigned: a receiver could not tell it from a forgery.
        sent.add(new Sent(partition, task.taskId(), attempt, CallbackSchedule.Result.permanentError(
            "no callback signing secret is configured for tenant '" + task.tenant() + "'")));
        continue;
      }
      byte[] body = payload.render(task);
      String id = "msg_" + task.callback().deliveryId();
      long timestamp = now.getEpochSecond();
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("webhook-id", id);
      headers.put("webhook-timestamp", Long.toString(timestamp));
      headers.put("webhook-signature", signer.signature(task.tenant(), id, timestamp, body));
      String url = task.callback().url();
      String taskId = task.taskId();
      senders.execute(() -> sent.add(new Sent(partition, taskId, attempt, sender.send(url, headers, body))));
    }
  }

  private void recordResults() {
    recordedAt = System.nanoTime();
    Instant now = clock.instant();
    List<Envelope> records = new ArrayList<>();
    List<Integer> partitions = new ArrayList<>();
    for (Sent s; (s = sent.poll()) != null; ) {
      TaskState task = callbacks.cameBack(s.partition(), s.taskId(), s.attempt());
      if (task == null) {
        continue;
      }
      TaskEvent event = schedule.afterAttempt(task.callback(), s.result(), now, ThreadLocalRandom.current()
          .nextDouble());
      records.add(task.callback().record(task, event, producerName, now));
      partitions.add(s.partition());
    }
    if (records.isEmpty()) {
      return;
    }
    attempts.write(records, partitions, positions(), consumer.groupMetadata());
    for (int i = 0; i < records.size(); i++) {
      meters.recorded(records.get(i).event());
      callbacks.recorded(partitions.get(i), records.get(i));
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> positions() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (int partition : callbacks.owned()) {
      TopicPartition tp = new TopicPartition(logTopic, partition);
      offsets.put(tp, new OffsetAndMetadata(consumer.position(tp)));
    }
    return offsets;
  }

  /**
   * Tells {@link #status} what this run knows, when that changed: the one copy health and the gauges read, made on
   * this thread, so nothing else ever reads the fold.
   */
  private void publish() {
    DeliveryStatus.Progress progress = callbacks.progressIfChanged(joined);
    if (progress == null) {
      status.turnCompleted();
    } else {
      status.published(progress);
    }
  }

  @Override
  public void close() {
    try {
      attempts.close(Duration.ofSeconds(5));
    } finally {
      consumer.close();
    }
  }
}
