package dev.quench.worker;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.CancelNoOp;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.LogAudit;
import dev.quench.events.NoOpReason;
import dev.quench.events.TaskCancelled;
import dev.quench.events.TaskCompleted;
import dev.quench.events.TaskError;
import dev.quench.events.TaskFailed;
import dev.quench.events.TaskRequeued;
import dev.quench.events.TaskStarted;
import dev.quench.events.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/** Workers that stop, start again and share partitions: state comes back from the log, never from memory. */
class WorkerRestartIntegrationTests {

  private WorkerFixture fixture;

  @BeforeEach
  void newTopics() {
    fixture = new WorkerFixture();
  }

  @AfterEach
  void auditTheLog() {
    TestHandlers.release.countDown();
    TestHandlers.release = new CountDownLatch(1);
    LogAudit.Report report = LogAudit.audit(fixture.reader.events(fixture.topics.log()));
    fixture.close();
    assertThat(report.violations()).isEmpty();
  }

  private void awaitTypes(String taskId, EventType... types) {
    await().atMost(30, SECONDS).untilAsserted(() -> assertThat(fixture.types(taskId)).containsExactly(types));
  }

  private Envelope last(String taskId) {
    List<Envelope> history = fixture.history(taskId);
    return history.get(history.size() - 1);
  }

  /**
   * A run finishes, and the transaction that carries its result is refused (here: another producer took the
   * worker's transactional id, as a zombie's successor would): the session ends with the result unwritten, while the
   * same worker keeps the partition. The next session must decide that result again, not take the run for lost.
   */
  @Test
  void aResultWhoseTransactionIsRefusedIsWrittenByTheNextSessionNotLost() {
    fixture.startWorker("w-fenced", Map.of("concurrency", "1"), TestHandlers.class);
    String task = fixture.submit("gated", "{}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    // Held by the gate, the run has reported nothing; the worker has nothing else to commit, so the next transaction
    // it begins is the one carrying this run's result, and that one is refused.
    Properties config = new Properties();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, fixture.prefix + "quench-worker-w-fenced");
    try (KafkaProducer<String, String> successor = new KafkaProducer<>(config)) {
      successor.initTransactions();
    }
    TestHandlers.release.countDown();

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    assertThat(((TaskCompleted) last(task).event()).output().asString()).isEqualTo("late result");
  }

