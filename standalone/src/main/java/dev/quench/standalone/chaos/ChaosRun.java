package dev.quench.standalone.chaos;

import dev.quench.events.TaskStatus;
import dev.quench.events.wire.Topics;
import dev.quench.standalone.AuditCommand;
import dev.quench.standalone.BrokerSettings;
import dev.quench.standalone.FreePorts;
import dev.quench.standalone.KafkaBroker;
import dev.quench.standalone.QuietKafkaLogs;
import dev.quench.standalone.chaos.LoadDriver.Acknowledged;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The chaos run: a real broker, then the api, two workers and two projectors as separate processes; a steady load
 * of creates, cancels and cancellation batches, and one large batch, while a random process is SIGKILLed and started
 * again, over and over; then, once the system is quiet, the checks of {@link LogCheck} on the whole log. Prints the
 * figures and exits 0 only if nothing was violated and nothing acknowledged was lost (1 otherwise, 2 if the run
 * itself failed).
 *
 * <p>Settings ({@link ChaosSettings}): {@code --duration=5m}, {@code --seed}, {@code --rate=2} (creates per second),
 * {@code --kill-every=8s}, {@code --clients=4}, {@code --max-task-duration=3s}, {@code --quiet-timeout=120s},
 * {@code --partitions=6}, {@code --worker-concurrency=2}, {@code --big-batch=10000} (targets of the one large batch,
 * {@link BigBatch}; 0 for none), {@code --big-batch-rate=100} (its {@code max_per_second}), {@code --dir}.
 */
public final class ChaosRun {

  // The broker is never killed here; it only needs to keep up with five small clients on a shared machine.
  private static final List<String> BROKER_JVM_ARGS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC");
  private static final Duration QUIET_POLL = Duration.ofSeconds(2);
  private static final Duration QUIET_NOTE_EVERY = Duration.ofSeconds(10);
  private static final Duration BATCHES_SETTLE = Duration.ofSeconds(30);
  private static final TaskApi.TargetReport NO_REPORT = new TaskApi.TargetReport(0, List.of(), "not read");

  private ChaosRun() {
  }

  public static void main(String[] args) {
    ChaosReport report;
    try {
      report = run(ChaosSettings.from(args), System.out);
    } catch (Exception e) {
      System.err.println("the chaos run failed before its checks: " + e.getMessage());
      e.printStackTrace();
      System.exit(2);
      return;
    }
    report.print(System.out);
    System.exit(report.passed() ? 0 : 1);
  }

  static ChaosReport run(ChaosSettings settings, PrintStream out) throws InterruptedException {
    long started = System.nanoTime();
    QuietKafkaLogs.apply();
    createDirectories(settings.dir());
    Timeline timeline = new Timeline(settings.dir().resolve("timeline.log"), out);
    Random random = new Random(settings.seed());
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Topics topics = Topics.withPrefix("chaos-" + runId + ".");
    String apiKey = "chaos-key-" + runId;
    int[] ports = FreePorts.take(3);
    timeline.note("chaos run " + runId + ": " + settings);

    BrokerSettings brokerSettings = BrokerSettings.of(settings.dir(), ports[0]).withControllerPort(ports[1])
        .withExtraJvmArgs(BROKER_JVM_ARGS);
    try (KafkaBroker broker = KafkaBroker.start(brokerSettings)) {
      timeline.note("broker ready at " + broker.bootstrapServers() + " (" + broker + ")");
      TaskApi api = new TaskApi("http://localhost:" + ports[2], apiKey);
      try (Fleet fleet = new Fleet(settings, broker.bootstrapServers(), topics.prefix(), ports[2], apiKey, api,
          timeline)) {
        fleet.start();
        timeline.note("all services ready; api at " + api.baseUrl() + ", topics " + topics.prefix() + "*");

        LoadDriver load = new LoadDriver(api, settings, random, runId, timeline);
        BigBatch big = new BigBatch(settings, broker.bootstrapServers(), topics, runId, load.batches(), timeline);
        KillLoop kills = new KillLoop(fleet, random, settings.killEvery(), timeline);
        long chaosStarted = System.nanoTime();
        load.start();
        big.start();
        try {
          kills.runUntil(chaosStarted + settings.duration().toNanos());
        } finally {
          try {
            big.close();
          } finally {
            load.close();
          }
        }
        Duration chaos = Duration.ofNanos(System.nanoTime() - chaosStarted);
        return check(new Ending(settings, started, chaos, fleet, load, api, broker.bootstrapServers(), topics,
            timeline, kills.killsByRole(), kills.killsByProcess(), List.of(brokerSettings.kafkaDir()
            .resolve("broker.log")), big), result -> List.of(), out);
      }
    }
  }

