package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.standalone.chaos.ClusterFaults.Fault;
import dev.quench.standalone.cluster.IsolatedNetwork;
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
 * and let go on; where this machine allows network namespaces, then a third worker cut off from the cluster by its
 * network, past its session, and let back; then the whole log is checked. The longer run, which SIGKILLs the active controller too and
 * repeats the plan for as long as asked, is {@link ClusterFaultRun}'s main.
 */
class ClusterFaultIntegrationTests {

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void losingALeaderOrCuttingOffAWorkerLosesNothingAndLandsNoLateResult() throws InterruptedException {
    // One cluster for every fault, one after another: a second run would spend its start-up again.
    boolean netns = IsolatedNetwork.available();
    List<Fault> plan = netns ? List.of(Fault.BROKER, Fault.ZOMBIE, Fault.NETNS) : List.of(Fault.BROKER, Fault.ZOMBIE);
    ChaosReport report = ClusterFaultRun.run(settings("leader-zombie-netns"), plan, System.out);
    report.print(System.out);

    assertThat(report.violations()).as("violations; logs in %s", report.dir()).isEmpty();
    assertThat(report.lost()).as("acknowledged requests missing from the log; logs in %s", report.dir()).isEmpty();
    assertThat(report.killsByRole()).as("faults by kind").containsEntry("broker", 1).containsEntry("zombie", 1);
    if (netns) {
      assertThat(report.killsByRole()).as("faults by kind").containsEntry("netns", 1);
      assertThat(report.killsByProcess()).as("faults by process").containsEntry("worker-3", 1);
    } else {
      System.out.println("network namespaces unavailable here (they need root and iproute2's ip with veth): the "
          + "worker was cut off by SIGSTOP only");
    }
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