  @Test
  void aWorkerRestartedAfterACrashRestoresItsTasksFromTheLog() {
    Process first = fixture.startCrashableWorker("w1", Map.of("concurrency", "1"));
    String completed = fixture.submit("echo", "{}").taskId();
    awaitTypes(completed, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    String running = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(running, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    String queued = fixture.submit("sleep", "{\"duration_ms\": 1}").taskId();
    awaitTypes(queued, EventType.TASK_SUBMITTED);

    fixture.crash(first);
    fixture.startWorker("w1", Map.of("concurrency", "1"));

    // The run that was cut short is failed as lost, retryable; the queued task was not lost and now runs.
    awaitTypes(running, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_FAILED);
    assertThat(((TaskFailed) last(running).event()).error().code()).isEqualTo(TaskError.WORKER_LOST);
    assertThat(((TaskFailed) last(running).event()).error().retryable()).isTrue();
    awaitTypes(queued, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    // A task completed before the restart is still known to be completed.
    fixture.cancel(completed);
    awaitTypes(completed, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED,
        EventType.CANCEL_REQUESTED, EventType.CANCEL_NOOP);
    assertThat(last(completed).event()).isEqualTo(new CancelNoOp(NoOpReason.ALREADY_TERMINAL,
        TaskStatus.COMPLETED));
  }

  @Test
  void taskCancelledWhileQueuedStaysCancelledAcrossARestart() {
    ConfigurableApplicationContext first = fixture.startWorker("w1", Map.of("concurrency", "1"));
    String running = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(running, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    String queued = fixture.submit("echo", "{}").taskId();
    fixture.cancel(queued);
    awaitTypes(queued, EventType.TASK_SUBMITTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);

    first.close();
    // Two slots: the run handed back at the stop takes one again.
    fixture.startWorker("w1", Map.of("concurrency", "2"));
    String marker = fixture.submit("echo", "{}").taskId();

    awaitTypes(marker, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    assertThat(fixture.types(queued)).doesNotContain(EventType.TASK_STARTED);
  }

  @Test
  void underTheRerunPolicyALostRunStartsAgainAndCanStillBeCancelled() {
    Process first = fixture.startCrashableWorker("w1", Map.of("orphan-policy", "rerun"));
    String task = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    fixture.crash(first);
    fixture.startWorker("w1", Map.of("orphan-policy", "rerun"));

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_REQUEUED,
        EventType.TASK_STARTED);
    assertThat(((TaskStarted) last(task).event()).attempt()).isEqualTo(2);
    fixture.cancel(task);
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_REQUEUED,
        EventType.TASK_STARTED, EventType.CANCEL_REQUESTED, EventType.TASK_CANCELLED);
  }

  @Test
  void cancelThatArrivesWhileNoWorkerRunsStillCancelsTheLostRun() {
    Process first = fixture.startCrashableWorker("w1", Map.of("orphan-policy", "rerun"));
    String task = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    fixture.crash(first);

    fixture.cancel(task);
    fixture.startWorker("w1", Map.of("orphan-policy", "rerun"));

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
  }

  /**
   * A planned stop (a deploy, a scale-in) whose grace runs out hands its runs back: requeued, not failed, not
   * charged, and started again by the next owner.
   */
  @Test
  void aPlannedStopHandsItsRunsBackToTheQueueForTheNextWorker() {
    ConfigurableApplicationContext first = fixture.startWorker("w1", Map.of("shutdown-grace", "200ms"));
    String task = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    first.close();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_REQUEUED);
    fixture.startWorker("w2", Map.of());

    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_REQUEUED,
        EventType.TASK_STARTED);
    List<Envelope> history = fixture.history(task);
    assertThat(history.stream().filter(e -> e.type() == EventType.TASK_REQUEUED).findFirst().orElseThrow().event())
        .isEqualTo(new TaskRequeued(1, TaskRequeued.WORKER_STOPPED));
    assertThat(((TaskStarted) last(task).event()).worker()).isEqualTo("w2");
    assertThat(((TaskStarted) last(task).event()).attempt()).isEqualTo(2);
  }

  @Test
  void twoWorkersSplitThePartitionsAndEachTaskHasOneWriter() {
    fixture.startWorker("w1", Map.of());
    fixture.startWorker("w2", Map.of());
    fixture.awaitOwners(2);

    List<String> tasks = IntStream.range(0, 20).mapToObj(i -> fixture.submit("echo", "{}").taskId()).toList();

    for (String task : tasks) {
      awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    }
    await().atMost(30, SECONDS).untilAsserted(() -> {
      Set<String> writers = tasks.stream().flatMap(t -> fixture.history(t).stream())
          .filter(e -> e.type() == EventType.TASK_STARTED).map(Envelope::producer).collect(Collectors.toSet());
      assertThat(writers).containsExactlyInAnyOrder("w1", "w2");
    });
  }

  @Test
  void aRevokedWorkersLateResultsNeverLand() {
    fixture.startWorker("w1", Map.of("concurrency", "8"), TestHandlers.class);
    // Three on each partition: whichever one moves to the second worker, the other stays with the first.
    List<String> tasks = IntStream.range(0, 6)
        .mapToObj(i -> fixture.submitTo(i % WorkerFixture.PARTITIONS, "gated", "{}").taskId()).toList();
    tasks.forEach(t -> awaitTypes(t, EventType.TASK_SUBMITTED, EventType.TASK_STARTED));

    // A second worker takes over some partitions; w1's runs there are now orphans for w2 to decide.
    fixture.startWorker("w2", Map.of("concurrency", "8"), TestHandlers.class);
    fixture.awaitOwners(2);
    await().atMost(30, SECONDS).until(() -> tasks.stream().anyMatch(t -> fixture.types(t)
        .contains(EventType.TASK_FAILED)));
    TestHandlers.release.countDown();

    await().atMost(30, SECONDS).until(() -> tasks.stream().allMatch(t -> fixture.types(t).stream()
        .anyMatch(EventType::terminal)));
    // Nothing more may come: give w1 a turn to (wrongly) write a late result, by waiting for a later task to finish.
    String marker = fixture.submit("echo", "{}").taskId();
    awaitTypes(marker, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    for (String task : tasks) {
      List<Envelope> history = fixture.history(task);
      Envelope terminal = history.stream().filter(e -> e.type().terminal()).findFirst().orElseThrow();
      assertThat(history.stream().filter(e -> e.type().terminal())).hasSize(1);
      if (terminal.type() == EventType.TASK_FAILED) {
        assertThat(((TaskFailed) terminal.event()).error().code()).isEqualTo(TaskError.WORKER_LOST);
        assertThat(terminal.producer()).isEqualTo("w2");
      } else {
        assertThat(terminal.producer()).isEqualTo("w1");
      }
    }
    assertThat(tasks).anyMatch(t -> fixture.types(t).contains(EventType.TASK_FAILED))
        .anyMatch(t -> fixture.types(t).contains(EventType.TASK_COMPLETED));
  }

  @Test
  void aWorkerFrozenPastItsSessionNeverLandsItsLateResult() {
    Process zombie = fixture.startCrashableWorker("w1", Map.of("concurrency", "1"));
    long sleepMs = 4000;
    String task = fixture.submit("sleep", "{\"duration_ms\": " + sleepMs + "}").taskId();
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    // Frozen as a stopped JVM or a cut network leaves it: it still believes it owns the partitions.
    fixture.freeze(zombie);
    fixture.startWorker("w2", Map.of("concurrency", "1"));
    awaitTypes(task, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_FAILED);
    assertThat(last(task).producer()).isEqualTo("w2");

    // It wakes with its run over (the sleep ended while it was frozen) and a result to write; then rejoins. Its session
    // (2 s in these tests) ends before the sleep would, so it stays frozen until the sleep is over by the clock, with a
    // second to spare for the handler starting after its TaskStarted was recorded.
    Instant runOver = fixture.history(task).stream().filter(e -> e.type() == EventType.TASK_STARTED).findFirst()
        .orElseThrow().occurredAt().plusMillis(sleepMs + 1000);
    await().atMost(30, SECONDS).until(() -> Instant.now().isAfter(runOver));
    fixture.thaw(zombie);
    fixture.awaitOwnersWith("w1");
    String marker = fixture.submit("echo", "{}").taskId();
    awaitTypes(marker, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);

    List<Envelope> history = fixture.history(task);
    assertThat(history.stream().filter(e -> e.type().terminal())).singleElement()
        .satisfies(terminal -> assertThat(terminal.producer()).isEqualTo("w2"));
    assertThat(((TaskFailed) last(task).event()).error().code()).isEqualTo(TaskError.WORKER_LOST);
  }

  @Test
  void aWorkerWhoseSessionFailsKeepsItsRunningTasks() {
    fixture.startWorker("w1", Map.of());
    String running = fixture.submit("sleep", "{\"duration_ms\": 60000}").taskId();
    awaitTypes(running, EventType.TASK_SUBMITTED, EventType.TASK_STARTED);

    // Another producer with the worker's transactional id fences it: its next commit fails and its session ends,
    // as after a broker outage that outlasted a transaction.
    Properties intruder = new Properties();
    intruder.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrap);
    intruder.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, fixture.prefix + "quench-worker-w1");
    try (KafkaProducer<String, String> fence = new KafkaProducer<>(intruder, new StringSerializer(),
        new StringSerializer())) {
      fence.initTransactions();
    }
    String next = fixture.submit("echo", "{}").taskId();

    awaitTypes(next, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_COMPLETED);
    // The run outlived its session: adopted, not failed as lost, and a cancel still reaches it.
    assertThat(fixture.types(running)).containsExactly(EventType.TASK_SUBMITTED, EventType.TASK_STARTED);
    fixture.cancel(running);
    awaitTypes(running, EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.CANCEL_REQUESTED,
        EventType.TASK_CANCELLED);
    assertThat(((TaskCancelled) last(running).event()).forced()).isFalse();
  }
}