  /**
   * What a run hands to its checks once the load has stopped.
   *
   * @param started     when the run began ({@link System#nanoTime()})
   * @param chaos       how long the load and the faults lasted
   * @param faultsByRole     faults done, by role or kind
   * @param faultsByProcess  faults done, by process or node
   * @param brokerLogs  the brokers' logs, listed with the services' when the run fails
   */
  record Ending(ChaosSettings settings, long started, Duration chaos, Fleet fleet, LoadDriver load, TaskApi api,
                String bootstrapServers, Topics topics, Timeline timeline, Map<String, Integer> faultsByRole,
                Map<String, Integer> faultsByProcess, List<Path> brokerLogs, BigBatch big) {

    /** A run without a big batch. */
    Ending(ChaosSettings settings, long started, Duration chaos, Fleet fleet, LoadDriver load, TaskApi api,
           String bootstrapServers, Topics topics, Timeline timeline, Map<String, Integer> faultsByRole,
           Map<String, Integer> faultsByProcess, List<Path> brokerLogs) {
      this(settings, started, chaos, fleet, load, api, bootstrapServers, topics, timeline, faultsByRole,
          faultsByProcess, brokerLogs, null);
    }
  }

  /**
   * The end of a run, the same whatever its faults: restarts what exited by itself, waits for quiet, checks the
   * whole log ({@link LogCheck}, then {@code moreChecks} on what it read) and the api's answers, and reports.
   */
  static ChaosReport check(Ending run, Function<LogCheck.Result, List<String>> moreChecks, PrintStream out)
      throws InterruptedException {
    Fleet fleet = run.fleet();
    LoadDriver load = run.load();
    TaskApi api = run.api();
    Timeline timeline = run.timeline();
    fleet.restartExited();

    List<Acknowledged> acknowledged = load.acknowledged();
    Set<String> created = acknowledged.stream().filter(a -> a.kind() == LoadDriver.Kind.CREATE)
        .map(Acknowledged::taskId).collect(Collectors.toCollection(LinkedHashSet::new));
    long quietStarted = System.nanoTime();
    awaitQuiet(api, created, run.bootstrapServers(), run.topics(), run.settings().quietTimeout(), timeline);
    Duration quiet = Duration.ofNanos(System.nanoTime() - quietStarted);

    Map<String, String> apiStatuses = new LinkedHashMap<>();
    for (String taskId : created) {
      apiStatuses.put(taskId, shownStatus(api, taskId));
    }
    Map<String, TaskApi.BatchAnswer> apiBatches = shownBatches(api, load.batches().sent());
    Map<String, TaskApi.TargetReport> apiReports = shownReports(api, load.batches().sent());
    LogCheck.Result result = LogCheck.check(run.bootstrapServers(), run.topics(), acknowledged, apiStatuses,
        load.batches(), apiBatches, apiReports);
    AuditCommand.print(result.audit(), out);
    List<String> violations = new ArrayList<>(result.violations());
    List<String> more = moreChecks.apply(result);
    violations.addAll(more);
    if (!more.isEmpty()) {
      // Explained with the log's own findings: the tasks they name, next to the faults around them.
      result = new LogCheck.Result(result.audit(), result.histories(), result.tasksByStatus(), result.outcomes(),
          List.copyOf(violations), result.lost(), result.batches());
    }
    fleet.unexpectedExits().forEach(exit -> violations.add("process " + exit));
    violations.addAll(serverErrors(load.notAcknowledged()));
    if (created.isEmpty()) {
      violations.add("no create was acknowledged: the load never got through to the api");
    }
    BigBatch big = run.big();
    BigBatch.Figures bigBatch = null;
    if (big != null && big.enabled()) {
      BatchLoad.Sent sent = big.sent();
      bigBatch = big.figures(sent == null ? NO_REPORT : apiReports.getOrDefault(sent.batchId(), NO_REPORT),
          timeline.kills());
      if (sent == null) {
        violations.add("the big batch was not acknowledged: the run never got it through to the api");
      }
    }
    String explanation = LogCheck.explain(result, timeline.kills());

    List<Path> logFiles = new ArrayList<>();
    fleet.processes().forEach(p -> logFiles.add(p.logFile()));
    logFiles.addAll(run.brokerLogs());
    logFiles.add(timeline.file());
    int creates = created.size();
    return new ChaosReport(run.settings().seed(), run.chaos(), Duration.ofNanos(System.nanoTime() - run.started()),
        quiet, creates, acknowledged.size() - creates, load.notAcknowledged(), run.faultsByRole(),
        run.faultsByProcess(), fleet.unexpectedExits(), result.tasksByStatus(), result.outcomes(), result.events(),
        result.batches(), bigBatch, violations, result.lost(), explanation, run.settings().dir(), logFiles);
  }

