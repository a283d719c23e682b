package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short chaos run: about two minutes of load (creates, cancels and cancellation batches, one of them of
 * {@value #BIG_BATCH} targets) while a random process (api, worker or projector, each a JVM of
 * its own) is SIGKILLed every few seconds and started again; then the whole log is checked. The long run is
 * {@link ChaosRun}'s main, in the README.
 */
class ChaosIntegrationTests {

  // A fifth of issue 11's 10,000 (the long run's default): 50 s to hand on, across kills that with their restarts
  // take 10-20 s on a shared machine, and a fifth of the tasks for every restarted process to restore and for the
  // checks to read (with 10,000 the test took 198-269 s rather than about 180 s, an api restart up to 60 s).
  private static final int BIG_BATCH = 2_000;
  private static final int BIG_BATCH_RATE = 40;

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void killingAnyProcessAtAnyMomentLosesNothingAndBreaksNoInvariant() throws InterruptedException {
    // Under target, not a temporary directory: the services' logs are the evidence when this fails.
    Path dir = Path.of("target", "chaos",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    ChaosSettings settings = ChaosSettings.from("--duration=100s", "--kill-every=5s", "--rate=2",
        "--quiet-timeout=90s", "--big-batch=" + BIG_BATCH, "--big-batch-rate=" + BIG_BATCH_RATE, "--dir=" + dir);

    ChaosReport report = ChaosRun.run(settings, System.out);
    report.print(System.out);

    assertThat(report.violations()).as("violations; logs in %s", report.dir()).isEmpty();
    assertThat(report.lost()).as("acknowledged requests missing from the log; logs in %s", report.dir()).isEmpty();
    assertThat(report.killsByRole()).as("kills per role").containsKeys("api", "worker", "projector");
    assertThat(report.creates()).as("acknowledged creates").isGreaterThan(80);
    assertThat(report.cancels()).as("acknowledged cancels").isGreaterThan(50);
    assertThat(report.tasksByStatus()).as("tasks by final status").containsKeys("completed", "cancelled");

    // The batch checks are among the violations above; these say the run gave them something to check.
    BatchCheck.Figures batches = report.batches();
    assertThat(acknowledged(batches, "ids")).as("acknowledged batches by ids").isGreaterThanOrEqualTo(3);
    assertThat(acknowledged(batches, "filter")).as("acknowledged batches by filter").isGreaterThanOrEqualTo(3);
    assertThat(batches.dryRuns()).as("batches after a dry run").isGreaterThanOrEqualTo(2);
    assertThat(batches.aborts()).as("aborts answered 202").containsKey(202);
    assertThat(batches.byState()).as("batches by state").containsKeys("completed", "aborted")
        .doesNotContainKey("unsettled");
    assertThat(batches.outcomes()).as("batch targets by outcome")
        .containsKeys("cancelled_queued", "already_terminal", "not_found", "aborted");

    // The big batch's every target, its report and its counts are among the checks above; these say it was big, was
    // accepted and handed on while processes were killed.
    BigBatch.Figures big = report.bigBatch();
    assertThat(big.batchId()).as("the big batch acknowledged").isNotNull();
    assertThat(big.reported()).as("targets in the big batch's report").isEqualTo(BIG_BATCH);
    assertThat(big.outcomes()).as("the big batch's targets by outcome").containsKey("cancelled_queued")
        .doesNotContainKeys("pending", "requested", "not_found");
    assertThat(big.kills()).as("kills while the big batch went on").isNotEmpty();
  }

  /** Acknowledged batches of a kind, paced or not ({@code filter}, {@code filter paced}). */
  private static int acknowledged(BatchCheck.Figures batches, String kind) {
    return batches.acknowledged().entrySet().stream()
        .filter(e -> e.getKey().equals(kind) || e.getKey().startsWith(kind + " "))
        .mapToInt(java.util.Map.Entry::getValue).sum();
  }
}
