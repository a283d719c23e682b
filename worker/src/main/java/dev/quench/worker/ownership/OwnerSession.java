package dev.quench.worker.ownership;

import dev.quench.events.CancelRequested;
import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskState;
import dev.quench.events.TaskStatus;
import dev.quench.events.TaskSubmitted;
import dev.quench.events.wire.EventCodec;
import dev.quench.events.wire.Topics;
import dev.quench.kafka.KafkaClients;
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
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * One session of the owner with the cluster: its consumer (a member of the workers' group), its transactional
 * producer, the state of the partitions it owns, and the turn loop. A session that fails is thrown away whole; the
 * next one restores everything from the log and adopts the runs the log still says are this worker's.
 *
 * <p>Each turn: (1) poll; (2) fire the tokens of running tasks that were just cancelled, before anything else, since
 * that is the one thing a user is waiting for; (3) decide the polled requests; (4) turn handler reports into events;
 * (5) recover tasks whose worker was lost; (6) hand on the due targets of cancellation batches; (7) start queued
 * tasks into free slots; (8) commit, when the pacer says so, everything decided since the last commit in one
 * transaction with the offsets it consumed; (9) only then launch the tasks it started, so a start that did not
 * commit never ran.
 */
final class OwnerSession implements Takeover.Session {

  /** How long a commit may wait to learn a partition's committed offset, for the generation fence. */
  private static final Duration COMMITTED_TIMEOUT = Duration.ofSeconds(5);

  private final PartitionOwner.OwnerSettings settings;
  private final Topics topics;
  private final PriceList prices;
  private final WorkerClients clients;
  private final RunningTasks running;
  private final Queue<Report> reports;
  private final WorkerMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier draining;

  private final TaskLedger ledger = new TaskLedger();
  private final Map<Integer, Long> catchingUp = new HashMap<>();
  private final List<Takeover.Orphan> orphans = new ArrayList<>();
  private final Intake intake;
  private final Decisions decisions;
  private final BatchDesk batches;
  private final StartScheduler scheduler;
  private final CommitPacer pacer;
  private final Takeover takeover;
  private final GenerationFence fence = new GenerationFence();

  private volatile Consumer<String, byte[]> consumer;
  private Producer<String, byte[]> producer;
  private Turn pending = new Turn();
  private Instant nextBatchTarget;

  /**
   * @param draining true once the worker is stopping: nothing new starts
   * @param adopting whether runs of a failed session are still going, for this one to adopt or stop
   */
  OwnerSession(PartitionOwner.OwnerSettings settings, Topics topics, WorkerClients clients, HandlerRegistry handlers,
               PriceList prices, EventCodec codec, Clock clock, RunningTasks running, Queue<Report> reports,
               WorkerMetrics metrics, BooleanSupplier draining, boolean adopting) {
    this.settings = settings;
    this.topics = topics;
    this.prices = prices;
    this.clients = clients;
    this.running = running;
    this.reports = reports;
    this.metrics = metrics;
    this.clock = clock;
    this.draining = draining;
    this.intake = new Intake(codec, topics.deadLetter(), "worker/" + settings.workerId());
    this.decisions = new Decisions(ledger, codec, topics.log(), metrics);
    this.batches = new BatchDesk(ledger, decisions, running, settings.workerId(), settings.handOnPerTurn());
    this.scheduler = new StartScheduler(ledger, decisions, handlers, prices, settings.workerId());
    this.pacer = new CommitPacer(settings.commitInterval(), settings.maxTransactionRecords());
    this.takeover = new Takeover(settings.workerId(), ledger, clients.logRestore(codec), clients, running, reports,
        catchingUp, orphans, this, adopting);
  }

  /** Runs turns until {@code done} says so, then hands back the runs left and leaves the group. */
  void run(BooleanSupplier done) {
    producer = clients.transactionalProducer();
    producer.initTransactions();
    consumer = clients.groupConsumer();
    consumer.subscribe(List.of(topics.requests()), takeover);
    while (!done.getAsBoolean()) {
      ConsumerRecords<String, byte[]> polled;
      try {
        polled = consumer.poll(pollWait());
      } catch (WakeupException e) {
        polled = ConsumerRecords.empty();
      }
      turn(polled);
    }
    handBack();
    // Leaving the group revokes every partition: the takeover writes what is left, then the session is over.
    consumer.close();
    consumer = null;
    producer.close();
    producer = null;
  }

  /** Makes a poll in progress return at once; from any thread. */
  void wakeup() {
    Consumer<String, byte[]> c = consumer;
    if (c != null) {
      c.wakeup();
    }
  }

  int queued() {
    return ledger.queued();
  }

  BatchDesk.Backlog batchBacklog() {
    return batches.backlog();
  }

  /**
   * Drops the clients of a session that failed. Runs go on: a session fails for reasons of Kafka's (a broker outage
   * outlasting a transaction, say), not of the handlers', and the next session adopts every run the log still says is
   * this worker's. Closing the consumer revokes its partitions; nothing is written through the failed producer.
   *
   * @return whether runs are left for the next session to adopt
   */
  boolean teardown() {
    Producer<String, byte[]> failed = producer;
    producer = null;
    // Reports decided since the last commit were never written either: the next session decides them again.
    reports.addAll(pending.reports());
    pending = new Turn();
    boolean adopt = running.active() > 0 || !reports.isEmpty();
    if (adopt) {
      takeover.keepRunsForTheNextSession();
    }
    KafkaClients.closeQuietly(consumer, Duration.ofSeconds(5));
    consumer = null;
    KafkaClients.closeQuietly(failed, Duration.ofSeconds(5));
    return adopt;
  }

  @Override
  public boolean flush() {
    if (producer == null) {
      return false;
    }
    drainReports(now());
    commit();
    return true;
  }

  @Override
  public void discard(int partition) {
    pending.drop(partition);
  }

  @Override
  public void released(Collection<TopicPartition> partitions) {
    fence.released(Set.copyOf(partitions));
  }

  private void turn(ConsumerRecords<String, byte[]> polled) {
    Instant now = now();
    Intake.Polled in = intake.read(polled, ledger::owns);
    pending.consumed(in.offsets());
    in.deadLetters().forEach(pending::add);
    metrics.deadLettered(in.deadLetters().size());
    for (Intake.Request request : in.requests()) {
      if (request.event().event() instanceof CancelRequested) {
        running.cancel(request.event().taskId(), request.event().occurredAt());
      }
    }
    for (Intake.Request request : in.requests()) {
      Envelope event = request.event();
      if (event.type().ofBatch()) {
        batches.accept(pending, request.partition(), event, now);
        continue;
      }
      decisions.decide(pending, request.partition(), new TaskCommand.Accept(event, settings.workerId(), now));
      if (event.event() instanceof TaskSubmitted) {
        batches.submitted(pending, request.partition(), event.taskId(), now);
      }
    }
    drainReports(now);
    updateCatchUp();
    recoverOrphans(now);
    nextBatchTarget = batches.handOnDue(pending, now, partition -> !catchingUp.containsKey(partition));
    if (!draining.getAsBoolean()) {
      int free = settings.concurrency() - running.active() - pending.launches().size();
      scheduler.start(pending, free, partition -> !catchingUp.containsKey(partition), now);
    }
    if (!pending.empty() && pacer.due(pending.records().size(), System.nanoTime())) {
      commit();
    }
  }

  /** How long the next poll may wait: until a paced commit or a batch's next target is due, at most the timeout. */
  private Duration pollWait() {
    long wait = settings.pollTimeout().toNanos();
    if (!pending.empty()) {
      wait = Math.min(wait, pacer.untilDue(System.nanoTime()));
    }
    if (nextBatchTarget != null) {
      wait = Math.min(wait, Math.max(0, Duration.between(clock.instant(), nextBatchTarget).toNanos()));
    }
    return Duration.ofNanos(wait);
  }

  private void drainReports(Instant now) {
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
      decisions.decide(pending, source.partition, command);
      pending.decided(report);
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

  /**
   * Until a newly owned partition's inbox is read to where it ended, none of its lost runs is recovered: a cancel
   * sent while no worker owned the partition must be seen first.
   */
  private void recoverOrphans(Instant now) {
    orphans.removeIf(orphan -> {
      if (catchingUp.containsKey(orphan.partition())) {
        return false;
      }
      if (ledger.owns(orphan.partition()) && !running.isRunning(orphan.taskId())) {
        decisions.decide(pending, orphan.partition(), new TaskCommand.RecoverOrphan(orphan.taskId(),
            settings.orphanPolicy(), settings.workerId(), now));
      }
      return true;
    });
  }

  /** Commits what is pending, then launches what it started. */
  private void commit() {
    Turn turn = pending;
    pending = new Turn();
    if (turn.empty()) {
      return;
    }
    long started = System.nanoTime();
    pacer.committing(started);
    try {
      producer.beginTransaction();
      for (ProducerRecord<String, byte[]> record : turn.records()) {
        producer.send(record);
      }
      Map<TopicPartition, OffsetAndMetadata> offsets = fence.offsetsFor(turn.offsets(), consumer.assignment(),
          held -> consumer.committed(held, COMMITTED_TIMEOUT));
      if (!offsets.isEmpty()) {
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
      }
      producer.commitTransaction();
    } catch (RuntimeException e) {
      // The session ends here and the transaction is aborted, but a finished run's result was only in it: the run is
      // gone from RunningTasks, so the next session would take its task for lost. Its report goes back to the queue
      // and is decided again once the partition is ours (the decider drops it if the log moved on meanwhile).
      reports.addAll(turn.reports());
      throw e;
    }
    fence.committed(turn.offsets());
    metrics.committed(System.nanoTime() - started, turn.records().size());
    for (Turn.Launch launch : turn.launches()) {
      launch(launch);
    }
  }

  private void launch(Turn.Launch launch) {
    TaskState task = ledger.get(launch.partition(), launch.taskId());
    if (task == null || task.status() != TaskStatus.RUNNING) {
      return;
    }
    if (!task.pendingCancels().isEmpty()) {
      // Cancelled between its start and its launch: no handler is run just to be stopped.
      decisions.decide(pending, launch.partition(), new TaskCommand.Finish(task.taskId(), task.attempt(),
          new Outcome.Cancelled(false), settings.workerId(), now()));
      return;
    }
    running.launch(launch.partition(), task, launch.handler(), prices.price(task.capability()));
  }

  /**
   * A planned stop whose shutdown grace ran out: each run still going is handed back to the queue (or, if a cancel
   * waits for it, cancelled) for the next owner, and stopped here.
   */
  private void handBack() {
    List<Execution> left = running.executions().stream().filter(e -> ledger.owns(e.partition)).toList();
    if (left.isEmpty()) {
      return;
    }
    drainReports(now());
    Instant now = now();
    for (Execution execution : left) {
      decisions.decide(pending, execution.partition, new TaskCommand.HandBack(execution.taskId(),
          execution.attempt(), settings.workerId(), now));
    }
    commit();
    running.detachIf(execution -> left.contains(execution));
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