  /**
   * Waits, at most {@code timeout}, until the system is quiet: the api shows every task it created as ended, every
   * request is in the log, every task has ended in the log, every batch target has been handed on or skipped, and
   * every view reflects its task's whole log. After
   * the kills this takes a while: a killed worker's partitions move only when its group session (10 s) expires, and
   * what it left open is aborted only when its next life starts or its transaction times out (10 s).
   */
  private static void awaitQuiet(TaskApi api, Set<String> created, String bootstrapServers, Topics topics,
                                 Duration timeout, Timeline timeline) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextNote = System.nanoTime();
    Set<String> notEnded = new LinkedHashSet<>(created);
    while (true) {
      notEnded.removeIf(taskId -> ended(shownStatus(api, taskId)));
      String state;
      try {
        AuditCommand.Findings findings = AuditCommand.audit(bootstrapServers, topics, false);
        boolean allEnded = findings.statuses().keySet().stream().allMatch(ChaosRun::ended);
        if (notEnded.isEmpty() && allEnded && findings.unsequencedRequests() == 0
            && findings.laggingViews() == 0 && findings.log().targetsPending() == 0) {
          timeline.note("quiet: every task ended, every request in the log, every view up to date");
          return;
        }
        state = notEnded.size() + " tasks not ended in the api, " + findings.unsequencedRequests()
            + " requests not in the log, " + findings.laggingViews() + " views behind, by the log "
            + findings.statuses() + ", " + findings.log().targetsPending() + " batch targets not handed on";
      } catch (RuntimeException e) {
        state = notEnded.size() + " tasks not ended in the api; the audit failed: " + e.getMessage();
      }
      if (System.nanoTime() - deadline > 0) {
        timeline.note("NOT QUIET after " + timeout.toSeconds() + " s: " + state);
        return;
      }
      if (System.nanoTime() - nextNote >= 0) {
        timeline.note("waiting for quiet: " + state);
        nextNote = System.nanoTime() + QUIET_NOTE_EVERY.toNanos();
      }
      TimeUnit.MILLISECONDS.sleep(QUIET_POLL.toMillis());
    }
  }

  /**
   * Answers that are bugs whatever the chaos: a 5xx other than 503. A 503 is the api saying the log did not confirm
   * in time, which a restarting broker partition or a killed worker may cause; a 500 is the api failing.
   */
  private static List<String> serverErrors(Map<String, Integer> notAcknowledged) {
    List<String> errors = new ArrayList<>();
    notAcknowledged.forEach((outcome, count) -> {
      String status = outcome.substring(outcome.indexOf(' ') + 1);
      if (status.matches("5\\d\\d") && !status.equals("503")) {
        errors.add("the api answered " + count + " request(s) with " + outcome + " (see the api's log)");
      }
    });
    return errors;
  }

  /**
   * The api's answer for each acknowledged batch, once it shows every target settled: its report is the projector's
   * fold, which the quiet does not wait for. Bounded: a batch that never settles is then judged as it stands.
   */
  private static Map<String, TaskApi.BatchAnswer> shownBatches(TaskApi api, List<BatchLoad.Sent> batches)
      throws InterruptedException {
    long deadline = System.nanoTime() + BATCHES_SETTLE.toNanos();
    Map<String, TaskApi.BatchAnswer> shown = new LinkedHashMap<>();
    for (BatchLoad.Sent batch : batches) {
      TaskApi.BatchAnswer answer = api.getBatch(batch.batchId(), "chaos-check-" + UUID.randomUUID());
      while ((answer.status() != 200 || answer.number("/counts/pending") != 0
          || answer.number("/counts/requested") != 0) && System.nanoTime() - deadline < 0) {
        TimeUnit.MILLISECONDS.sleep(200);
        answer = api.getBatch(batch.batchId(), "chaos-check-" + UUID.randomUUID());
      }
      shown.put(batch.batchId(), answer);
    }
    return shown;
  }

  /**
   * Each acknowledged batch's report target by target, read once {@link #shownBatches} has seen it settle. A report
   * that did not come (no answer, a 503) is asked again for a moment: the check is of what the api says, not whether
   * it is up.
   */
  private static Map<String, TaskApi.TargetReport> shownReports(TaskApi api, List<BatchLoad.Sent> batches)
      throws InterruptedException {
    Map<String, TaskApi.TargetReport> shown = new LinkedHashMap<>();
    for (BatchLoad.Sent batch : batches) {
      TaskApi.TargetReport report = api.batchTargets(batch.batchId(), "chaos-check-" + UUID.randomUUID());
      for (int attempt = 1; (report.status() == 0 || report.status() == 503) && attempt < 10; attempt++) {
        TimeUnit.MILLISECONDS.sleep(500);
        report = api.batchTargets(batch.batchId(), "chaos-check-" + UUID.randomUUID());
      }
      shown.put(batch.batchId(), report);
    }
    return shown;
  }

  /** The status the api shows for a task, or what it answered instead ({@code 404}, {@code ConnectException}). */
  private static String shownStatus(TaskApi api, String taskId) {
    TaskApi.Answer answer = api.get(taskId, "chaos-check-" + UUID.randomUUID());
    return answer.status() == 200 && answer.taskStatus() != null ? answer.taskStatus() : answer.outcome();
  }

  private static boolean ended(String status) {
    return TaskStatus.parse(status).map(TaskStatus::terminal).orElse(false);
  }

  static void createDirectories(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
  }
}
