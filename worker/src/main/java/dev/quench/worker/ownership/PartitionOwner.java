package dev.quench.worker.ownership;

import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.OrphanPolicy;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskError;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.wire.CloudEventHeaders;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.events.wire.UndecodableRecordException;
import dev.quench.kafka.DeadLetters;
import dev.quench.kafka.KafkaClients;
import dev.quench.worker.spi.TaskHandler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntPredicate;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Owns this worker's partitions: one thread that polls requests, decides them, runs tasks and appends every
 * decision to the log in a Kafka transaction with the offsets it consumed (read-process-write, exactly once).
 *
 * <p>Each turn of the loop: (1) poll; (2) fire the tokens of running tasks that were just cancelled, before
 * anything else, since that is the one thing a user is waiting for; (3) decide the polled requests; (4) turn
 * handler reports into events; (5) recover tasks whose worker was lost; (6) start queued tasks into free slots;
 * (7) commit it all in one transaction; (8) only then launch the tasks it started, so a start that did not commit
 * never ran.
 *
 * <p>Any failure to commit ends the session: state, clients and runs are dropped, and a new session restores
 * everything from the log. A fenced producer is never retried.
 */
final class PartitionOwner implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(PartitionOwner.class);
  private static final Duration RETRY_BACKOFF = Duration.ofSeconds(1);

  private final OwnerSettings settings;
  private final Topics topics;
  private final WorkerClients clients;
  private final HandlerRegistry handlers;
  private final PriceList prices;
  private final EventCodec codec;
  private final Clock clock;
  private final TaskLedger ledger = new TaskLedger();
  private final Queue<Report> reports = new ConcurrentLinkedQueue<>();
  private final RunningTasks running;
  private final List<Orphan> orphans = new ArrayList<>();
  /**
   * Newly owned partitions whose inbox is not read yet, with the offset it ended at when they became ours. Until the
   * owner has read that far, nothing of theirs starts and no lost run is recovered: a cancel sent while no worker
   * owned the partition must be seen before the task it cancels could start.
   */
  private final Map<Integer, Long> catchingUp = new HashMap<>();
  /**
   * Set when a session failed with runs still going: the next session adopts those the log says are still this
   * worker's, and stops the others once it knows which partitions it got.
   */
  private boolean adopting;
  private final Counter deadLetters;
  private final Counter decisions;

  private volatile Consumer<String, byte[]> consumer;
  private Producer<String, byte[]> producer;
  private LogRestore restore;
  private volatile boolean started;
  private volatile Instant drainDeadline;
  private Thread thread;
  private final CancelWatch cancelWatch;
  private Thread cancelWatchThread;
  private final CountDownLatch stopped = new CountDownLatch(1);

  /** A task found running on a partition we took over, by a worker that no longer has it. */
  private record Orphan(int partition, String taskId) {
  }

  /** A task this turn started, to launch once the start is committed. */
  private record Launch(int partition, String taskId, TaskHandler handler) {
  }

  /** What one turn appends, in order, and what it launches after the commit. */
  private final class Turn {
    final List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
    final Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    final List<Launch> launches = new ArrayList<>();

    void decide(int partition, TaskCommand command) {
      for (Envelope event : TaskDecider.decide(command, ledger.get(partition, command.taskId()))) {
        ledger.apply(partition, event);
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topics.log(), partition, event.taskId(),
            codec.encode(event));
        CloudEventHeaders.of(event).forEach((name, value) -> record.headers().add(name, value));
        records.add(record);
        decisions.increment();
      }
    }

    boolean empty() {
      return records.isEmpty() && offsets.isEmpty();
    }
  }

  PartitionOwner(OwnerSettings settings, Topics topics, WorkerClients clients, HandlerRegistry handlers,
                 PriceList prices, EventCodec codec, Clock clock, MeterRegistry meters) {
    this.settings = settings;
    this.topics = topics;
    this.clients = clients;
    this.handlers = handlers;
    this.prices = prices;
    this.codec = codec;
    this.clock = clock;
    this.running = new RunningTasks(settings.cancelGrace(), settings.abandonAfter(), settings.progressInterval(),
        this::report);
    this.cancelWatch = new CancelWatch(clients::cancelWatchConsumer, topics.requests(), running);
    this.deadLetters = Counter.builder("quench.worker.dead.letters")
        .description("requests sent to the dead-letter topic").register(meters);
    this.decisions = Counter.builder("quench.worker.events")
        .description("events appended to the log").register(meters);
    meters.gauge("quench.worker.running", running, RunningTasks::active);
    meters.gauge("quench.worker.queued", ledger, TaskLedger::queued);
  }

  @Override
  public void start() {
    started = true;
    thread = new Thread(this::loop, "quench-worker-owner");
    thread.start();
    cancelWatchThread = new Thread(cancelWatch, "quench-worker-cancel-watch");
    cancelWatchThread.setDaemon(true);
    cancelWatchThread.start();
  }

  /** Stops starting tasks, lets running ones finish for up to the shutdown grace, then leaves the group. */
  @Override
  public void stop() {
    if (!started) {
      return;
    }
    drainDeadline = clock.instant().plus(settings.shutdownGrace());
    wakeup();
    cancelWatch.stop();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    started = false;
  }

  @Override
  public boolean isRunning() {
    return started;
  }

  private void loop() {
    try {
      while (drainDeadline == null || !drained()) {
        try {
          session();
        } catch (RuntimeException | Error e) {
          log.error("worker session ended; restoring from the log in {}", RETRY_BACKOFF, e);
          teardown();
          pause();
        }
      }
    } finally {
      running.shutdown();
      stopped.countDown();
    }
  }

  private void session() {
    producer = clients.transactionalProducer();
    producer.initTransactions();
    restore = clients.logRestore(codec);
    consumer = clients.groupConsumer();
    consumer.subscribe(List.of(topics.requests()), new Rebalance());
    while (!drained()) {
      ConsumerRecords<String, byte[]> polled;
      try {
        polled = consumer.poll(settings.pollTimeout());
      } catch (WakeupException e) {
        polled = ConsumerRecords.empty();
      }
      turn(polled);
    }
    // Leaving the group revokes every partition: the rebalance listener writes what is left, then we are done.
    consumer.close();
    consumer = null;
    producer.close();
    producer = null;
  }

  private boolean drained() {
    Instant deadline = drainDeadline;
    return deadline != null && (running.active() == 0 || !clock.instant().isBefore(deadline));
  }

  private void turn(ConsumerRecords<String, byte[]> polled) {
    Turn turn = new Turn();
    List<Request> requests = decode(polled, turn);
    for (Request request : requests) {
      if (request.event.event() instanceof CancelRequested) {
        running.cancel(request.event.taskId());
      }
    }
    Instant now = now();
    for (Request request : requests) {
      turn.decide(request.partition, new TaskCommand.Accept(request.event, settings.workerId(), now));
    }
    drainReports(turn, now);
    updateCatchUp();
    recoverOrphans(turn, now);
    if (drainDeadline == null) {
      startQueued(turn, now);
    }
    commit(turn);
    for (Launch launch : turn.launches) {
      TaskState task = ledger.get(launch.partition, launch.taskId);
      running.launch(launch.partition, task, launch.handler, prices.price(task.capability()));
    }
  }

  /** A polled request that decoded, with the partition it came from. */
  private record Request(int partition, Envelope event) {
  }

  private List<Request> decode(ConsumerRecords<String, byte[]> polled, Turn turn) {
    List<Request> requests = new ArrayList<>(polled.count());
    for (ConsumerRecord<String, byte[]> record : polled) {
      turn.offsets.put(new TopicPartition(record.topic(), record.partition()),
          new OffsetAndMetadata(record.offset() + 1));
      if (!ledger.owns(record.partition())) {
        continue;
      }
      try {
        Envelope event = codec.decode(record.value());
        if (!(event.event() instanceof TaskSubmitted || event.event() instanceof CancelRequested)) {
          deadLetter(turn, record, "not_a_request", event.type().wire() + " is not a request");
        } else if (!event.taskId().equals(record.key())) {
          deadLetter(turn, record, "key_mismatch", "record key differs from task_id " + event.taskId());
        } else {
          requests.add(new Request(record.partition(), event));
        }
      } catch (UndecodableRecordException e) {
        deadLetter(turn, record, e.reason(), e.getMessage());
      }
    }
    return requests;
  }

  private void deadLetter(Turn turn, ConsumerRecord<String, byte[]> record, String reason, String message) {
    log.warn("dead-lettering {}-{}@{}: {} ({})", record.topic(), record.partition(), record.offset(), reason,
        message);
    turn.records.add(DeadLetters.copyOf(record, topics.deadLetter(), reason, message, "worker/" + settings.workerId()));
    deadLetters.increment();
  }

  private void drainReports(Turn turn, Instant now) {
    List<Report> held = new ArrayList<>();
    for (Report report = reports.poll(); report != null; report = reports.poll()) {
      Execution source = report.source();
      if (source.detached) {
        continue;
      }
      // Between two sessions, a report is kept until the partition is ours again, or its run is detached.
      if (!ledger.owns(source.partition) || awaitsItsCancel(report)) {
        held.add(report);
        continue;
      }
      TaskCommand command = report instanceof Report.Finished finished
          ? new TaskCommand.Finish(source.taskId(), source.attempt(), finished.outcome(), settings.workerId(), now)
          : new TaskCommand.ReportProgress(source.taskId(), source.attempt(),
              ((Report.Progressed) report).progress(), ((Report.Progressed) report).usage(), settings.workerId(),
              now);
      turn.decide(source.partition, command);
    }
    reports.addAll(held);
  }

  /**
   * Whether a run the cancel watch stopped has ended before this thread read the cancel that stopped it. Decided
   * now, its end would find no cancel pending and be taken for a handler that stopped on its own (a failure); it
   * waits until the request is read and decided, which the next poll does. A request that turned out unreadable was
   * passed by then, and the end is decided as it is.
   */
  private boolean awaitsItsCancel(Report report) {
    Execution source = report.source();
    long cancelAt = source.watchedCancelOffset;
    if (cancelAt < 0 || !(report instanceof Report.Finished finished)
        || !(finished.outcome() instanceof Outcome.Cancelled)) {
      return false;
    }
    TaskState task = ledger.get(source.partition, source.taskId());
    if (task == null || !task.pendingCancels().isEmpty()) {
      return false;
    }
    try {
      return consumer.position(new TopicPartition(topics.requests(), source.partition), Duration.ZERO) <= cancelAt;
    } catch (org.apache.kafka.common.errors.TimeoutException | WakeupException e) {
      return true;
    }
  }

  private void updateCatchUp() {
    catchingUp.entrySet().removeIf(entry -> {
      TopicPartition tp = new TopicPartition(topics.requests(), entry.getKey());
      try {
        return consumer.position(tp, Duration.ZERO) >= entry.getValue();
      } catch (org.apache.kafka.common.errors.TimeoutException | WakeupException e) {
        return false;
      }
    });
  }

  private void recoverOrphans(Turn turn, Instant now) {
    orphans.removeIf(orphan -> {
      if (catchingUp.containsKey(orphan.partition)) {
        return false;
      }
      if (ledger.owns(orphan.partition) && !running.isRunning(orphan.taskId)) {
        turn.decide(orphan.partition, new TaskCommand.RecoverOrphan(orphan.taskId, settings.orphanPolicy(),
            settings.workerId(), now));
      }
      return true;
    });
  }

  private void startQueued(Turn turn, Instant now) {
    int free = settings.concurrency() - running.active();
    for (TaskLedger.Queued queued : ledger.nextQueued(Math.max(0, free), p -> !catchingUp.containsKey(p))) {
      TaskState task = ledger.get(queued.partition(), queued.taskId());
      TaskHandler handler = handlers.find(task.capability());
      turn.decide(queued.partition(), new TaskCommand.Start(queued.taskId(), settings.workerId(), now,
          handler == null ? task.model() : handler.resolveModel(task.model()),
          prices.reservation(task.capability(), expectedUsage(handler, task))));
      TaskState state = ledger.get(queued.partition(), queued.taskId());
      if (handler == null) {
        turn.decide(queued.partition(), new TaskCommand.Finish(state.taskId(), state.attempt(),
            new Outcome.Failed(new TaskError(TaskError.UNSUPPORTED_CAPABILITY, "no handler serves capability '"
                + state.capability() + "'; this worker serves " + handlers.capabilities(), false)),
            settings.workerId(), now));
      } else if (state.status() == TaskStatus.RUNNING) {
        turn.launches.add(new Launch(queued.partition(), queued.taskId(), handler));
      }
    }
  }

  /** The handler's estimate, or none if it cannot tell: a bad input fails the run itself, not the owner. */
  private static BigDecimal expectedUsage(TaskHandler handler, TaskState task) {
    if (handler == null) {
      return BigDecimal.ZERO;
    }
    try {
      return handler.expectedUsage(task.input());
    } catch (RuntimeException e) {
      return BigDecimal.ZERO;
    }
  }

  private void commit(Turn turn) {
    if (turn.empty()) {
      return;
    }
    producer.beginTransaction();
    for (ProducerRecord<String, byte[]> record : turn.records) {
      producer.send(record);
    }
    if (!turn.offsets.isEmpty()) {
      producer.sendOffsetsToTransaction(turn.offsets, consumer.groupMetadata());
    }
    producer.commitTransaction();
  }

  /** Runs that finished while no session held their partition have only their report left to detach. */
  private void detachReportsOf(IntPredicate partitions) {
    reports.forEach(report -> {
      if (partitions.test(report.source().partition)) {
        report.source().detached = true;
      }
    });
  }

  private void report(Report report) {
    reports.add(report);
    wakeup();
  }

  private void wakeup() {
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }

  /**
   * Drops everything the failed session knew; the next one restores it from the log. Runs go on: a session fails
   * for reasons of Kafka's (a broker outage outlasting a transaction, say), not of the handlers', and the next
   * session adopts every run the log still says is this worker's.
   */
  private void teardown() {
    Producer<String, byte[]> failed = producer;
    // Null first: closing the consumer revokes its partitions, and the listener must not write through it.
    producer = null;
    adopting = running.active() > 0;
    ledger.clear();
    orphans.clear();
    catchingUp.clear();
    KafkaClients.closeQuietly(consumer, Duration.ofSeconds(5));
    consumer = null;
    KafkaClients.closeQuietly(failed, Duration.ofSeconds(5));
  }

  private void pause() {
    try {
      Thread.sleep(RETRY_BACKOFF.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs inside poll(), on the owner thread, between two transactions. */
  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      clients.endOffsets(partitions).forEach((tp, end) -> catchingUp.put(tp.partition(), end));
      for (TopicPartition tp : partitions) {
        int partition = tp.partition();
        ledger.load(partition, restore.restore(partition));
        // A run still going here is this worker's only if the log says this very run is the task's current one.
        running.detachIf(execution -> execution.partition == partition && !stillOurs(execution));
        for (TaskState task : ledger.running(partition)) {
          orphans.add(new Orphan(partition, task.taskId()));
        }
      }
      if (adopting) {
        // What this session did not get, another worker owns now, and decides.
        running.detachIf(execution -> !ledger.owns(execution.partition));
        detachReportsOf(partition -> !ledger.owns(partition));
        adopting = false;
      }
      if (!partitions.isEmpty()) {
        log.info("worker {} owns {} (running {}, queued {})", settings.workerId(), ledger.partitions(),
            running.active(), ledger.queued());
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      if (producer == null) {
        forget(partitions);
        return;
      }
      // Still the owner: write what finished so far, so the next owner does not take it for lost.
      Turn turn = new Turn();
      drainReports(turn, now());
      commit(turn);
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // No longer the owner: writing now could only be fenced.
      forget(partitions);
    }

    private boolean stillOurs(Execution execution) {
      TaskState task = ledger.get(execution.partition, execution.taskId());
      return task != null && task.status() == TaskStatus.RUNNING && task.attempt() == execution.attempt()
          && settings.workerId().equals(task.worker());
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        if (!adopting) {
          // A failed session's runs are kept for the next one to adopt; otherwise the partition's runs end here.
          running.detach(tp.partition());
          detachReportsOf(partition -> partition == tp.partition());
        }
        ledger.drop(tp.partition());
        catchingUp.remove(tp.partition());
        orphans.removeIf(orphan -> orphan.partition == tp.partition());
      }
      log.info("worker {} gave up {}", settings.workerId(), partitions);
    }
  }

  /** Settings the owner runs with; see {@code quench.worker.*}. */
  record OwnerSettings(String workerId, int concurrency, Duration cancelGrace, Duration abandonAfter,
                       Duration progressInterval, OrphanPolicy orphanPolicy, Duration shutdownGrace,
                       Duration pollTimeout) {
  }
}
