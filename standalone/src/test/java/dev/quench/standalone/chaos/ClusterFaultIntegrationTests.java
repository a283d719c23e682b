package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.standalone.chaos.ClusterFaults.Fault;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short cluster fault run: quench on a real three-node KRaft cluster under load, the broker leading a partition
 * of the log SIGKILLed and started again, then a worker frozen past its session while the other takes its partitions
 * and let go on; then the whole log is checked. The longer runs, which also SIGKILL the active controller, cut a worker
 * off in a network namespace, restart the brokers one by one and scale the fleet out and in, are
 * {@link ClusterFaultRun}'s and {@link SoakRun}'s mains.
 */
class ClusterFaultIntegrationTests {

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void losingALeaderOrFreezingAWorkerLosesNothingAndLandsNoLateResult() throws InterruptedException {
    // One cluster for both faults, one after another: a second run would spend its start-up again. The network cut
    // is the long runs' (its third worker and its episode took the test past the three minutes); the frozen
    // worker is the same zombie to the log, a member that believes it owns partitions the group gave away.
    ChaosReport report = ClusterFaultRun.run(settings("leader-zombie"), List.of(Fault.BROKER, Fault.ZOMBIE),
        System.out);
    report.print(System.out);

    assertThat(report.violations()).as("violations; logs in %s", report.dir()).isEmpty();
    assertThat(report.lost()).as("acknowledged requests missing from the log; logs in %s", report.dir()).isEmpty();
    assertThat(report.killsByRole()).as("faults by kind").containsEntry("broker", 1).containsEntry("zombie", 1);
    assertThat(report.creates()).as("acknowledged creates").isGreaterThan(10);
    assertThat(report.tasksByStatus()).as("tasks by final status").containsKeys("completed", "failed");
    assertThat(report.outcomes()).as("outcomes in the log").containsKey("failed worker_lost");
  }

  /** One pass of the plan, however short the duration: each fault once. */
  private static ChaosSettings settings(String name) {
    // Under target, not a temporary directory: the brokers' and services' logs are the evidence when this fails.
    Path dir = Path.of("target", "cluster-faults",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-" + name);
    return ChaosSettings.from("--duration=1s", "--rate=2", "--quiet-timeout=90s", "--dir=" + dir);
  }
}
